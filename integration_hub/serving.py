"""Serve the console (and, outside production, the sandboxes) with a task worker beside it.

Used by ``manage.py demo``: one threaded web server in this process and one ``qcluster``
process, both stopped cleanly on Ctrl-C or SIGTERM.
"""

import signal
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from sandbox.server import make_server

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


class ConsoleServer:
    """A web server on a background thread plus an optional django-q2 worker process."""

    def __init__(self, host="127.0.0.1", port=8000):
        # Not get_wsgi_application(): it runs django.setup() again, whose logging configuration
        # would undo the command's own (the demo sends its log lines to a file).
        self.server = make_server(host, port, WSGIHandler())
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
