"""The API's one error shape, {"error": {"type", "code", "message", "requestId"}}, as exceptions."""

from __future__ import annotations

import email.utils
import json
import time
from typing import Any, Mapping


class CrowNestError(Exception):
    """A failure answered by the API (or a connection that got no answer: status 0)."""

    def __init__(self, message: str, *, status: int = 0, code: str = "unknown", type: str | None = None,
                 request_id: str | None = None, body: Any = None, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.type = type
        self.request_id = request_id
        self.body = body
        self.retry_after = retry_after

    def __str__(self) -> str:
        rid = f" ({self.request_id})" if self.request_id else ""
        return f"{self.status} {self.code}: {self.message}{rid}"


class BadRequestError(CrowNestError): ...
class AuthenticationError(CrowNestError): ...
class PaymentRequiredError(CrowNestError): ...
class PermissionDeniedError(CrowNestError): ...
class NotFoundError(CrowNestError): ...
class ConflictError(CrowNestError): ...
class GoneError(CrowNestError): ...
class RateLimitError(CrowNestError): ...
class UnavailableError(CrowNestError): ...
class ConnectionFailedError(CrowNestError): ...
class StreamError(CrowNestError):
    """A command's output stream broke off (an SSE ``error`` event)."""


_BY_STATUS = {400: BadRequestError, 401: AuthenticationError, 402: PaymentRequiredError,
              403: PermissionDeniedError, 404: NotFoundError, 409: ConflictError, 410: GoneError,
              422: BadRequestError, 429: RateLimitError, 503: UnavailableError}


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Retry-After in seconds (a number or an HTTP date)."""
    value = headers.get("retry-after") or headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def error_for(status: int, raw: bytes, headers: Mapping[str, str]) -> CrowNestError:
    try:
        body: Any = json.loads(raw.decode("utf-8")) if raw else None
    except (ValueError, UnicodeDecodeError):
        body = raw.decode("utf-8", "replace")
    e = body.get("error", {}) if isinstance(body, dict) else {}
    cls = _BY_STATUS.get(status, CrowNestError)
    return cls(e.get("message") or (body if isinstance(body, str) and body else f"HTTP {status}"),
               status=status, code=e.get("code") or f"http_{status}", type=e.get("type"),
               request_id=e.get("requestId") or headers.get("x-request-id"), body=body,
               retry_after=retry_after(headers))
