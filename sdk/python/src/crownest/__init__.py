"""CrowNest sandboxes from Python: ``with Sandbox.create(template="python") as sbx: sbx.exec("...")``."""

from .commands import CommandHandle, CommandResult, Commands
from .errors import (AuthenticationError, BadRequestError, ConflictError, ConnectionFailedError, CrowNestError,
                     GoneError, NotFoundError, PaymentRequiredError, PermissionDeniedError, RateLimitError,
                     StreamError, UnavailableError)
from .sandbox import Artifacts, ExecResult, Files, Previews, Sandbox

__all__ = ["Sandbox", "ExecResult", "Commands", "CommandHandle", "CommandResult", "Files", "Previews", "Artifacts",
           "CrowNestError", "BadRequestError", "AuthenticationError", "PaymentRequiredError", "PermissionDeniedError",
           "NotFoundError", "ConflictError", "GoneError", "RateLimitError", "UnavailableError",
           "ConnectionFailedError", "StreamError"]
