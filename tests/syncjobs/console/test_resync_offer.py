"""After a saved mapping version that changes what is written: the offer to resync what the flow wrote."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from connectors.errors import TransientError
from syncjobs.engine.dispatch import EXECUTE_RUN
from syncjobs.models import MappingVersion, RunStatus, SyncRun
from tests.support.queue import empty_queue, waiting_tasks
from tests.syncjobs.console.forms import formset_data
from tests.syncjobs.engine.conftest import add_accounts, run_now

pytestmark = pytest.mark.django_db


def save(client, flow, **changes):
    url = reverse("console:mapping_editor", args=[flow.pk])
    data = formset_data(client.get(url).context["formset"])
    data.update(changes, _save="Save")
    return client.post_form(url, data)


@pytest.fixture
def written(customers, crm):
    add_accounts(crm, 3)
    run_now(customers)
    return customers


def offer_url(flow):
    return reverse(
        "console:resync_offer", args=[MappingVersion.objects.filter(flow=flow).latest("number").pk]
    )


def test_a_save_that_changes_what_is_written_leads_to_the_offer(admin_client_csrf, written, erp):
    response = save(admin_client_csrf, written, **{"rows-1-source_path": "account_no"})

    assert response["Location"] == offer_url(written)
    page = admin_client_csrf.get(response["Location"]).content.decode()
    assert "Saved the mapping as version 2." in page
    assert "Resync the 3 records this flow has written" in page
    assert "A dry run of them all: 3 records would change." in page
    assert {data["FName"] for data in erp.data("BD_Customer").values()} == {
        "Account 1",
        "Account 2",
        "Account 3",
    }


def test_a_save_that_changes_only_a_note_goes_back_to_the_editor(admin_client_csrf, written):
    response = save(admin_client_csrf, written, **{"rows-1-note": "the account's name"})

    assert response["Location"] == reverse("console:mapping_editor", args=[written.pk])


def test_a_flow_that_wrote_nothing_gets_no_offer(admin_client_csrf, customers):
    response = save(admin_client_csrf, customers, **{"rows-1-source_path": "account_no"})

    assert response["Location"] == reverse("console:mapping_editor", args=[customers.pk])
    assert admin_client_csrf.get(offer_url(customers))["Location"] == response["Location"]


def test_accepting_the_offer_queues_a_run_of_exactly_the_written_records(
    admin_client_csrf, written, django_capture_on_commit_callbacks
):
    save(admin_client_csrf, written, **{"rows-1-source_path": "account_no"})
    empty_queue()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_csrf.post_form(offer_url(written))

    run = SyncRun.objects.latest("id")
    assert response["Location"] == reverse("admin:syncjobs_syncrun_change", args=[run.pk])
    assert (run.status, sorted(run.options["ids"])) == (RunStatus.QUEUED, ["a1", "a2", "a3"])
    assert waiting_tasks() == [(EXECUTE_RUN, (run.pk,))]
    page = admin_client_csrf.get(response["Location"]).content.decode()
    assert f"Resync of 3 records queued as run {run.pk}." in page


def test_a_dry_run_that_cannot_read_the_source_says_why_and_still_offers(admin_client_csrf, written, crm):
    save(admin_client_csrf, written, **{"rows-1-source_path": "account_no"})
    crm.fail_call("read_ids", TransientError("the CRM is down for maintenance", system="memory"))

    page = admin_client_csrf.get(offer_url(written)).content.decode()

    assert "The dry run could not be made: the CRM is down for maintenance" in page
    assert "Resync the 3 records this flow has written" in page


def test_an_editor_who_may_not_run_flows_is_not_offered_a_resync(staff_client, staff_without_role, written):
    staff_without_role.user_permissions.add(*Permission.objects.filter(codename__in=["change_syncflow"]))

    response = save(staff_client, written, **{"rows-1-source_path": "account_no"})

    assert response["Location"] == reverse("console:mapping_editor", args=[written.pk])
    assert staff_client.get(offer_url(written)).status_code == 403
    assert staff_client.post_form(offer_url(written)).status_code == 403
    assert SyncRun.objects.count() == 1


def test_the_latest_version_page_links_to_the_offer_declined_after_the_save(admin_client_csrf, written):
    save(admin_client_csrf, written, **{"rows-1-source_path": "account_no"})
    latest = MappingVersion.objects.filter(flow=written).latest("number")
    older = MappingVersion.objects.filter(flow=written).earliest("number")

    page = admin_client_csrf.get(reverse("console:mapping_version", args=[latest.pk])).content.decode()
    old_page = admin_client_csrf.get(reverse("console:mapping_version", args=[older.pk])).content.decode()

    assert f'href="{offer_url(written)}" id="rc-resync-link"' in page
    assert "rc-resync-link" not in old_page
