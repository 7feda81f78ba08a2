"""``manage.py sandbox``: switch values are checked, --clear keeps the webhook, set-up mistakes are one line."""

import io
import json
import socket

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from sandbox import faults

pytestmark = pytest.mark.django_db(databases=["default", "sandbox"])


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def sandbox(*args):
    out = io.StringIO()
    call_command("sandbox", *args, stdout=out)
    return json.loads(out.getvalue()) if args[0] == "faults" else out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--error-rate", "1.5"], "error_rate must be a share between 0 and 1, not 1.5."),
        (["--latency-ms", "-5"], "latency_ms must be a number, 0 or more, not -5.0."),
        (["--set", "rate_limit=abc"], 'rate_limit must be a number, 0 or more, not "abc".'),
        (["--set", "busy_rate=2"], "busy_rate must be a share between 0 and 1, not 2."),
        (
            ["--set", "approval_objects=AccountObj"],
            'approval_objects must be a list of names, not "AccountObj".',
        ),
        (["--set", "no_such_switch=1"], "Unknown fault switches for fxiaoke: no_such_switch."),
    ],
)
def test_it_refuses_a_switch_value_that_does_not_fit_and_stores_nothing(args, message):
    before = faults.current_faults("fxiaoke")
    with pytest.raises(CommandError) as refused:
        sandbox("faults", "fxiaoke", *args)
    assert message in str(refused.value)
    assert faults.current_faults("fxiaoke") == before


def test_it_stores_values_that_fit():
    current = sandbox("faults", "fxiaoke", "--error-rate", "0.25", "--set", "rate_limit=50")
    assert current["fxiaoke"]["error_rate"] == 0.25 and current["fxiaoke"]["rate_limit"] == 50


def test_clear_drops_the_faults_but_keeps_the_demos_webhook():
    hook = "http://127.0.0.1:8000/hooks/sync/"
    sandbox(
        "faults",
        "fxiaoke",
        "--error-rate",
        "1",
        "--set",
        f"webhook_url={hook}",
        "--set",
        "webhook_connector=demo-crm",
    )

    current = sandbox("faults", "fxiaoke", "--clear")["fxiaoke"]

    assert current["error_rate"] == 0.0
    assert (current["webhook_url"], current["webhook_connector"]) == (hook, "demo-crm")


def test_the_control_api_reset_still_clears_everything():
    faults.set_faults("fxiaoke", webhook_url="http://127.0.0.1:1/hooks/sync/")
    assert faults.set_faults("fxiaoke", reset=True)["webhook_url"] == ""


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_refuses_a_port_that_is_not_one(port):
    with pytest.raises(CommandError, match="is not a port: give a number from 0 to 65535"):
        call_command("sandbox", "serve", "--port", port)


def test_serve_on_a_busy_port_says_so_and_suggests_another():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"Port {port} on 127.0.0.1 is in use.*--port"):
            call_command("sandbox", "serve", "--port", str(port), stdout=io.StringIO())


def test_the_control_api_answers_a_value_that_does_not_fit_with_400(client):
    response = client.post(
        "/sandbox/control/faults/fxiaoke", {"error_rate": 1.5}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "error_rate must be a share between 0 and 1" in response.json()["error"]


def test_a_refusal_is_in_the_installations_language():
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        sandbox("faults", "fxiaoke", "--error-rate", "1.5")
    assert str(refused.value) == "error_rate 必须是0 到 1 之间的比例，不能是 1.5。"


def test_serve_before_setup_says_the_console_is_not_set_up_and_serves_the_sandboxes(tmp_path):
    from tests.support.sandbox import SandboxServer

    server = SandboxServer(tmp_path).start()  # a data folder whose hub database nobody set up
    try:
        assert server.http.get(server.k3cloud_url.rstrip("/") + "/", timeout=10).status_code < 500
    finally:
        server.stop()
        server.log.close()
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "python manage.py setup" in log
