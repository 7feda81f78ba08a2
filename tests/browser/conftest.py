"""Browser journeys: Debian's Chromium driven by Playwright through the console served by ``live_server``.

Each journey saves numbered screenshots under ``test-artifacts/<journey>/`` (ignored by git).
Queued tasks run inline (django-q2's sync mode), so a re-run clicked in the browser has
finished when the page comes back. The sandboxes run in their own process, as always.
"""

import itertools
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client

from syncjobs.models import SyncRecord, ValueMapEntry
from syncjobs.services import sync
from syncjobs.services.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector
from tests.syncjobs.factories import make_flow, make_mapping, make_value_map

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "Browser-journey-7f3a"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
# No engine waits: a run started from a page must end before the page answers.
FAST = {"parallel_batches": 1, "retry_base_seconds": 0, "retry_cap_seconds": 0, "max_attempts": 2}
_seeds = itertools.count(101)


@pytest.fixture(scope="session")
def chromium():
    # Playwright's sync API keeps an event loop running in this thread; the ORM calls the
    # tests make between browser steps are plain synchronous calls all the same.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def english_and_inline_tasks(settings, monkeypatch):
    settings.LANGUAGE_CODE = "en"
    monkeypatch.setattr("django_q.conf.Conf.SYNC", True)


class Journey:
    """A browser page for one journey, with its screenshots numbered in the order taken."""

    def __init__(self, page, base_url, name):
        self.page = page
        self.base_url = base_url
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.shots = itertools.count(1)

    def open(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def shot(self, step):
        path = self.folder / f"{next(self.shots):02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in_as(self, user):
        """A session for ``user`` without the login form (journeys about other pages)."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])

    def log_in(self, username):
        self.open("/admin/login/?next=/admin/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(re.compile(r".*/admin/$"))


@pytest.fixture
def journey(request, chromium, live_server):
    context = chromium.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20000)
    page = context.new_page()
    yield Journey(page, live_server.url, request.node.name.removeprefix("test_"))
    context.close()


def _user(username, group):
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def admin_user(transactional_db):
    return _user("alice", INTEGRATION_ADMINS)


@pytest.fixture
def finance_user(transactional_db):
    return _user("fiona", FINANCE_REVIEWERS)


@pytest.fixture
def tenants(sandbox):
    return sandbox.seed(size=6, seed=next(_seeds))


@pytest.fixture
def customers(transactional_db, sandbox, tenants):
    """CRM accounts → ERP customers; the customer type goes through a value map that knows type 1 only."""
    crm = crm_connector(sandbox, tenants["fxiaoke"], name="CRM (sandbox)")
    erp = erp_connector(sandbox, tenants["k3cloud"], name="ERP (sandbox)")
    flow = make_flow(
        "customers",
        name="Customers",
        source=crm,
        target=erp,
        source_object="AccountObj",
        target_object="BD_Customer",
        options=dict(FAST),
    )
    make_value_map("account-types", {"1": "KHLB001_SYS"}, name="Account type → customer type")
    make_mapping(flow, "FName", "name", required=True, position=10)
    make_mapping(
        flow,
        "FCustTypeId.FNumber",
        "account_type",
        "value_map",
        {"map": "account-types"},
        required=True,
        position=20,
    )
    return flow


@pytest.fixture
def failures(customers):
    """A first run whose value map knows no account type yet: every account fails on it."""
    ValueMapEntry.objects.filter(value_map__slug="account-types").delete()
    sync.run_now(customers, sleep=lambda s: None)
    failed = SyncRecord.objects.filter(status="failed").order_by("id")
    assert failed.count() == SyncRecord.objects.count() > 0
    return failed
