"""One HTTP client of the public API (stdlib only): key header, JSON, errors, retries."""

from __future__ import annotations

import json
import os
import random
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Iterator

from .errors import ConnectionFailedError, CrowNestError, error_for

DEFAULT_API_URL = "http://127.0.0.1:8080"
_RETRY_STATUSES = {429, 503}


def credentials_path() -> Path:
    """~/.config/crownest/credentials, written by ``crownest login`` (the npm package's CLI)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "crownest" / "credentials"


def _stored() -> dict[str, str]:
    try:
        lines = credentials_path().read_text().splitlines()
    except OSError:
        return {}
    return {k.strip(): v.strip() for k, _, v in (line.partition("=") for line in lines) if v}


class Transport:
    """Retries 429/503 (after Retry-After, else an exponential back-off) and, when safe (a GET, or a
    request with an Idempotency-Key), a connection that got no answer. Nothing that could run twice."""

    def __init__(self, api_key: str | None = None, api_url: str | None = None, max_retries: int = 4,
                 backoff: float = 0.25, max_backoff: float = 20.0, timeout: float = 330.0):
        stored = {} if api_key and api_url else _stored()
        self.api_key = api_key or os.environ.get("CROWNEST_API_KEY") or stored.get("CROWNEST_API_KEY")
        if not self.api_key:
            raise CrowNestError("no API key: pass api_key, set CROWNEST_API_KEY, or run `crownest login`",
                                code="no_api_key")
        url = api_url or os.environ.get("CROWNEST_API_URL") or stored.get("CROWNEST_API_URL") or DEFAULT_API_URL
        self.api_url = url.rstrip("/")
        self.max_retries, self.backoff, self.max_backoff, self.timeout = max_retries, backoff, max_backoff, timeout

    def url(self, path: str, query: dict[str, Any] | None = None) -> str:
        q = {k: ("true" if v is True else "false" if v is False else v) for k, v in (query or {}).items() if v is not None}
        return self.api_url + path + ("?" + urllib.parse.urlencode(q) if q else "")

    def send(self, method: str, path: str, *, query: dict[str, Any] | None = None, json_body: Any = None,
             data: Any = None, headers: dict[str, str] | None = None, idempotent: bool | str = False,
             timeout: float | None = None, retry_connection: bool = True):
        """The open answer (status < 400; read or close it) or the API's error raised. With
        retry_connection=False a dropped connection is raised at once (429/503 are still retried)."""
        h = {"x-api-key": self.api_key, **(headers or {})}
        if json_body is not None:
            h["content-type"] = "application/json"
            data = json.dumps({k: v for k, v in json_body.items() if v is not None}).encode()
        if idempotent:
            h["idempotency-key"] = idempotent if isinstance(idempotent, str) else str(uuid.uuid4())
        replayable = data is None or isinstance(data, (bytes, str))
        safe = method == "GET" or "idempotency-key" in h
        retries = self.max_retries if replayable else 0
        attempt = 0
        while True:
            body = data.encode() if isinstance(data, str) else data
            req = urllib.request.Request(self.url(path, query), data=body, headers=h, method=method)
            try:
                return urllib.request.urlopen(req, timeout=timeout or self.timeout)
            except urllib.error.HTTPError as answer:
                err = error_for(answer.code, answer.read(), answer.headers)
                answer.close()
                if answer.code in _RETRY_STATUSES and attempt < retries:
                    time.sleep(err.retry_after if err.retry_after is not None else self.delay(attempt))
                    attempt += 1
                    continue
                raise err from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as cause:
                if safe and retry_connection and attempt < retries:
                    time.sleep(self.delay(attempt))
                    attempt += 1
                    continue
                raise ConnectionFailedError(f"{method} {path}: {cause}", code="connection_failed") from cause

    def delay(self, attempt: int) -> float:
        base = min(self.max_backoff, self.backoff * 2 ** attempt)
        return base / 2 + random.random() * base / 2

    def json(self, method: str, path: str, **kw) -> Any:
        with self.send(method, path, **kw) as res:
            raw = res.read()
        return json.loads(raw) if raw else None


def server_sent_events(res) -> Iterator[tuple[str, str, str | None]]:
    """(event, data, id) of a text/event-stream answer, as they arrive."""
    event, data, eid = "message", [], None
    while True:
        raw = res.readline()
        if not raw:
            return
        line = raw.decode("utf-8").rstrip("\r\n")
        if line == "":
            if data or event != "message":
                yield event, "\n".join(data), eid
            event, data, eid = "message", [], None
        elif not line.startswith(":"):
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "data":
                data.append(value)
            elif field == "event":
                event = value
            elif field == "id":
                eid = value
