import pytest

from connectors.fxiaoke import FxiaokeConfig


def make_config(**overrides):
    values = {
        "base_url": "https://open.fxiaoke.com/",
        "app_id": "FSAID_1317cf4",
        "app_secret": "s3cret-value",
        "permanent_code": "PERM-123",
        "open_user_id": "FSUID_" + "A" * 32,
    }
    return FxiaokeConfig(**{**values, **overrides})


def test_it_spends_a_share_of_the_rate_limit_rounded_down():
    assert make_config().rate_permits == 80
    assert make_config(rate_limit=60, rate_budget_share=0.75).rate_permits == 45
    assert make_config(rate_limit=10, rate_budget_share=0.85).rate_permits == 8


def test_it_always_allows_at_least_one_call_per_period():
    assert make_config(rate_limit=1, rate_budget_share=0.5).rate_permits == 1


def test_it_spends_the_same_share_of_the_token_endpoints_ten_a_minute():
    assert make_config().token_rate_permits == 8


def test_it_joins_paths_to_the_base_url_without_double_slashes():
    config = make_config(base_url="http://127.0.0.1:8000/sandbox/fxiaoke/")
    assert (
        config.url("/cgi/crm/v2/data/query") == "http://127.0.0.1:8000/sandbox/fxiaoke/cgi/crm/v2/data/query"
    )


def test_it_keeps_secrets_out_of_its_repr():
    text = repr(make_config())
    assert "s3cret-value" not in text
    assert "PERM-123" not in text
    assert "FSAID_1317cf4" in text


def test_it_names_each_company_differently_and_one_way():
    first, second = make_config(), make_config(permanent_code="PERM-456")
    assert first.tenant_digest != second.tenant_digest
    assert first.tenant_digest == make_config(app_secret="rotated").tenant_digest
    assert "PERM" not in first.tenant_digest and len(first.tenant_digest) == 16


@pytest.mark.parametrize(
    "overrides",
    [{"base_url": ""}, {"connector_key": ""}, {"rate_limit": 0}, {"rate_budget_share": 1.5}],
)
def test_it_rejects_settings_no_call_could_work_with(overrides):
    with pytest.raises(ValueError):
        make_config(**overrides)
