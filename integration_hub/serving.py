"""Serve the console (and, outside production, the sandboxes) with a task worker beside it.

Used by ``manage.py demo``: one threaded web server in this process and one ``qcluster``
process, both stopped cleanly on Ctrl-C or SIGTERM. The server is the hub's own, not the
sandboxes' (``sandbox.server``, which can reset a connection mid-call): where the demo serves
the sandboxes from this process, a sandbox asked to drop a connection answers HTTP 502 instead.
"""

import logging
import signal
import socket
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"
logger = logging.getLogger(__name__)


class ConsoleRequestHandler(WSGIRequestHandler):
    """One request: answered without Nagle's delay, logged at debug level only."""

    def setup(self):
        super().setup()
        # Headers and body leave in separate writes; without TCP_NODELAY the body would wait
        # for the browser's delayed ACK (about 40 ms on Linux).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # noqa: A002 - signature from BaseHTTPRequestHandler
        logger.debug("%s %s", self.address_string(), format % args)


class ThreadedConsoleServer(socketserver.ThreadingMixIn, WSGIServer):
    # Pages, the webhook and (in the demo) the sandboxes' calls arrive at once: a thread each.
    daemon_threads = True
    request_queue_size = 128


class ConsoleServer:
    """A web server on a background thread plus an optional django-q2 worker process."""

    def __init__(self, host="127.0.0.1", port=8000):
        # Not get_wsgi_application(): it runs django.setup() again, whose logging configuration
        # would undo the command's own (the demo sends its log lines to a file).
        self.server = ThreadedConsoleServer((host, port), ConsoleRequestHandler, ipv6=":" in host)
        self.server.set_app(WSGIHandler())
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self.worker = None

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    def start(self):
        """Start answering HTTP on the background thread; returns self."""
        self.thread.start()
        return self

    def start_worker(self):
        """Start ``manage.py qcluster`` so schedules and queued runs are worked off."""
        self.worker = subprocess.Popen([sys.executable, str(MANAGE_PY), "qcluster"], cwd=settings.BASE_DIR)

    def wait(self):
        """Block until Ctrl-C or SIGTERM, then stop the worker and the server."""
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            while not stop.wait(0.5):
                if self.worker is not None and self.worker.poll() is not None:
                    break
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def stop(self):
        if self.worker is not None and self.worker.poll() is None:
            # qcluster finishes the task in hand and exits on SIGTERM (Ctrl-C reaches it too).
            self.worker.send_signal(signal.SIGTERM)
            try:
                self.worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        self.server.shutdown()
        self.server.server_close()
