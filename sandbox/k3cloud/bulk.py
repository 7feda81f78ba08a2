"""Test volumes on demand: thousands of customers in one call, without the Web API.

``POST /sandbox/k3cloud/_sandbox/bulk`` with ``{"acct_id": ..., "count": 5000, "seed": 1,
"status": "C"}`` creates that many customers (names, tax codes and addresses in the style of the
shared data set) in the account set's main organisation. It is a sandbox control hook,
not part of K3Cloud's API, and exists only where the sandbox is served.
"""

import json
import random

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sandbox import clock
from sandbox.dataset import BRANDS, CITIES, STREETS, TRADES
from sandbox.k3cloud import store
from sandbox.k3cloud.context import SYSTEM
from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.models import Tenant
from sandbox.k3cloud.seeding import Seeder
from sandbox.k3cloud.values import cut_to_millis, moment_text
from sandbox.routers import SANDBOX_DB

MAX_COUNT = 50000


def bulk_customers(tenant, count, seed=1, status="C"):
    """Create ``count`` customers in ``tenant``'s main organisation; returns a summary."""
    form = get_form("BD_Customer")
    rng = random.Random(seed)
    numbers = store.next_numbers(tenant.id, form, count)
    rows = [_customer_row(number, index, rng) for index, number in enumerate(numbers)]
    if status != "C":
        for row in rows:
            row.update(FDocumentStatus=status, FApproveDate=None, FApproverId=None)
    seeder = Seeder(tenant, moment_text(cut_to_millis(clock.now(SYSTEM))))
    seeder.add(form.form_id, rows, org_id=tenant.org_id)
    return {
        "created": count,
        "first_number": numbers[0] if numbers else None,
        "last_number": numbers[-1] if numbers else None,
    }


def _customer_row(number, index, rng):
    """A plausible company: city, brand and trade cycle so every name is different."""
    city, province = CITIES[index % len(CITIES)]
    brand = BRANDS[(index // len(CITIES)) % len(BRANDS)]
    trade = TRADES[(index // (len(CITIES) * len(BRANDS))) % len(TRADES)]
    lap = index // (len(CITIES) * len(BRANDS) * len(TRADES))
    tax_code = f"91{rng.randint(110000, 659999)}{rng.randint(10**9, 10**10 - 1)}"
    return {
        "number": number,
        "name": f"{city}{brand}{trade}有限公司" + (f"（第{lap + 1}分公司）" if lap else ""),
        "FShortName": f"{city}{brand}",
        "FADDRESS": f"{province}{city}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
        "FTEL": f"0{rng.randint(10, 999)}-{rng.randint(20000000, 89999999)}",
        "FSOCIALCRECODE": tax_code,
        "FTAXREGISTERCODE": tax_code,
    }


@csrf_exempt
@require_POST
def bulk_view(request):
    try:
        body = json.loads(request.body or b"{}")
        count = int(body.get("count", 0))
    except (ValueError, TypeError):
        return JsonResponse({"error": "body must be JSON with an integer count"}, status=400)
    tenant = Tenant.objects.filter(acct_id=str(body.get("acct_id") or "")).first()
    if tenant is None or not 0 < count <= MAX_COUNT:
        return JsonResponse({"error": f"need a known acct_id and 0 < count <= {MAX_COUNT}"}, status=400)
    with transaction.atomic(using=SANDBOX_DB):
        summary = bulk_customers(tenant, count, int(body.get("seed", 1)), str(body.get("status", "C")))
    return JsonResponse(summary)
