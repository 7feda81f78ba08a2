"""The engine's admin actions: Dry run on flows (a readable page), Re-run on records.

Permission-checked, CSRF-checked POSTs that delegate to ``syncjobs.services.sync``.
"""

from django.test import Client
from django.urls import reverse

from syncjobs.models import RecordStatus, SyncRecord, SyncRun, Trigger
from tests.syncjobs.engine.conftest import add_accounts, connectors, crm, customers, erp, run_now  # noqa: F401

FLOWS = "admin:syncjobs_syncflow_changelist"
RECORDS = "admin:syncjobs_syncrecord_changelist"


def action(client, url_name, name, pks):
    return client.post_form(reverse(url_name), {"action": name, "_selected_action": [str(pk) for pk in pks]})


def test_a_dry_run_shows_each_record_and_writes_nothing(admin_client_csrf, customers, crm, erp):  # noqa: F811
    add_accounts(crm, 2)
    crm.add("AccountObj", "bad", {"account_no": "C0099", "name": ""})

    response = action(admin_client_csrf, FLOWS, "dry_run_flow", [customers.pk])

    page = response.content.decode()
    assert response.status_code == 200 and "Dry run of Customers" in page
    assert "Nothing was written" in page and "C0001" in page and "C0099" in page
    assert "FName" in page and "a value is required" in page
    assert erp.data("BD_Customer") == {} and not SyncRun.objects.exists()


def test_the_dry_run_is_refused_without_the_run_permission(staff_client, finance_client, customers, erp):  # noqa: F811
    for client in (staff_client, finance_client):
        response = action(client, FLOWS, "dry_run_flow", [customers.pk])
        assert response.status_code in (302, 403) and b"Dry run of" not in response.content
    assert erp.calls == []


def test_admin_actions_without_a_csrf_token_are_refused(integration_admin, customers, erp):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(integration_admin)

    response = client.post(
        reverse(FLOWS), {"action": "dry_run_flow", "_selected_action": [str(customers.pk)]}
    )

    assert response.status_code == 403 and erp.calls == []


def test_re_run_queues_the_failed_records_of_each_flow(admin_client_csrf, customers, crm, erp):  # noqa: F811
    add_accounts(crm, 2)
    crm.add("AccountObj", "bad", {"account_no": "C0099", "name": ""})
    run_now(customers)
    failed = SyncRecord.objects.get(status=RecordStatus.FAILED)
    succeeded = SyncRecord.objects.filter(status=RecordStatus.SUCCEEDED).first()

    response = action(admin_client_csrf, RECORDS, "rerun_records", [failed.pk, succeeded.pk])

    assert response.status_code == 302
    rerun = SyncRun.objects.latest("id")
    assert (rerun.trigger, rerun.options, rerun.requested_by.username) == (
        Trigger.RETRY,
        {"ids": ["bad"]},
        "alice",
    )


def test_re_run_is_refused_without_the_re_run_permission(finance_client, customers, crm):  # noqa: F811
    add_accounts(crm, 1)
    crm.add("AccountObj", "bad", {"account_no": "C0099", "name": ""})
    run_now(customers)
    runs = SyncRun.objects.count()
    failed = SyncRecord.objects.get(status=RecordStatus.FAILED)

    action(finance_client, RECORDS, "rerun_records", [failed.pk])

    assert SyncRun.objects.count() == runs
