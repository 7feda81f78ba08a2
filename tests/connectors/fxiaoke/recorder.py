"""A stand-in Open API server for contract tests: records every JSON body it receives and
answers with the literal reply shapes the spec quotes (or ones a test sets)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN_REPLY = {
    "errorCode": 0,
    "errorMessage": "OK",
    "corpAccessToken": "CORP-TOKEN-1",
    "corpId": "FSCID_CONTRACT",
    "expiresIn": 7200,
}
OK = {"errorCode": 0, "errorMessage": "OK", "errorDescription": "success", "traceId": "E-O.contract"}


class RecordingCrm:
    """``requests`` holds ``(path, body)`` in arrival order; ``replies[path]`` is the answer,
    or a list of answers given in turn (the last one repeats)."""

    def __init__(self):
        self.requests = []
        self.replies = {"/cgi/corpAccessToken/get/V2": TOKEN_REPLY}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def bodies(self, path):
        return [body for seen, body in self.requests if seen == path]

    def next_reply(self, path):
        reply = self.replies.get(path, OK)
        if isinstance(reply, list):
            return reply.pop(0) if len(reply) > 1 else reply[0]
        return reply

    def _handler(self):
        crm = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                crm.requests.append((self.path, body))
                payload = json.dumps(crm.next_reply(self.path)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format, *args):  # noqa: A002 - signature from the base class
                pass

        return Handler
