"""The admin's import pages: size and row limits, unreadable files, and *change* for existing objects."""

import io
import json

import openpyxl
import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from syncjobs.models import SyncFlow, ValueMap, ValueMapEntry
from syncjobs.resources import SyncFlowResource, ValueMapEntryResource
from tests.syncjobs.conftest import CsrfClient
from tests.syncjobs.factories import make_flow, make_fxiaoke, make_k3cloud, make_value_map

pytestmark = pytest.mark.django_db

# The import form's format choices, in the order the admins list them.
JSON_FORMAT, CSV_FORMAT, XLSX_FORMAT = "0", "1", "2"
ENTRY_HEADERS = "value_map,value_map_name,source_value,target_value,note\n"


def _upload(name, content):
    data = content if isinstance(content, bytes) else content.encode()
    return SimpleUploadedFile(name, data)


def _import(client, url_name, name, content, file_format):
    return client.post_form(
        reverse(url_name), {"format": file_format, "resource": "0", "import_file": _upload(name, content)}
    )


def _form_errors(response):
    return " ".join(response.context["form"].errors.get("import_file", []))


def _entries_csv(count, slug="units"):
    return ENTRY_HEADERS + "".join(f"{slug},Units,S{n},T{n},\n" for n in range(count))


def test_the_form_states_the_limits(admin_client_csrf, settings):
    settings.INTEGRATION_HUB_IMPORT_MAX_BYTES = 1024 * 1024
    settings.INTEGRATION_HUB_IMPORT_MAX_ROWS = 20_000
    page = admin_client_csrf.get(reverse("admin:syncjobs_valuemapentry_import"))
    help_text = page.context["form"].fields["import_file"].help_text
    assert "1.0\xa0MB" in help_text and "20,000 rows" in help_text and "UTF-8" in help_text


def test_a_file_over_the_size_limit_is_refused_unread(admin_client_csrf, settings):
    settings.INTEGRATION_HUB_IMPORT_MAX_BYTES = 1000
    response = _import(
        admin_client_csrf, "admin:syncjobs_valuemapentry_import", "big.csv", _entries_csv(100), CSV_FORMAT
    )
    assert response.status_code == 200
    assert "at most 1000\xa0bytes can be imported" in _form_errors(response)
    assert not ValueMap.objects.exists()


@pytest.mark.parametrize("file_format", [CSV_FORMAT, JSON_FORMAT, XLSX_FORMAT])
def test_a_file_over_the_row_limit_is_refused(admin_client_csrf, settings, file_format):
    settings.INTEGRATION_HUB_IMPORT_MAX_ROWS = 5
    rows = [["units", "Units", f"S{n}", f"T{n}", ""] for n in range(6)]
    headers = ENTRY_HEADERS.strip().split(",")
    if file_format == CSV_FORMAT:
        name, content = "entries.csv", _entries_csv(6)
    elif file_format == JSON_FORMAT:
        name, content = "entries.json", json.dumps([dict(zip(headers, row, strict=True)) for row in rows])
    else:
        book = openpyxl.Workbook()
        book.active.append(headers)
        for row in rows:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        name, content = "entries.xlsx", buffer.getvalue()

    response = _import(admin_client_csrf, "admin:syncjobs_valuemapentry_import", name, content, file_format)

    assert "more than 5 rows" in _form_errors(response)
    assert not ValueMap.objects.exists()


def test_a_file_at_the_row_limit_is_previewed(admin_client_csrf, settings):
    settings.INTEGRATION_HUB_IMPORT_MAX_ROWS = 5
    response = _import(
        admin_client_csrf, "admin:syncjobs_valuemapentry_import", "entries.csv", _entries_csv(5), CSV_FORMAT
    )
    assert response.context["confirm_form"] is not None


def test_a_gbk_file_is_told_to_be_saved_as_utf8(admin_client_csrf):
    content = (ENTRY_HEADERS + "units,单位,个,PCS,\n").encode("gbk")
    response = _import(
        admin_client_csrf, "admin:syncjobs_valuemapentry_import", "units.csv", content, CSV_FORMAT
    )
    message = _form_errors(response)
    assert "not UTF-8" in message and "Save it as UTF-8" in message


def _user_with(*codenames):
    user = User.objects.create_user("adam", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="syncjobs", codename__in=codenames)
    )
    return CsrfClient(user)


def _preview_problems(response):
    result = response.context["result"]
    return " ".join(str(message) for row in result.invalid_rows for message in row.error.messages)


@pytest.fixture
def flows():
    crm, erp = make_fxiaoke(), make_k3cloud()
    make_flow("customers", crm, erp, batch_size=50)
    return SyncFlowResource().export(SyncFlow.objects.all())


