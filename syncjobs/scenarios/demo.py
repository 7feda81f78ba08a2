"""The one-command demo: an admin login, two connectors on seeded sandboxes, the scenario flows.

Everything here is idempotent: running the demo again keeps the tenants, the connectors,
the flows and the login it made the first time, so nothing is seeded or created twice.
The sandboxes are driven through their control API over HTTP, so the demo works the same
against the server it starts itself and against one already running (tests, CI).
"""

import json
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from syncjobs import schedules
from syncjobs.models import (
    AlertRule,
    AuthMode,
    ChannelKind,
    Connector,
    NotificationChannel,
    Severity,
    SyncFlow,
    System,
)
from syncjobs.scenarios.install import install_scenarios
from syncjobs.services.roles import INTEGRATION_ADMINS

DEMO_USERNAME = "admin"
CRM_SLUG = "demo-crm"
ERP_SLUG = "demo-erp"
LOGIN_FILE = "demo-login.json"
ROBOT_CHANNEL = "企业微信告警群（演示）"
ROBOT_RULE = "所有告警（演示）"


@dataclass
class DemoLogin:
    username: str
    password: str


@dataclass
class DemoConnectors:
    crm: Connector
    erp: Connector
    seeded: bool  # True when this call created the sandbox tenants


def ensure_admin():
    """The demo's integration admin, created once; its password is kept beside the SQLite files."""
    path = settings.DATA_DIR / LOGIN_FILE
    if path.is_file():
        login = DemoLogin(**json.loads(path.read_text()))
    else:
        login = DemoLogin(DEMO_USERNAME, secrets.token_urlsafe(12))
        path.write_text(json.dumps(login.__dict__))
        path.chmod(0o600)
    user, created = get_user_model().objects.get_or_create(
        username=login.username, defaults={"is_staff": True, "is_superuser": True}
    )
    if created or not user.check_password(login.password):
        user.set_password(login.password)
        user.save()
    user.groups.add(Group.objects.get(name=INTEGRATION_ADMINS))
    return login


class SandboxControlError(Exception):
    """The sandbox server could not be reached, or refused a control call; the message says which."""


