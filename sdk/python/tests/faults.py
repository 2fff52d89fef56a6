"""A proxy on 127.0.0.1 in front of the real gateway that drops the connection of chosen requests
after the gateway took them (the answer is lost), or answers them 503 with Retry-After, or
(``interrupt``) passes an event stream through its first stdout event and ends it there with the
gateway's ``output_interrupted`` error event, as a gateway that stops under a stream does. Everything
else is forwarded as it is, answers streamed back."""

import http.client
import http.server
import json
import re
import threading
import urllib.parse


def faulty_proxy(target: str, faults: list[dict]):
    upstream = urllib.parse.urlsplit(target)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def forward(self):
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            fault = next((f for f in faults if f["times"] > 0 and f["method"] == self.command
                          and re.search(f["path"], self.path)), None)
            if fault:
                fault["times"] -= 1
            if fault and fault["kind"] == "503":
                payload = json.dumps({"error": {"type": "unavailable", "code": "no_capacity", "message": "injected"}}).encode()
                self.send_response(503)
                self.send_header("retry-after", str(fault.get("retry_after", 1)))
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=300)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            conn.request(self.command, self.path, body=body, headers=headers)
            answer = conn.getresponse()
            if fault and fault["kind"] == "drop":
                fault["dropped"] = True
                conn.close()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self.send_response(answer.status)
            for k, v in answer.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(k, v)
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            if fault and fault["kind"] == "interrupt":
                self.interrupt(answer, fault)
                conn.close()
                return
            while chunk := answer.read1(65536):
                self.send_chunk(chunk)
            self.wfile.write(b"0\r\n\r\n")
            conn.close()

        def send_chunk(self, chunk: bytes):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()

        def interrupt(self, answer, fault):
            """The events up to the end of the first stdout one, then the error event; the rest of the
            gateway's stream is read unseen, so the run's command goes on, as when its gateway stops."""
            stdout = False
            while line := answer.readline():
                self.send_chunk(line)
                stdout = stdout or line.startswith(b"event:stdout")
                if stdout and line.strip() == b"":
                    break
            error = {"error": {"type": "unavailable", "code": "output_interrupted", "message": "injected",
                               "requestId": "req_proxy"}}
            self.send_chunk(b"event:error\ndata:" + json.dumps(error).encode() + b"\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            fault["interrupted"] = True
            self.close_connection = True
            answer.read()

        do_GET = do_POST = do_PUT = do_DELETE = forward

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
