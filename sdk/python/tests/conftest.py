"""The stack the tests run against: CROWNEST_API_URL / CROWNEST_API_KEY, or CROWNEST_ENV_FILE's lines."""

import json
import os
import urllib.request

import pytest


def _load_env() -> bool:
    path = os.environ.get("CROWNEST_ENV_FILE")
    if path:
        for line in open(path).read().splitlines():
            key, _, value = line.partition("=")
            if key.startswith("CROWNEST_") and value:
                os.environ[key] = value  # the file wins over a shell's variables of another stack
    return bool(os.environ.get("CROWNEST_API_URL") and os.environ.get("CROWNEST_API_KEY"))


_STACK = _load_env()


@pytest.fixture(autouse=True)
def _stack(request):
    """Every test needs the stack but those of a module with ``OFFLINE = True`` (a fake server of its own)."""
    if not _STACK and not getattr(request.module, "OFFLINE", False):
        raise RuntimeError("no stack: set CROWNEST_ENV_FILE (or CROWNEST_API_URL and CROWNEST_API_KEY)")


@pytest.fixture(scope="session")
def openapi() -> dict:
    with urllib.request.urlopen(os.environ["CROWNEST_API_URL"] + "/v1/openapi.json") as res:
        return json.load(res)


@pytest.fixture(scope="session")
def has_route(openapi):
    return lambda method, path: method.lower() in openapi.get("paths", {}).get(path, {})


@pytest.fixture(scope="module")
def sbx():
    from crownest import Sandbox

    with Sandbox.create(template="base", ttl_ms=600_000) as sandbox:
        yield sandbox
