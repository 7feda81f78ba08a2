"""Reliability 8: a planted canary secret never shows — in logs, admin pages, exports, history,
task arguments or alert mails.

Two connectors carry canary credentials (an ERP password and a CRM app secret the systems
refuse), the real connectors carry the seeded secrets; flows over all of them run, fail
three times in a row (so alert mails go out), are queued, exported and browsed. Every
place a person or another process can read is then searched for every secret.
"""

import io
import logging
import random
import uuid

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core import mail
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django_q.conf import Conf
from django_q.models import OrmQ, Task
from django_q.signing import SignedPackage

from connectors.redaction import RedactSecretsFilter
from syncjobs import resources
from syncjobs.models import Connector, CrossReference, SyncFlow, SyncRecord, SyncRun
from syncjobs.operations.alerts import send_alerts
from syncjobs.services import sync
from syncjobs.services.connections import test_connection as check_connection
from syncjobs.services.roles import INTEGRATION_ADMINS
from tests.reliability.support import Site
from tests.syncjobs.factories import make_fxiaoke, make_k3cloud

pytestmark = pytest.mark.reliability

CANARY_PASSWORD = "canary-pw-" + uuid.uuid4().hex
CANARY_APP_SECRET = "canary-as-" + uuid.uuid4().hex


@pytest.fixture
def captured_log():
    """Every log line as the configured handlers write it (secrets filter included)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecretsFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def site(db, sandbox, monkeypatch):
    sandbox.set_faults("fxiaoke", rate_limit=100000, token_limit_per_minute=1000)
    # Queued tasks go to a queue of this test's own (on Redis too), read back below.
    monkeypatch.setattr(Conf, "CLUSTER_NAME", f"canary-{uuid.uuid4().hex[:8]}")
    return Site(sandbox, size=6, seed=29)


def secrets_of(site):
    return {
        "canary ERP password": CANARY_PASSWORD,
        "canary CRM app secret": CANARY_APP_SECRET,
        "ERP password": site.erp_tenant["password"],
        "CRM app secret": site.crm_tenant["app_secret"],
        "CRM permanent code": site.crm_tenant["permanent_code"],
    }


def canary_flows(site):
    tenant = site.erp_tenant
    bad_erp = make_k3cloud(
        slug=f"erp-canary-{uuid.uuid4().hex[:6]}",
        base_url=site.erp.base_url,
        acct_id=tenant["acct_id"],
        username=tenant["username"],
        auth_mode="password",
        password=CANARY_PASSWORD,
        org_number=tenant["org_number"],
        timeout=10,
    )
    crm = site.crm_tenant
    bad_crm = make_fxiaoke(
        slug=f"crm-canary-{uuid.uuid4().hex[:6]}",
        base_url=site.crm.base_url,
        app_id=crm["app_id"],
        app_secret=CANARY_APP_SECRET,
        permanent_code=crm["permanent_code"],
        open_user_id=crm["open_user_id"],
        timeout=10,
    )
    into_bad_erp = site.contacts(slug="into-canary-erp", batch_size=10)
    into_bad_erp.target_connector = bad_erp
    into_bad_erp.save()
    from_bad_crm = site.customers(slug="from-canary-crm")
    from_bad_crm.source_connector = bad_crm
    from_bad_crm.save()
    return bad_erp, bad_crm, [into_bad_erp, from_bad_crm]


def run(flow, full=False):
    flow.refresh_from_db()
    return sync.run_now(flow, full=full, sleep=lambda seconds: None, rng=random.Random(2))


def admin_pages(client, connectors):
    """Every admin page that shows connectors, flows, runs, records, queue rows or history."""
    urls = [reverse("admin:index")]
    queue = [model for model in admin.site._registry if model._meta.app_label == "django_q"]
    for model in (Connector, SyncFlow, SyncRun, SyncRecord, CrossReference, *queue):
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        for pk in model.objects.values_list("pk", flat=True)[:20]:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk]))
    for connector in connectors:
        urls.append(reverse("admin:syncjobs_connector_history", args=[connector.pk]))
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def exports():
    found = {}
    for resource in (
        resources.ConnectorResource,
        resources.SyncFlowResource,
        resources.SyncRunResource,
        resources.SyncRecordResource,
        resources.CrossReferenceResource,
    ):
        dataset = resource().export()
        found[resource.__name__] = dataset.csv + repr(dataset.dict)
    return found


def queued_task_arguments():
    """What the queue holds and has run: the ORM broker's rows, Redis's list, the task results."""
    from django_q.brokers import get_broker

    broker = get_broker()
    payloads = list(OrmQ.objects.values_list("payload", flat=True))
    if hasattr(broker.connection, "lrange"):
        payloads += broker.connection.lrange(broker.list_key, 0, -1)
        broker.delete_queue()
    tasks = [repr(SignedPackage.loads(payload)) for payload in payloads]
    tasks += [repr((t.func, t.args, t.kwargs, t.result)) for t in Task.objects.all()]
    return tasks


def every_value(model):
    return [repr(row) for row in model.objects.values()] if issubclass(model, Model) else []


def test_a_canary_secret_appears_nowhere(site, sandbox, captured_log, django_capture_on_commit_callbacks):
    bad_erp, bad_crm, failing = canary_flows(site)
    good = site.customers(slug="good-customers")
    admin = User.objects.create_superuser("ops", "ops@example.com", "x")
    admin.groups.add(Group.objects.get(name=INTEGRATION_ADMINS))

    assert run(good).status == "succeeded"
    for _attempt in range(3):
        assert {run(flow, full=True).status for flow in failing} == {"failed"}
    checks = [check_connection(connector) for connector in (bad_erp, bad_crm)]
    with django_capture_on_commit_callbacks(execute=True):
        queued = [sync.start_run(flow) for flow in (good, *failing)]
    sent = send_alerts()
    client = Client()
    client.force_login(admin)

    places = {
        "log": [captured_log.getvalue()],
        "mail": [f"{m.subject}\n{m.body}" for m in mail.outbox],
        "connection checks": [f"{c.message} {c.details}" for c in checks],
        "admin pages": list(admin_pages(client, [site.erp, site.crm, bad_erp, bad_crm]).values()),
        "exports": list(exports().values()),
        "history": every_value(Connector.history.model),
        "runs and records": every_value(SyncRun) + every_value(SyncRecord),
        "task arguments": queued_task_arguments(),
    }
    assert len(sent) >= 2 and len(mail.outbox) >= 2  # the failing flows were mailed about
    assert not any(c.ok for c in checks) and len(queued) == 3
    assert places["task arguments"] and places["history"]
    leaks = [
        (name, place)
        for place, texts in places.items()
        for name, secret in secrets_of(site).items()
        if any(secret in text for text in texts)
    ]
    assert leaks == []
