"""The transport types what went wrong by the exception, never by its text: a write that
provably never left may be repeated, one that may have arrived may not."""

import socket
import threading

import pytest

from connectors.errors import OutcomeUnknownError, TransientError
from connectors.http import HttpTransport


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens on it once the probe is closed


@pytest.fixture
def silent_server():
    """A server that reads the request and then hangs up without a word."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        connection, _address = listener.accept()
        with connection:
            connection.recv(65536)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/save"
    thread.join(timeout=5)
    listener.close()


def post(url, *, is_write=True):
    transport = HttpTransport("k3cloud", timeout=(2, 2))
    try:
        return transport.post_json(url, json={"a": 1}, is_write=is_write, operation="Save")
    finally:
        transport.close()


def test_a_write_to_a_port_nobody_listens_on_never_left_and_may_be_repeated():
    with pytest.raises(TransientError) as raised:
        post(f"http://127.0.0.1:{closed_port()}/save")

    assert not isinstance(raised.value, OutcomeUnknownError)
    assert "cannot reach k3cloud (Save)" in raised.value.message


def test_a_write_to_a_name_that_does_not_resolve_never_left():
    with pytest.raises(TransientError) as raised:
        post("http://no-such-host.invalid/save")

    assert not isinstance(raised.value, OutcomeUnknownError)
    assert "cannot reach k3cloud" in raised.value.message


def test_a_write_whose_connection_closed_after_the_request_may_have_been_applied(silent_server):
    with pytest.raises(OutcomeUnknownError) as raised:
        post(silent_server)

    assert "the write may have been applied" in raised.value.message


def test_a_read_whose_connection_closed_after_the_request_is_only_transient(silent_server):
    with pytest.raises(TransientError) as raised:
        post(silent_server, is_write=False)

    assert not isinstance(raised.value, OutcomeUnknownError)
    assert "no answer from k3cloud to Save" in raised.value.message
