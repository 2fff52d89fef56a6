"""``sbx.commands``: run (blocking, streamed or in the background), reattach, list, read, cancel."""

from __future__ import annotations

import http.client
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Optional
from urllib.parse import quote

from ._http import Transport, server_sent_events
from .errors import ConflictError, ConnectionFailedError, CrowNestError, NotFoundError, StreamError

Callback = Optional[Callable[[str], None]]
_LONGEST_BLOCKING_MS = 240_000
_RECONNECTS = 5
# The code of an SSE error event that ends a stream, not its command: the gateway lost the output under it.
_OUTPUT_INTERRUPTED = "output_interrupted"


@dataclass
class CommandResult:
    """A finished command: its record's fields, and the whole streamed output when it was streamed."""
    id: str
    exit_code: int | None
    stdout: str
    stderr: str
    duration_ms: int | None
    timed_out: bool = False
    artifacts: list[dict] = field(default_factory=list)
    collect_errors: list[dict] = field(default_factory=list)


def _result(record: dict, stdout: str | None = None, stderr: str | None = None) -> CommandResult:
    return CommandResult(
        id=record["id"], exit_code=record.get("exitCode"),
        stdout=record.get("stdout") or "" if stdout is None else stdout,
        stderr=record.get("stderr") or "" if stderr is None else stderr,
        duration_ms=record.get("durationMs"), timed_out=bool(record.get("timedOut")),
        artifacts=record.get("artifacts") or [], collect_errors=record.get("collectErrors") or [])


class _Stream:
    """What a streamed run or a reattach has read so far."""

    def __init__(self, on_stdout: Callback, on_stderr: Callback, on_gap=None):
        self.stdout, self.stderr, self.last_event_id, self.exit = "", "", None, None
        self.on_stdout, self.on_stderr, self.on_gap = on_stdout, on_stderr, on_gap

    def consume(self, res) -> None:
        """Reads events up to the exit, the body's end, or an ``output_interrupted`` error: the gateway
        lost the output under this stream (it stopped, or the node went away), not the command, so the
        caller follows it again from the last event as after a dropped connection. Any other error event
        raises StreamError."""
        for event, data, eid in server_sent_events(res):
            if eid is not None:
                self.last_event_id = eid
            payload = json.loads(data) if data else {}
            if event == "stdout":
                self.stdout += payload["data"]
                self.on_stdout and self.on_stdout(payload["data"])
            elif event == "stderr":
                self.stderr += payload["data"]
                self.on_stderr and self.on_stderr(payload["data"])
            elif event == "gap":
                self.on_gap and self.on_gap(payload)
            elif event == "exit":
                self.exit = payload
                return
            elif event == "error":
                e = payload.get("error", {})
                if e.get("code") == _OUTPUT_INTERRUPTED:
                    return
                raise StreamError(e.get("message", "the output stream failed"), code=e.get("code", "stream_error"),
                                  request_id=e.get("requestId"), body=payload)


class CommandHandle:
    """A command in the background: ``wait()`` for its result, ``kill()`` to cancel it."""

    def __init__(self, commands: "Commands", record: dict):
        self.commands, self.id, self.record = commands, record["id"], record

    def wait_record(self) -> dict:
        delay = 0.1
        while self.record.get("status") != "finished":
            time.sleep(delay)
            delay = min(1.0, delay * 2)
            self.record = self.commands.get(self.id)
        return self.record

    def wait(self) -> CommandResult:
        return _result(self.wait_record())

    def kill(self) -> dict:
        return self.commands.cancel(self.id)


