"""Reattach after an ``output_interrupted`` error event, against a fake gateway on 127.0.0.1 (no stack):
the client's own logic. The stream breaks off with that event (the gateway stopped under it); the SDK
follows the command through the reattach route from the last event id, so every byte comes once, then
the exit. Any other error event still fails. (Against the real gateway: test_sandbox.py.)"""

import http.server
import json
import threading

import pytest

from crownest import StreamError
from crownest._http import Transport
from crownest.commands import Commands

OFFLINE = True  # a fake gateway of its own

RUN = "POST /v1/sandboxes/sbx_1/commands"
STREAM = "GET /v1/sandboxes/sbx_1/commands/cmd_1/stream"


def sse(event: str, data: dict, eid: str | None = None) -> bytes:
    return (f"id:{eid}\n" if eid is not None else "").encode() + f"event:{event}\ndata:{json.dumps(data)}\n\n".encode()


INTERRUPTED = sse("error", {"error": {"type": "unavailable", "code": "output_interrupted",
                                      "message": "the output could not be read to its end", "requestId": "req_1"}})


def exit_event(eid: str) -> bytes:
    return sse("exit", {"commandId": "cmd_1", "exitCode": 3, "timedOut": False}, eid)


@pytest.fixture
def gateway():
    """A fake gateway: ``script[route]`` lists the event streams it answers, one per request; ``asked``
    holds (method, path, Last-Event-ID) of each request."""
    script: dict[str, list[list[bytes]]] = {}
    asked: list[tuple[str, str, str | None]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self):
            self.rfile.read(int(self.headers.get("content-length") or 0))
            asked.append((self.command, self.path, self.headers.get("last-event-id")))
            if f"{self.command} {self.path}" == "GET /v1/sandboxes/sbx_1/commands/cmd_1":
                body = json.dumps({"id": "cmd_1", "status": "finished", "exitCode": 3, "stdout": "kept",
                                   "stderr": "", "durationMs": 12}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            streams = script.get(f"{self.command} {self.path}")
            if not streams:
                self.send_error(500)
                return
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("x-crownest-command-id", "cmd_1")
            self.send_header("connection", "close")
            self.end_headers()
            for event in streams.pop(0):
                self.wfile.write(event)
            self.close_connection = True

        do_GET = do_POST = answer

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    http_client = Transport(api_key="cn_test", api_url=f"http://127.0.0.1:{server.server_address[1]}", backoff=0.01)
    try:
        yield Commands(http_client, "sbx_1"), script, asked
    finally:
        server.shutdown()
        server.server_close()


def test_a_streamed_run_ended_by_output_interrupted_is_reattached_from_its_last_event_id(gateway):
    commands, script, asked = gateway
    script[RUN] = [[sse("stdout", {"data": "héllo "}, "7.0"), sse("stderr", {"data": "warn\n"}, "7.5"), INTERRUPTED]]
    script[STREAM] = [[sse("stdout", {"data": "world\n"}, "13.5"), exit_event("13.5")]]
    out, err = [], []
    r = commands.run("cmd", on_stdout=out.append, on_stderr=err.append)
    assert (r.stdout, r.stderr, r.exit_code) == ("héllo world\n", "warn\n", 3)
    assert ("".join(out), "".join(err)) == ("héllo world\n", "warn\n")
    assert [a[2] for a in asked if a[1].endswith("/stream")] == ["7.5"]
    assert len([a for a in asked if a[0] == "POST"]) == 1, "one run, never a second"


def test_connect_resumes_after_output_interrupted_on_the_reattach_route_and_after_a_dropped_stream(gateway):
    commands, script, asked = gateway
    script[STREAM] = [
        [sse("stdout", {"data": "a"}, "1.0"), INTERRUPTED],
        [sse("stdout", {"data": "b"}, "2.0")],  # ends without an exit: a dropped connection
        [sse("stdout", {"data": "c"}, "3.0"), exit_event("3.0")],
    ]
    seen = []
    r = commands.connect("cmd_1", on_stdout=seen.append)
    assert ("".join(seen), r.stdout, r.exit_code) == ("abc", "abc", 3)
    assert [a[2] for a in asked if a[1].endswith("/stream")] == [None, "1.0", "2.0"]


def test_another_error_event_still_fails_the_stream_with_its_code(gateway):
    commands, script, asked = gateway
    failed = sse("error", {"error": {"type": "internal", "code": "stream_failed", "message": "no", "requestId": "req_2"}})
    script[RUN] = [[sse("stdout", {"data": "x"}, "1.0"), failed]]
    with pytest.raises(StreamError) as e:
        commands.run("cmd", on_stdout=lambda s: None)
    assert (e.value.code, e.value.request_id) == ("stream_failed", "req_2")
    assert not [a for a in asked if a[1].endswith("/stream")], "not reattached"


def test_a_reattach_that_keeps_bringing_nothing_gives_up_with_stream_lost(gateway):
    commands, script, asked = gateway
    script[STREAM] = [[INTERRUPTED] for _ in range(10)]
    with pytest.raises(StreamError) as e:
        commands.connect("cmd_1", last_event_id="5.0")
    assert e.value.code == "stream_lost"
    assert len(asked) == 6, "the first attempt and 5 more"
