"""axe-core on the console's main pages, as an integration admin and as a finance reviewer:
no serious or critical violation. axe-core is the copy shipped inside axe-playwright-python,
injected into the page, so nothing is fetched from a CDN."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from syncjobs.mapping import value_map_slugs
from syncjobs.models import SyncFlow, SyncRun, ValueMap
from syncjobs.models.flow import snapshot_rows
from syncjobs.scenarios.install import install_scenarios
from tests.syncjobs.console.sandbox_connectors import crm_connector, erp_connector

pytestmark = pytest.mark.browser
SERIOUS = ("serious", "critical")


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        + f" [{len(violation['nodes'])}]"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def pages_for(customers, failures):
    record = failures.first()
    value_map = ValueMap.objects.get(slug="account-types")
    run = SyncRun.objects.filter(flow=customers).latest("id")
    return {
        "index": "/admin/",
        "flows": "/admin/syncjobs/syncflow/",
        "run": f"/admin/syncjobs/syncrun/{run.pk}/change/",
        "timeline": f"/admin/console/records/{record.pk}/",
        "mapping-editor": f"/admin/console/flows/{customers.pk}/mapping/",
        "value-map": f"/admin/syncjobs/valuemap/{value_map.pk}/change/",
        "value-map-entries": f"/admin/console/value-maps/{value_map.pk}/?flow={customers.pk}"
        "&source=account_type&target=FCustTypeId.FNumber",
    }


def check(journey, user, urls):
    journey.sign_in_as(user)
    found = {}
    for name, url in urls.items():
        page = journey.open(url)
        page.wait_for_load_state("networkidle")
        problems = serious_violations(page)
        if problems:
            found[name] = problems
    return found


def test_the_main_pages_have_no_serious_accessibility_violation_for_an_admin(
    journey, admin_user, customers, failures
):
    found = check(journey, admin_user, pages_for(customers, failures))
    assert found == {}, "\n".join(
        f"{name}: {problem}" for name, problems in found.items() for problem in problems
    )


def test_the_pages_a_finance_reviewer_reads_have_no_serious_violation(
    journey, finance_user, customers, failures
):
    urls = pages_for(customers, failures)
    readable = {name: urls[name] for name in ("index", "run", "timeline")}
    readable["records"] = "/admin/syncjobs/syncrecord/"
    readable["runs"] = "/admin/syncjobs/syncrun/"
    found = check(journey, finance_user, readable)
    assert found == {}, "\n".join(
        f"{name}: {problem}" for name, problems in found.items() for problem in problems
    )


def test_the_flows_list_and_the_flow_form_fit_a_1440_pixel_screen(journey, admin_user, customers):
    journey.page.set_viewport_size({"width": 1440, "height": 900})
    journey.sign_in_as(admin_user)
    widths = {}
    for name, url in (
        ("flows", "/admin/syncjobs/syncflow/"),
        ("flow", f"/admin/syncjobs/syncflow/{customers.pk}/change/"),
    ):
        page = journey.open(url)
        page.wait_for_load_state("networkidle")
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
    page = journey.open("/admin/syncjobs/syncflow/")
    progress = page.locator("td.field-current_run").first.bounding_box()
    assert progress["x"] + progress["width"] <= 1440
    assert widths == {"flows": 1440, "flow": 1440}


@pytest.fixture
def scenario_customers(transactional_db, sandbox, tenants):
    """The shipped customers scenario between the sandboxes: many rows, value-map rows among them."""
    crm = crm_connector(sandbox, tenants["fxiaoke"], name="CRM (sandbox)")
    erp = erp_connector(sandbox, tenants["k3cloud"], name="ERP (sandbox)")
    install_scenarios(crm, erp)
    return SyncFlow.objects.get(slug="customers")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_mapping_editor_fits_a_1440_pixel_screen(journey, admin_user, scenario_customers, language):
    flow = scenario_customers
    value_map = ValueMap.objects.filter(slug__in=value_map_slugs(snapshot_rows(flow))).first()
    journey.page.set_viewport_size({"width": 1440, "height": 900})
    journey.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": journey.base_url}]
    )
    journey.sign_in_as(admin_user)
    widths = {}
    for name, url in (
        ("mapping-editor", f"/admin/console/flows/{flow.pk}/mapping/"),
        ("value-map-entries", f"/admin/console/value-maps/{value_map.pk}/?flow={flow.pk}"),
    ):
        page = journey.open(url)
        page.wait_for_load_state("networkidle")
        journey.shot(f"{name}-{language}")
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == {"mapping-editor": 1440, "value-map-entries": 1440}
