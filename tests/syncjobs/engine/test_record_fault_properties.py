"""Property: whatever one record holds, planning fails that record alone and names the field.

Hypothesis fills a page of accounts with arbitrary JSON (objects where text belongs, dates
past the calendar, 400-digit numbers, NUL bytes) and plans it as a run would, against an
in-memory ERP that knows its fields' types. No exception leaves the planner, every record
is decided, and each failure is a field's failure, never the batch's or a step's.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncjobs.adapters.base import SourceRecord
from syncjobs.engine.context import build_context
from syncjobs.engine.planner import plan
from syncjobs.mapping.targets import DECIMAL, TEXT, TargetField
from syncjobs.models import RecordStatus
from syncjobs.models.flow import record_mapping_version
from tests.syncjobs.engine.conftest import NO_WAIT
from tests.syncjobs.factories import make_flow, make_mapping, make_value_map
from tests.syncjobs.mapping.test_transform_properties import hostile, json_values

ERP_FIELDS = {
    "fnumber": TargetField(TEXT),
    "fname": TargetField(TEXT),
    "fcreditlimit": TargetField(DECIMAL, 23, 10),
    "fcontacts[].fqty": TargetField(DECIMAL, 23, 10),
}
ROWS = [
    ("FNumber", "account_no", "direct", {}, True),
    ("FName", "name", "direct", {}, False),
    ("FCreditLimit", "credit", "number", {"decimals": 2}, False),
    ("FCreateDate", "signed", "datetime", {"output_format": "%Y-%m-%d"}, False),
    ("F_Level", "level", "value_map", {"map": "levels"}, False),
    ("FContacts[].FQty", "contacts[].qty", "number", {}, False),
    ("FContacts[].FNote", "", "template", {"template": "{name}: {contacts[].qty}"}, False),
]
values = hostile | json_values
accounts = st.lists(
    st.fixed_dictionaries(
        {"account_no": st.text(min_size=1, max_size=6) | values},
        optional={
            "name": values,
            "credit": values,
            "signed": values,
            "level": values,
            "contacts": st.lists(st.fixed_dictionaries({}, optional={"qty": values}), max_size=3) | values,
        },
    ),
    min_size=1,
    max_size=6,
)


def flow_for(connectors):
    flow = make_flow(
        "accounts", source=connectors["crm"], target=connectors["erp"], batch_size=10, options=dict(NO_WAIT)
    )
    for position, (target, source, transform, params, required) in enumerate(ROWS, start=1):
        make_mapping(flow, target, source, transform, params, required=required, position=position)
    make_value_map("levels", {"1": "A", "2": "B"})
    return flow


def test_planning_any_page_fails_only_the_records_it_must_and_names_their_fields(connectors, erp):
    erp.fields["BD_Customer"] = ERP_FIELDS
    flow = flow_for(connectors)
    flow.target_object = "BD_Customer"
    flow.save()
    ctx = build_context(flow, record_mapping_version(flow)[0])
    targets = {row[0] for row in ROWS}

    @settings(
        max_examples=150,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(accounts)
    def check(page):
        records = [SourceRecord(f"r{i}", f"N{i}", None, data) for i, data in enumerate(page)]

        items = plan(ctx, records, dry=True)

        assert [item.record.id for item in items] == [record.id for record in records]
        for item in items:
            if item.status == RecordStatus.FAILED:
                assert item.error_field in targets, item.error_message
                assert "\x00" not in item.error_message
            else:
                assert item.action and item.payload is not None

    check()
