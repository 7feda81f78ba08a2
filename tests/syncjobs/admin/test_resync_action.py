"""The flow action "Resync…": a form page for the scope, then a queued run and its live progress."""

# ruff: noqa: F811 - the engine's in-memory fixtures are imported, then named as test arguments

import json

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from syncjobs.engine.dispatch import EXECUTE_RUN
from syncjobs.models import MappingVersion, RunStatus, SyncRun
from syncjobs.operations import control
from tests.support.queue import empty_queue, waiting_tasks
from tests.syncjobs.admin.test_flow_admin import existing_rows, flow_form
from tests.syncjobs.engine.conftest import add_accounts, connectors, crm, customers, erp, run_now  # noqa: F401
from tests.syncjobs.factories import make_flow

FLOWS = reverse("admin:syncjobs_syncflow_changelist")


def resync(client, flow, **fields):
    data = {"action": "resync_flow", "_selected_action": [str(flow.pk)], **fields}
    return client.post_form(FLOWS, data)


def test_the_action_first_shows_the_scope_form_with_the_records_written(admin_client_csrf, customers, crm):
    add_accounts(crm, 2)
    run_now(customers)
    runs = SyncRun.objects.count()

    response = resync(admin_client_csrf, customers)

    page = response.content.decode()
    assert response.status_code == 200 and "Resync Customers" in page
    assert "This flow has written 2 records to its target." in page
    for kind in ("all", "since", "filter", "ids"):
        assert f'value="{kind}"' in page
    assert 'name="apply"' in page and SyncRun.objects.count() == runs


def test_applying_the_form_queues_the_resync_and_opens_its_progress(
    admin_client_csrf,
    customers,
    django_capture_on_commit_callbacks,
):
    empty_queue()
    with django_capture_on_commit_callbacks(execute=True):
        response = resync(admin_client_csrf, customers, apply="yes", scope="since", since="2026-09-01")

    run = SyncRun.objects.get()
    assert response["Location"] == reverse("admin:syncjobs_syncrun_change", args=[run.pk])
    assert run.status == RunStatus.QUEUED and run.requested_by.username == "alice"
    assert run.options["full"] is True and run.options["scope"]["since"].startswith("2026-09-01T00:00:00")
    assert waiting_tasks() == [(EXECUTE_RUN, (run.pk,))]


def test_a_wrong_scope_is_shown_on_the_form_and_nothing_is_queued(admin_client_csrf, customers):
    response = resync(admin_client_csrf, customers, apply="yes", scope="ids", ids="  ")

    assert response.status_code == 200 and "Enter at least one source record id." in response.content.decode()
    assert not SyncRun.objects.exists()


def test_a_resync_of_a_paused_flow_is_held_until_it_is_resumed(
    admin_client_csrf, customers, integration_admin
):
    control.pause_flow(customers, user=integration_admin)
    before = set(SyncRun.objects.values_list("pk", flat=True))

    resync(admin_client_csrf, customers, apply="yes", scope="ids", ids="a1")

    run = SyncRun.objects.exclude(pk__in=before).get()
    assert run.status == RunStatus.PAUSED and run.resume_after == control.HELD_UNTIL


def test_the_action_asks_for_exactly_one_flow(admin_client_csrf, customers):
    other = make_flow("other", source=customers.source_connector, target=customers.target_connector)
    data = {"action": "resync_flow", "_selected_action": [str(customers.pk), str(other.pk)], "apply": "yes"}

    response = admin_client_csrf.post_form(FLOWS, data, follow=True)

    assert "Choose exactly one flow to resync." in response.content.decode()
    assert not SyncRun.objects.exists()


def test_resync_is_refused_without_the_run_permission(staff_client, staff_without_role, customers):
    staff_without_role.user_permissions.add(Permission.objects.get(codename="view_syncflow"))

    response = resync(staff_client, customers, apply="yes", scope="all")

    assert b"Resync Customers" not in response.content and not SyncRun.objects.exists()


def test_resync_without_a_csrf_token_is_refused(integration_admin, customers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(integration_admin)

    response = client.post(
        FLOWS,
        {"action": "resync_flow", "_selected_action": [str(customers.pk)], "apply": "yes", "scope": "all"},
    )

    assert response.status_code == 403 and not SyncRun.objects.exists()


def test_saving_rows_inline_that_change_what_is_written_links_to_the_offer(admin_client_csrf, customers, crm):
    add_accounts(crm, 2)
    run_now(customers)
    rows = existing_rows(customers)
    rows[1]["source_path"] = "account_no"
    url = reverse("admin:syncjobs_syncflow_change", args=[customers.pk])
    form = flow_form(customers, rows, match_keys='["FNumber"]', options=json.dumps(customers.options))

    response = admin_client_csrf.post_form(url, form, follow=True)

    version = MappingVersion.objects.filter(flow=customers).latest("number")
    page = response.content.decode()
    assert version.number == 2 and "Saved the mapping as version 2." in page
    assert f'<a href="{reverse("console:resync_offer", args=[version.pk])}">Resync them…</a>' in page


def test_saving_rows_inline_of_a_flow_that_wrote_nothing_offers_no_resync(admin_client_csrf, customers):
    rows = existing_rows(customers)
    rows[1]["source_path"] = "account_no"
    url = reverse("admin:syncjobs_syncflow_change", args=[customers.pk])

    response = admin_client_csrf.post_form(
        url, flow_form(customers, rows, match_keys='["FNumber"]'), follow=True
    )

    assert "Saved the mapping as version 1." in response.content.decode()
    assert "Resync them" not in response.content.decode()
