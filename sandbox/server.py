"""A threaded WSGI server that can really drop a connection.

The simulated systems must be able to reset the socket in the middle of a call ("the ERP
saved, the client never heard back"). A view asks for that with ``drop_connection(request)``;
this server then closes the socket with SO_LINGER 0, which sends a TCP RST, and writes
nothing. Under another server (the test client, runserver) the drop degrades to HTTP 502.
"""

import logging
import os
import socket
import socketserver
import struct

from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.http import HttpResponse

logger = logging.getLogger(__name__)

DROP_KEY = "sandbox.drop"
HANDLER_KEY = "sandbox.request_handler"


def drop_connection(request):
    """Mark the request's connection to be reset instead of answered; return a placeholder."""
    request.META[DROP_KEY] = True
    if HANDLER_KEY not in request.META:
        return HttpResponse("connection dropped by the sandbox", status=502, content_type="text/plain")
    return HttpResponse(status=204)


class SandboxRequestHandler(WSGIRequestHandler):
    def setup(self):
        super().setup()
        # Headers and body leave in separate writes; without TCP_NODELAY the body waits for
        # the client's delayed ACK (about 40 ms on Linux) on every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def get_environ(self):
        environ = super().get_environ()
        environ[HANDLER_KEY] = self
        return environ

    def log_message(self, format, *args):  # noqa: A002 - signature from BaseHTTPRequestHandler
        logger.debug("%s %s", self.address_string(), format % args)


def reset_socket(handler):
    """Close the handler's socket so the peer sees a reset, not an orderly close."""
    handler.close_connection = True
    sock = handler.connection
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # detach() so the buffered reader/writer cannot keep the descriptor alive.
        os.close(sock.detach())
    except OSError:
        pass


class DroppingApplication:
    """WSGI wrapper: after the app ran, reset the socket when the view asked for it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        result = self.application(environ, start_response)
        if environ.get(DROP_KEY) and environ.get(HANDLER_KEY) is not None:
            if hasattr(result, "close"):
                result.close()
            reset_socket(environ[HANDLER_KEY])
            # wsgiref's ServerHandler.run() swallows exactly this error type quietly.
            raise ConnectionResetError("connection dropped by the sandbox")
        return result


class ThreadedSandboxServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 256


def make_server(host, port, application):
    """Bind a threaded server on ``host:port`` (port 0 picks a free one) serving ``application``."""
    server = ThreadedSandboxServer((host, port), SandboxRequestHandler, ipv6=":" in host)
    server.set_app(DroppingApplication(application))
    return server
