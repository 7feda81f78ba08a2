"""Reliability 9: a finance reviewer reads and exports the audit trail, changes nothing, never
sees a connector; a POST without a CSRF token is refused, whoever sends it.

The data is real: a flow ran against the sandboxes, so there are runs, record logs and
cross-references to look at. The forms are posted as a browser would (CSRF token included)
except where the point is its absence.
"""

import random

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from syncjobs.models import CrossReference, SyncFlow, SyncRecord, SyncRun
from syncjobs.resources import CrossReferenceResource, SyncRecordResource, SyncRunResource
from syncjobs.services import sync
from syncjobs.services.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS
from tests.reliability.support import Site
from tests.syncjobs.exporting import export_form

pytestmark = pytest.mark.reliability

AUDIT = {
    "syncrun": SyncRunResource,
    "syncrecord": SyncRecordResource,
    "crossreference": CrossReferenceResource,
}


class Browser(Client):
    """A signed-in session that checks CSRF like Django does for a real browser."""

    def __init__(self, user):
        super().__init__(enforce_csrf_checks=True)
        self.force_login(user)

    def post_form(self, url, data=None):
        if "csrftoken" not in self.cookies:
            self.get(reverse("admin:index"))
        return self.post(url, {**(data or {}), "csrfmiddlewaretoken": self.cookies["csrftoken"].value})


def staff(username, group):
    user = User.objects.create_user(username, f"{username}@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def world(db, sandbox):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    site = Site(sandbox, size=6, seed=37)
    flow = site.customers(slug="finance-customers")
    run = sync.run_now(flow, sleep=lambda seconds: None, rng=random.Random(4))
    assert run.created_count > 0
    return {
        "flow": flow,
        "run": run,
        "record": SyncRecord.objects.filter(run=run).first(),
        "reference": CrossReference.objects.filter(flow=flow).first(),
        "connector": site.erp,
    }


def test_a_finance_reviewer_views_and_exports_runs_records_and_references(world):
    fiona = Browser(staff("fiona", FINANCE_REVIEWERS))
    pages = [
        reverse(f"admin:syncjobs_{name}_{view}", args=args)
        for name, key in (("syncrun", "run"), ("syncrecord", "record"), ("crossreference", "reference"))
        for view, args in (("changelist", []), ("change", [world[key].pk]))
    ]

    assert all(fiona.get(url).status_code == 200 for url in pages)
    for name, resource in AUDIT.items():
        export = fiona.post_form(reverse(f"admin:syncjobs_{name}_export"), export_form(resource))
        assert export.status_code == 200 and export["Content-Type"].startswith("text/csv"), name
        assert len(export.content.decode().strip().splitlines()) > 1  # a header and rows
    assert world["run"].flow.name.encode() in fiona.get(pages[0]).content


def test_a_finance_reviewer_changes_nothing_and_never_sees_connectors(world):
    fiona = Browser(staff("fiona", FINANCE_REVIEWERS))
    run, reference, flow, connector = world["run"], world["reference"], world["flow"], world["connector"]
    refused = [
        fiona.get(reverse("admin:syncjobs_connector_changelist")),
        fiona.get(reverse("admin:syncjobs_connector_change", args=[connector.pk])),
        fiona.get(reverse("admin:syncjobs_syncrun_add")),
        fiona.post_form(reverse("admin:syncjobs_syncrun_delete", args=[run.pk]), {"post": "yes"}),
        fiona.post_form(
            reverse("admin:syncjobs_crossreference_change", args=[reference.pk]), {"target_number": "X"}
        ),
        fiona.post_form(
            reverse("admin:syncjobs_crossreference_delete", args=[reference.pk]), {"post": "yes"}
        ),
        fiona.post_form(
            reverse("admin:syncjobs_syncflow_changelist"),
            {"action": "run_flows_now", "_selected_action": [flow.pk]},
        ),
        fiona.post_form(reverse("admin:syncjobs_syncflow_import"), {"format": "0"}),
    ]

    assert [response.status_code for response in refused] == [403] * len(refused)
    index = fiona.get(reverse("admin:index")).content.decode()
    assert "/admin/syncjobs/connector/" not in index
    reference.refresh_from_db()
    assert (SyncRun.objects.filter(flow=flow).count(), reference.target_number) == (
        1,
        world["reference"].target_number,
    )
    assert SyncFlow.objects.get(pk=flow.pk).runs.count() == 1  # Run now was refused


def test_a_post_without_a_csrf_token_is_refused(world):
    admin = staff("alice", INTEGRATION_ADMINS)
    browser = Browser(admin)
    url = reverse("admin:syncjobs_syncflow_changelist")
    data = {"action": "run_flows_now", "_selected_action": [world["flow"].pk]}

    response = browser.post(url, data)  # no csrfmiddlewaretoken

    assert response.status_code == 403
    assert SyncRun.objects.filter(flow=world["flow"]).count() == 1
