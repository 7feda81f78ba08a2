"""Pausing and resuming flows, and running them all in dependency order."""

import pytest
from django.urls import reverse
from django_q.models import OrmQ

from syncjobs.engine.dispatch import InlineDispatcher
from syncjobs.engine.runner import Runner
from syncjobs.models import RunStatus, SyncRun, Trigger
from syncjobs.operations import control
from syncjobs.services import sync
from tests.syncjobs.engine.conftest import add_accounts, run_now
from tests.syncjobs.factories import make_flow

pytestmark = pytest.mark.django_db


def test_a_paused_flow_starts_nothing_until_it_is_resumed(customers, crm, erp):
    add_accounts(crm, 5)
    control.pause_flow(customers)

    dispatcher = InlineDispatcher()
    held = sync.start_run(customers, Trigger.SCHEDULE, dispatcher=dispatcher)
    for run_id in dispatcher.take_runs():
        Runner(run_id, wait=True, sleep=lambda s: None).execute()
    assert run_now(customers).pk == held.pk

    held.refresh_from_db()
    assert (held.status, held.resume_after) == (RunStatus.PAUSED, control.HELD_UNTIL)
    assert erp.count("write") == 0
    assert control.is_paused(customers)

    assert control.resume_flow(customers, dispatcher=InlineDispatcher()) == [held.pk]
    run = run_now(customers)

    assert (run.pk, run.status, run.created_count) == (held.pk, RunStatus.SUCCEEDED, 5)
    assert not control.is_paused(customers)


def test_pausing_a_running_flow_stops_it_after_the_batch_in_hand(customers, crm, erp):
    add_accounts(crm, 9)  # three batches of three

    def pause_after_the_first_batch(run):
        if SyncRun.objects.get(pk=run.pk).progress_done and not control.is_paused(customers):
            control.pause_flow(customers)

    paused = run_now(customers, progress=pause_after_the_first_batch)

    assert (paused.status, paused.progress_done, paused.progress_total) == (RunStatus.PAUSED, 3, 9)
    assert len(erp.data("BD_Customer")) == 3

    control.resume_flow(customers, dispatcher=InlineDispatcher())
    finished = run_now(customers)

    assert (finished.pk, finished.status) == (paused.pk, RunStatus.SUCCEEDED)
    assert (finished.progress_done, finished.created_count) == (9, 9)
    assert len(erp.data("BD_Customer")) == 9


def test_a_run_asked_for_while_the_flow_is_paused_is_held_too(customers):
    control.pause_flow(customers)
    run = sync.start_run(customers, Trigger.WEBHOOK, ids=["a1"], dispatcher=InlineDispatcher())

    assert control.hold_if_paused(run)
    run.refresh_from_db()
    assert run.resume_after == control.HELD_UNTIL
    assert len(control.resume_flow(customers, dispatcher=InlineDispatcher())) == 2


def queued_task():
    task = OrmQ.objects.get().task
    return task["func"], task["args"]


def test_run_all_queues_enabled_unpaused_flows_parents_first(
    integration_admin, django_capture_on_commit_callbacks
):
    orders = make_flow("orders", enabled=True)
    customers = make_flow("customers", enabled=True)
    products = make_flow("products", enabled=True)
    make_flow("archive", enabled=False)
    orders.depends_on.add(customers, products)
    control.pause_flow(products)

    with django_capture_on_commit_callbacks(execute=True):
        flows = control.run_all(user=integration_admin)

    assert [flow.slug for flow in flows] == ["customers", "orders"]
    assert queued_task() == (
        "syncjobs.tasks.run_flows_in_order",
        ([customers.pk, orders.pk], integration_admin.pk),
    )


# --- the console's buttons and actions ---------------------------------------------------


def test_the_pause_and_resume_buttons_need_a_csrf_token(integration_admin, admin_client_csrf):
    flow = make_flow()
    url = reverse("operations:pause-flow", args=[flow.pk])

    admin_client_csrf.csrf_token()
    assert admin_client_csrf.post(url).status_code == 403  # no token
    assert not control.is_paused(flow)

    assert admin_client_csrf.post_form(url, {"next": "/admin/"})["Location"] == "/admin/"
    assert control.is_paused(flow)
    resumed = admin_client_csrf.post_form(reverse("operations:resume-flow", args=[flow.pk]))
    assert resumed.status_code == 302
    assert not control.is_paused(flow)