class SandboxControl:
    """The control API (``/sandbox/control/``) of the sandbox server at ``base_url``."""

    def __init__(self, base_url, timeout=600):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def seed(self, size, seed=42, flaws=True):
        """A fresh tenant per sandbox from one business (with its deliberate flaws); their details."""
        return self._post("seed", {"size": size, "seed": seed, "flaws": flaws})

    def seed_robots(self):
        """Fresh simulated group robots (企业微信, 钉钉, 飞书); their paths and secrets."""
        return self._post("seed", {"size": 1, "systems": ["im"]})["im"]

    def set_switches(self, system, **switches):
        """Change a sandbox's switches (``sandbox faults``); the values now in force."""
        return self._post(f"faults/{system}", switches)

    def simulate(self, system, **options):
        """Let a sandbox's users act on the data it holds (``sandbox simulate``); what they did."""
        return self._post(f"simulate/{system}", options)

    def _post(self, path, body):
        url = f"{self.base_url}/sandbox/control/{path}"
        try:
            response = requests.post(url, json=body, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise SandboxControlError(
                _(
                    "The sandboxes at %(url)s do not answer: start them (manage.py sandbox serve) or correct the URL."
                )
                % {"url": self.base_url}
            ) from exc
        if response.status_code != 200:
            raise SandboxControlError(
                _("The sandboxes at %(url)s refused %(path)s: HTTP %(status)s %(reason)s.")
                % {
                    "url": self.base_url,
                    "path": path,
                    "status": response.status_code,
                    "reason": _reason(response),
                }
            )
        return response.json()


def _reason(response):
    try:
        return response.json().get("error", "")
    except ValueError:
        return response.reason or ""


def ensure_connectors(base_url, size=200):
    """The CRM and ERP connectors pointing at the sandboxes served at ``base_url``.

    Seeds one tenant per sandbox the first time, deliberately bad records included;
    afterwards only follows ``base_url`` (the demo may be served on another port).
    """
    crm = Connector.objects.filter(slug=CRM_SLUG).first()
    erp = Connector.objects.filter(slug=ERP_SLUG).first()
    if crm and erp:
        _follow_base_url(crm, base_url, crm_url=True)
        _follow_base_url(erp, base_url, crm_url=False)
        return DemoConnectors(crm, erp, seeded=False)
    tenants = SandboxControl(base_url).seed(size=size, seed=42)
    with transaction.atomic():
        crm = _crm_connector(base_url, tenants["fxiaoke"])
        erp = _erp_connector(base_url, tenants["k3cloud"])
    return DemoConnectors(crm, erp, seeded=True)


def _crm_connector(base_url, tenant):
    return Connector.objects.create(
        name="纷享销客 CRM（演示）",
        slug=CRM_SLUG,
        system=System.FXIAOKE,
        base_url=base_url + tenant["base_url"],
        app_id=tenant["app_id"],
        app_secret=tenant["app_secret"],
        permanent_code=tenant["permanent_code"],
        open_user_id=tenant["open_user_id"],
        mobile=tenant.get("mobile", ""),
    )


def _erp_connector(base_url, tenant):
    return Connector.objects.create(
        name="金蝶云星空 ERP（演示）",
        slug=ERP_SLUG,
        system=System.K3CLOUD,
        base_url=base_url + tenant["server_url"],
        acct_id=tenant["acct_id"],
        username=tenant["username"],
        auth_mode=AuthMode.PASSWORD,
        password=tenant["password"],
        lcid=tenant.get("lcid", 2052),
        org_number=str(tenant.get("org_number", "100")),
    )


def _follow_base_url(connector, base_url, crm_url):
    path = "/sandbox/fxiaoke" if crm_url else "/sandbox/k3cloud/"
    wanted = base_url + path
    if connector.base_url != wanted:
        connector.base_url = wanted
        connector.save(update_fields=["base_url", "updated_at"])


def ensure_flows(connectors):
    """The scenario flows between the demo's connectors; the slugs of those created now."""
    return install_scenarios(connectors.crm, connectors.erp)


def ensure_schedules():
    """Every enabled flow's schedule (and the reconciler's), so the worker keeps syncing.

    Saving a flow keeps its schedule in step; this also covers flows stored before that
    (an older demo database) or saved where no transaction committed.
    """
    for flow in SyncFlow.objects.filter(enabled=True):
        schedules.sync_flow_schedule(flow)
    schedules.ensure_reconciler()


def connect_crm_webhook(base_url, console_url, crm):
    """Make the simulated CRM push its record changes to the hub's webhook (near-real-time sync).

    Only while the console is served at ``console_url``: without it the pushes would have
    nowhere to go. The flows' schedules still catch anything a push misses.
    """
    SandboxControl(base_url).set_switches(
        "fxiaoke",
        webhook_url=f"{console_url}{reverse('sync-webhook')}",
        webhook_secret=settings.INTEGRATION_HUB_WEBHOOK_SECRETS[0],
        webhook_connector=crm.slug,
    )


def ensure_alert_robot(base_url):
    """A 企业微信 robot on the sandbox as an alert channel, and a rule sending it every alert.

    The messages it receives (the demo's deliberate failures among them) are listed in the
    sandbox admin under the simulated robots. Created once; afterwards only follows ``base_url``.
    """
    channel = NotificationChannel.objects.filter(name=ROBOT_CHANNEL).first()
    if channel is None:
        robots = SandboxControl(base_url).seed_robots()
        channel = NotificationChannel.objects.create(
            name=ROBOT_CHANNEL,
            kind=ChannelKind.WECOM,
            webhook_url=base_url.rstrip("/") + robots["wecom"]["path"],
        )
    else:
        _follow_robot_url(channel, base_url)
    rule, _created = AlertRule.objects.get_or_create(
        name=ROBOT_RULE, defaults={"min_severity": Severity.INFO}
    )
    rule.channels.add(channel)
    return channel


def _follow_robot_url(channel, base_url):
    wanted, current = urlsplit(base_url), urlsplit(channel.webhook_url)
    if (current.scheme, current.netloc) != (wanted.scheme, wanted.netloc):
        channel.webhook_url = urlunsplit((wanted.scheme, wanted.netloc, current.path, current.query, ""))
        channel.save(update_fields=["webhook_url"])
