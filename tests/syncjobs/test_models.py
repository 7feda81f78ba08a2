import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from syncjobs.models import Connector, MappingVersion, SyncRecord
from syncjobs.models.flow import record_mapping_version
from tests.syncjobs.factories import (
    CANARY,
    make_cross_reference,
    make_flow,
    make_fxiaoke,
    make_k3cloud,
    make_mapping,
    make_run,
)

pytestmark = pytest.mark.django_db


def test_k3cloud_connector_requires_the_secrets_of_its_sign_in_method():
    connector = Connector(
        name="ERP",
        slug="erp",
        system="k3cloud",
        base_url="https://erp.example.com/k3cloud/",
        auth_mode="password",
    )
    with pytest.raises(ValidationError) as caught:
        connector.full_clean()
    assert set(caught.value.message_dict) == {"acct_id", "username", "password"}
    connector.auth_mode = "signed_headers"
    with pytest.raises(ValidationError) as caught:
        connector.full_clean()
    assert {"app_id", "app_secret"} <= set(caught.value.message_dict)


def test_fxiaoke_connector_needs_an_acting_user():
    connector = make_fxiaoke(open_user_id="")
    with pytest.raises(ValidationError) as caught:
        connector.full_clean()
    assert "open_user_id" in caught.value.message_dict
    connector.mobile = "13800000000"
    connector.full_clean()


def test_k3cloud_client_config_carries_every_field():
    connector = make_k3cloud(auth_mode="signed_headers", lcid=1033, org_number="101", timeout=5.0)
    config = connector.client_config()
    assert type(config).__name__ == "K3CloudConfig"
    assert (config.server_url, config.acct_id, config.username, config.auth_mode) == (
        "https://erp.example.com/k3cloud/",
        "acct01",
        "api_user",
        "signed_headers",
    )
    assert (config.app_id, config.app_secret, config.lcid, config.org_number) == (
        "123456_app",
        CANARY,
        1033,
        "101",
    )
    assert (config.connector_key, config.timeout, config.max_concurrency) == ("k3cloud:erp", 5.0, 4)


def test_fxiaoke_client_config_carries_every_field():
    connector = make_fxiaoke(rate_limit=50, rate_period_seconds=10.0, rate_budget_share=0.5)
    config = connector.client_config()
    assert type(config).__name__ == "FxiaokeConfig"
    assert (config.base_url, config.app_id, config.app_secret, config.permanent_code) == (
        "https://open.fxiaoke.com",
        "FSAID_1",
        CANARY,
        CANARY + "-code",
    )
    assert config.open_user_id == "FSUID_" + "A" * 32
    assert (config.rate_limit, config.rate_period_seconds, config.rate_budget_share) == (50, 10.0, 0.5)
    assert config.connector_key == "fxiaoke:crm"


def validation_errors(row):
    """The row's validation messages by field, empty when it is valid."""
    try:
        row.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def test_flow_options_are_validated():
    flow = make_flow()
    flow.match_keys = ["FSaleOrderEntry[].FQty"]
    flow.post_actions = [{"action": "allocate"}]
    flow.schedule_minutes, flow.schedule_cron = 5, "61 * * * *"
    flow.options = ["max_attempts"]
    assert set(validation_errors(flow)) == {"match_keys", "post_actions", "schedule_cron", "options"}


def test_flow_with_valid_options_passes():
    options = {
        "match_keys": ["FNumber"],
        "post_actions": [{"action": "submit"}, {"action": "allocate", "organisations": ["101"]}],
        "schedule_cron": "*/15 * * * *",
        "source_filter": [{"field_name": "life_status", "operator": "EQ", "field_values": ["normal"]}],
    }
    flow = make_flow(**options)
    assert validation_errors(flow) == {}
    flow.refresh_from_db()
    assert {name: getattr(flow, name) for name in options} == options  # kept as given


def test_mapping_row_parameters_are_validated_on_save():
    flow = make_flow()
    row = make_mapping(flow, "FQty", "quantity", "number", {"decimals": "two"})
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert "params" in caught.value.message_dict


def test_mapping_versions_are_numbered_and_created_only_on_change(integration_admin):
    flow = make_flow()
    make_mapping(flow, "FName", "name")
    first, created = record_mapping_version(flow, integration_admin)
    assert (first.number, created, first.created_by) == (1, True, integration_admin)
    assert record_mapping_version(flow) == (first, False)
    make_mapping(flow, "FNumber", "code")
    second, created = record_mapping_version(flow)
    assert (second.number, created) == (2, True)
    assert [row["target_path"] for row in second.rows] == ["FName", "FNumber"]


def test_mapping_versions_are_immutable():
    flow = make_flow()
    make_mapping(flow, "FName", "name")
    version, _created = record_mapping_version(flow)
    version.rows = []
    with pytest.raises(ValidationError):
        version.save()
    assert MappingVersion.objects.get(pk=version.pk).rows[0]["target_path"] == "FName"


def test_a_source_record_maps_to_one_target_only():
    flow = make_flow()
    make_cross_reference(flow, "a1", "C001")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_cross_reference(flow, "a1", "C002", target_id="t-other")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_cross_reference(flow, "a2", "C001", target_id="t-a1")


def test_pending_cross_references_do_not_collide():
    flow = make_flow()
    make_cross_reference(flow, "a1", "", target_id="")
    make_cross_reference(flow, "a2", "", target_id="")
    assert flow.cross_references.count() == 2


def test_record_payloads_and_errors_are_redacted_even_in_bulk():
    run = make_run(make_flow())
    SyncRecord.objects.bulk_create(
        [
            SyncRecord(
                run=run,
                flow=run.flow,
                source_id="a1",
                status="failed",
                source_snapshot={"name": "ACME", "appSecret": CANARY},
                response_excerpt={"body": f'{{"corpAccessToken": "{CANARY}"}}'},
                error_message=f"login failed: password={CANARY}",
            )
        ]
    )
    record = SyncRecord.objects.get()
    assert record.source_snapshot == {"name": "ACME", "appSecret": "***"}
    assert CANARY not in str(record.response_excerpt)
    assert CANARY not in record.error_message


@pytest.mark.parametrize(
    ("post_actions", "valid"),
    [
        ([{"action": "notify_owner", "template": "{name}"}], True),
        ([{"action": "unaudit"}, {"action": "audit"}], True),
        ([{"action": ""}], False),
        (["submit"], False),
        ([{"action": "allocate", "organisations": []}], False),
    ],
)
def test_post_actions_are_checked_for_shape(post_actions, valid):
    flow = make_flow(post_actions=post_actions)
    if valid:
        flow.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            flow.full_clean()
        assert "post_actions" in caught.value.message_dict