class Commands:
    def __init__(self, http: Transport, sandbox_id: str):
        self._http = http
        self.path = f"/v1/sandboxes/{quote(sandbox_id, safe='')}/commands"

    def run(self, cmd: str, *, on_stdout: Callback = None, on_stderr: Callback = None, on_gap=None,
            collect: list | None = None, background: bool = False, timeout_ms: int | None = None,
            cwd: str | None = None, env: dict | None = None, stdin: str | None = None):
        """Blocking by default; streamed (SSE) with on_stdout/on_stderr; a CommandHandle with background=True."""
        body = {"cmd": cmd, "cwd": cwd, "env": env, "timeoutMs": timeout_ms, "stdin": stdin, "collect": collect}
        if background or (not on_stdout and not on_stderr and (timeout_ms or 0) > _LONGEST_BLOCKING_MS):
            handle = CommandHandle(self, self._http.json("POST", self.path, json_body=body, query={"wait": False},
                                                         idempotent=True))
            return handle if background else handle.wait()
        if on_stdout or on_stderr:
            return self._run_streamed(body, _Stream(on_stdout, on_stderr, on_gap))
        return _result(self._http.json("POST", self.path, json_body=body, idempotent=True))

    def _run_streamed(self, body: dict, state: _Stream) -> CommandResult:
        """One Idempotency-Key for every attempt. A lost answer means the command may run already: it
        is looked for before a second POST (the gateway gives a key back when its client goes away);
        a retry answered 409 idempotent_stream_not_replayable is followed through the stream route.
        Never a second run; a stream that breaks off, or that the gateway ends with an
        ``output_interrupted`` error event, is followed from its last event."""
        started_at = time.time()
        key = str(uuid.uuid4())
        command_id = None
        attempt = 0
        while not command_id:
            try:
                with self._http.send("POST", self.path, json_body={**body, "stream": True}, idempotent=key,
                                     headers={"accept": "text/event-stream"}, retry_connection=False) as res:
                    command_id = res.headers.get("x-crownest-command-id")
                    state.consume(res)
            except ConflictError as e:
                if e.code != "idempotent_stream_not_replayable":
                    raise
                command_id = (e.body or {}).get("error", {}).get("commandId") or self._find_started(body["cmd"], started_at)
            except (ConnectionFailedError, OSError, http.client.HTTPException):
                if command_id:
                    break  # broke off mid-stream: reattach below
                if attempt >= self._http.max_retries:
                    raise
                command_id = self._find_started(body["cmd"], started_at, tries=1, missing_ok=True)
                if not command_id:
                    time.sleep(self._http.delay(attempt))
                    attempt += 1
        if state.exit is None:
            return self.connect(command_id, _state=state)
        return _result(self.get(command_id), state.stdout, state.stderr)

    def _find_started(self, cmd: str, started_at: float, tries: int = 20, missing_ok: bool = False) -> str | None:
        """The newest command with that cmd since started_at (two identical ones at once are not told apart)."""
        for i in range(tries):
            for c in self.list(limit=50):
                started = c.get("startedAt")
                if c.get("cmd") == cmd and started and _epoch(started) >= started_at - 5:
                    return c["id"]
            if i + 1 < tries:
                time.sleep(0.25)
        if missing_ok:
            return None
        raise CrowNestError("the streamed run started but its command could not be found", code="command_not_found")

    def connect(self, command_id: str, *, on_stdout: Callback = None, on_stderr: Callback = None, on_gap=None,
                last_event_id: str | None = None, _state: _Stream | None = None) -> CommandResult:
        """Reattaches (GET .../commands/{cid}/stream): kept output from the first byte (or after
        last_event_id), ``gap`` events for what was not kept, then live, then the exit. A stream that
        breaks off (a dropped connection, a gateway that stopped under it) is resumed with Last-Event-ID,
        after a back-off while the gateway cannot be reached; _RECONNECTS attempts in a row that bring
        nothing new give up."""
        state = _state or _Stream(on_stdout, on_stderr, on_gap)
        if last_event_id is not None:
            state.last_event_id = last_event_id
        failures = 0
        while state.exit is None:
            start = state.last_event_id
            headers = {"accept": "text/event-stream"}
            if start is not None:
                headers["last-event-id"] = start
            try:
                with self._http.send("GET", f"{self.path}/{quote(command_id, safe='')}/stream",
                                     headers=headers) as res:
                    state.consume(res)
            except NotFoundError as e:
                if e.code != "route_not_found":
                    raise
                return self._from_record(command_id, state)  # a gateway without the stream route
            except (ConnectionFailedError, OSError, http.client.HTTPException) as lost:
                failure = lost
            else:
                failure = None
            if state.exit is not None:
                break
            if state.last_event_id != start:
                failures = 0
                continue
            failures += 1
            if failures > _RECONNECTS:
                raise StreamError(f"the output stream of {command_id} broke off {failures} times in a row",
                                  code="stream_lost") from failure
            time.sleep(self._http.delay(failures - 1))
        return _result(self.get(command_id), state.stdout, state.stderr)

    def _from_record(self, command_id: str, state: _Stream) -> CommandResult:
        record = CommandHandle(self, {"id": command_id}).wait_record()
        rest_out = (record.get("stdout") or "")[len(state.stdout):]
        rest_err = (record.get("stderr") or "")[len(state.stderr):]
        if rest_out and state.on_stdout:
            state.on_stdout(rest_out)
        if rest_err and state.on_stderr:
            state.on_stderr(rest_err)
        return _result(record)

    def list(self, **query: Any) -> list[dict]:
        page = self._http.json("GET", self.path, query=query)
        return page.get("data", []) if isinstance(page, dict) else page

    def get(self, command_id: str) -> dict:
        return self._http.json("GET", f"{self.path}/{quote(command_id, safe='')}")

    def cancel(self, command_id: str) -> dict:
        return self._http.json("POST", f"{self.path}/{quote(command_id, safe='')}/cancel", idempotent=True)


def _epoch(instant: str) -> float:
    # Java writes up to nine fraction digits and "Z"; Python 3.10's fromisoformat takes six and an offset
    text = re.sub(r"(\.\d{6})\d+", r"\1", instant.replace("Z", "+00:00"))
    return datetime.fromisoformat(text).timestamp()