def test_pause_resume_and_run_all_are_refused_without_the_run_permission(finance_client, staff_client):
    flow = make_flow(enabled=True)
    for client in (finance_client, staff_client):
        for url in (
            reverse("operations:pause-flow", args=[flow.pk]),
            reverse("operations:resume-flow", args=[flow.pk]),
            reverse("operations:run-all"),
        ):
            assert client.post_form(url).status_code == 403
    assert not control.is_paused(flow)
    assert not OrmQ.objects.exists()


def test_the_buttons_take_post_only(admin_client_csrf):
    flow = make_flow()
    assert admin_client_csrf.get(reverse("operations:pause-flow", args=[flow.pk])).status_code == 405
    assert admin_client_csrf.get(reverse("operations:run-all")).status_code == 405


def test_run_all_reports_a_dependency_circle(admin_client_csrf):
    first, second = make_flow("first", enabled=True), make_flow("second", enabled=True)
    first.depends_on.add(second)
    second.depends_on.add(first)

    page = admin_client_csrf.post_form(reverse("operations:run-all"), follow=True).content.decode()

    assert "depend on each other in a circle" in page


def test_the_flow_list_offers_run_all_and_pause_actions_to_integration_admins(admin_client_csrf):
    make_flow()
    page = admin_client_csrf.get(reverse("admin:syncjobs_syncflow_changelist")).content.decode()

    assert reverse("operations:run-all") in page
    assert 'value="pause_flows"' in page and 'value="resume_flows"' in page


def test_the_pause_action_pauses_the_selected_flows(admin_client_csrf):
    flows = [make_flow("one"), make_flow("two"), make_flow("three")]
    url = reverse("admin:syncjobs_syncflow_changelist")

    admin_client_csrf.post_form(
        url, {"action": "pause_flows", "_selected_action": [flows[0].pk, flows[2].pk]}
    )

    assert [control.is_paused(flow) for flow in flows] == [True, False, True]
    admin_client_csrf.post_form(url, {"action": "resume_flows", "_selected_action": [flows[0].pk]})
    assert [control.is_paused(flow) for flow in flows] == [False, False, True]


def test_the_flow_admin_hides_pause_actions_from_staff_who_may_not_run_flows(
    staff_client, staff_without_role
):
    from django.contrib.auth.models import Permission

    staff_without_role.user_permissions.add(Permission.objects.get(codename="view_syncflow"))
    make_flow()
    page = staff_client.get(reverse("admin:syncjobs_syncflow_changelist")).content.decode()

    assert "pause_flows" not in page and reverse("operations:run-all") not in page


def test_run_now_queues_a_run_and_shows_its_live_progress(
    admin_client_csrf, django_capture_on_commit_callbacks
):
    flow = make_flow(enabled=True)
    url = reverse("admin:syncjobs_syncflow_changelist")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_csrf.post_form(
            url, {"action": "run_flows_now", "_selected_action": [flow.pk]}
        )

    run = SyncRun.objects.get()
    assert response["Location"] == reverse("admin:syncjobs_syncrun_change", args=[run.pk])
    assert (run.trigger, run.status) == (Trigger.MANUAL, RunStatus.QUEUED)
    assert queued_task() == ("syncjobs.tasks.execute_run", (run.pk,))


def test_run_now_is_not_offered_to_staff_who_may_only_look(staff_client, staff_without_role):
    from django.contrib.auth.models import Permission

    staff_without_role.user_permissions.add(Permission.objects.get(codename="view_syncflow"))
    flow = make_flow()
    url = reverse("admin:syncjobs_syncflow_changelist")

    staff_client.post_form(url, {"action": "run_flows_now", "_selected_action": [flow.pk]})

    assert not SyncRun.objects.exists()


def test_the_flow_list_actions_need_a_csrf_token(admin_client_csrf):
    flow = make_flow(enabled=True)
    admin_client_csrf.csrf_token()
    url = reverse("admin:syncjobs_syncflow_changelist")

    for action in ("run_flows_now", "pause_flows"):
        assert (
            admin_client_csrf.post(url, {"action": action, "_selected_action": [flow.pk]}).status_code == 403
        )

    assert not SyncRun.objects.exists()
