"""The console's own server leaves the command's logging as the command set it."""

import logging

from integration_hub.serving import ConsoleServer


def test_starting_the_console_server_keeps_the_logging_handlers_a_command_set():
    root = logging.getLogger()
    marker = logging.NullHandler()
    root.addHandler(marker)
    try:
        server = ConsoleServer("127.0.0.1", 0)
        server.server.server_close()
        assert marker in root.handlers  # django.setup() again would have replaced every handler
    finally:
        root.removeHandler(marker)