def test_an_add_only_user_may_import_new_flows(flows):
    client = _user_with("add_syncflow", "view_syncflow")
    exported = flows.export("json").replace('"customers"', '"customers-copy"')
    response = _import(client, "admin:syncjobs_syncflow_import", "flows.json", exported, JSON_FORMAT)
    assert response.context["confirm_form"] is not None


def test_an_add_only_user_may_not_change_an_existing_flow_by_import(flows):
    client = _user_with("add_syncflow", "view_syncflow")
    exported = flows.export("json").replace('"batch_size": "50"', '"batch_size": "7"')

    response = _import(client, "admin:syncjobs_syncflow_import", "flows.json", exported, JSON_FORMAT)

    assert "confirm_form" not in response.context
    assert "“Customers” exists already, and you may add flows but not change them" in _preview_problems(
        response
    )
    assert SyncFlow.objects.get().batch_size == 50


def test_a_user_with_change_may_change_an_existing_flow_by_import(flows):
    client = _user_with("add_syncflow", "change_syncflow", "view_syncflow")
    exported = flows.export("json").replace('"batch_size": "50"', '"batch_size": "7"')
    response = _import(client, "admin:syncjobs_syncflow_import", "flows.json", exported, JSON_FORMAT)
    assert response.context["confirm_form"] is not None
    assert [row.import_type for row in response.context["result"].rows] == ["update"]


def test_an_add_only_user_may_add_entries_but_not_change_one():
    make_value_map("units", {"个": "PCS"}, name="Units")
    client = _user_with("add_valuemapentry", "view_valuemapentry")
    added = _import(
        client,
        "admin:syncjobs_valuemapentry_import",
        "units.csv",
        ENTRY_HEADERS + "units,Units,个,PCS,\nunits,Units,箱,BOX,\n",
        CSV_FORMAT,
    )
    assert added.context["confirm_form"] is not None

    changed = _import(
        client,
        "admin:syncjobs_valuemapentry_import",
        "units.csv",
        ENTRY_HEADERS + "units,Units,个,EA,\n",
        CSV_FORMAT,
    )
    assert "confirm_form" not in changed.context
    assert "you may add value map entries but not change them" in _preview_problems(changed)
    assert ValueMap.objects.get(slug="units").as_dict() == {"个": "PCS"}


def test_a_flow_file_may_not_change_installed_value_maps_without_that_permission(flows):
    make_value_map("levels", {"1": "VIP"}, name="Levels")
    client = _user_with("add_syncflow", "view_syncflow")
    row = json.loads(flows.export("json"))[0]
    row["slug"] = "customers-copy"
    row["value_maps"] = json.dumps([{"slug": "levels", "name": "Levels", "entries": [{"source_value": "1"}]}])
    response = _import(client, "admin:syncjobs_syncflow_import", "flows.json", json.dumps([row]), JSON_FORMAT)
    assert "changes value maps that exist already (levels)" in _preview_problems(response)


@pytest.mark.django_db(transaction=True)
def test_the_value_map_dry_run_opens_no_transaction_writes_nothing_and_reads_the_map_once():
    dataset = ValueMapEntryResource().export(ValueMapEntry.objects.none())
    for n in range(30):
        dataset.append(["units", "Units", f"S{n}", f"T{n}", ""])

    with CaptureQueriesContext(connection) as queries:
        result = ValueMapEntryResource().import_data(dataset, dry_run=True)

    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new"] * 30
    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    assert set(statements) == {"SELECT"}, statements
    # The map and its entries are read once, not once per row.
    assert len(statements) <= 3, statements
    assert not ValueMap.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_confirmed_value_map_import_commits_row_by_row():
    dataset = ValueMapEntryResource().export(ValueMapEntry.objects.none())
    for n in range(3):
        dataset.append(["units", "Units", f"S{n}", f"T{n}", ""])

    with CaptureQueriesContext(connection) as queries:
        result = ValueMapEntryResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert ValueMap.objects.get(slug="units").as_dict() == {"S0": "T0", "S1": "T1", "S2": "T2"}
    begins = [query for query in queries.captured_queries if query["sql"].upper().startswith("BEGIN")]
    # One short transaction per row, none around the whole file.
    assert len(begins) == 3


@pytest.mark.django_db(transaction=True)
def test_the_flow_dry_run_opens_no_transaction_and_writes_nothing(flows):
    dataset = flows
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    dataset = SyncFlowResource().export(SyncFlow.objects.none())
    dataset.append([{**row, "slug": "customers-copy"}[header] for header in dataset.headers])

    with CaptureQueriesContext(connection) as queries:
        result = SyncFlowResource().import_data(dataset, dry_run=True)

    assert [row.import_type for row in result.rows] == ["new"]
    assert {query["sql"].split()[0].upper() for query in queries.captured_queries} == {"SELECT"}
    assert not SyncFlow.objects.filter(slug="customers-copy").exists()
