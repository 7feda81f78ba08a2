"""A threaded WSGI server that can really drop a connection.

The simulated systems must be able to reset the socket in the middle of a call ("the ERP
saved, the client never heard back"). A view asks for that with ``drop_connection(request)``;
this server then closes the socket with SO_LINGER 0, which sends a TCP RST, and writes
nothing. Under another server (the test client, runserver) the drop degrades to HTTP 502.
"""

import os
import socket
import struct

from django.http import HttpResponse

from integration_hub.serving import ConsoleRequestHandler, ThreadedConsoleServer

DROP_KEY = "sandbox.drop"
HANDLER_KEY = "sandbox.request_handler"


def drop_connection(request):
    """Mark the request's connection to be reset instead of answered; return a placeholder."""
    request.META[DROP_KEY] = True
    if HANDLER_KEY not in request.META:
        return HttpResponse("connection dropped by the sandbox", status=502, content_type="text/plain")
    return HttpResponse(status=204)


class SandboxRequestHandler(ConsoleRequestHandler):
    """The console's request handler, which also hands itself to the app so a view can drop it."""

    def get_environ(self):
        environ = super().get_environ()
        environ[HANDLER_KEY] = self
        return environ


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


class ThreadedSandboxServer(ThreadedConsoleServer):
    # A benchmark's workers call the sandboxes many at a time: a longer backlog than the console's.
    request_queue_size = 256


def make_server(host, port, application):
    """Bind a threaded server on ``host:port`` (port 0 picks a free one) serving ``application``."""
    server = ThreadedSandboxServer((host, port), SandboxRequestHandler, ipv6=":" in host)
    server.set_app(DroppingApplication(application))
    return server
