"""The platform's limits, scaled down through switches: calls per interface per window (14001),
the daily quota (30002, back at 00:00 Beijing time), no quota bought (30003)."""

LIST = "/cgi/crm/v2/object/list"
DESCRIBE = "/cgi/crm/v2/object/describe"


def test_the_per_interface_limit_answers_14001_within_the_window(fx, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=3, rate_window_seconds=20)
    auth = fx.auth()

    answers = [fx.post(LIST, auth)["errorCode"] for _ in range(4)]
    other_interface = fx.post(DESCRIBE, {**auth, "apiName": "AccountObj"})["errorCode"]
    sandbox.advance_clock("fxiaoke", 21)
    after_the_window = fx.post(LIST, auth)["errorCode"]

    assert answers == [0, 0, 0, 14001]
    assert other_interface == 0
    assert after_the_window == 0


def test_refused_calls_do_not_count_against_the_window(fx, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=2, rate_window_seconds=20)
    auth = fx.auth()

    answers = [fx.post(LIST, auth)["errorCode"] for _ in range(5)]
    sandbox.advance_clock("fxiaoke", 21)

    assert answers == [0, 0, 14001, 14001, 14001]
    assert [fx.post(LIST, auth)["errorCode"] for _ in range(3)] == [0, 0, 14001]


def test_the_daily_quota_answers_30002_until_midnight(fx, sandbox):
    sandbox.set_faults("fxiaoke", daily_quota=3)
    auth = fx.auth()

    answers = [
        fx.post(path, {**auth, "apiName": "AccountObj"})["errorCode"]
        for path in (LIST, DESCRIBE, LIST, DESCRIBE)
    ]
    token = fx.token()["errorCode"]  # the token endpoint is not charged
    sandbox.advance_clock("fxiaoke", 86_400)  # past one midnight, Beijing time

    assert answers == [0, 0, 0, 30002]
    assert token == 0
    assert fx.post(LIST, fx.auth(fresh=True))["errorCode"] == 0


def test_without_a_quota_every_business_call_answers_30003(fx, sandbox):
    sandbox.set_faults("fxiaoke", quota_mode="none")

    assert fx.token()["errorCode"] == 0
    assert fx.post(LIST, fx.auth())["errorCode"] == 30003


def test_refusals_are_in_the_call_log(fx, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=1)
    auth = fx.auth()
    first_id = fx.calls()[-1]["id"]

    fx.post(LIST, auth)
    fx.post(LIST, auth)

    outcomes = [(c["operation"], c["outcome"]) for c in fx.calls(after_id=first_id)]
    assert outcomes == [(LIST, "ok"), (LIST, "error 14001")]
