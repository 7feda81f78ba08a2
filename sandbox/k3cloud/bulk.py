"""Test volumes on demand: thousands of customers in one call, without the Web API.

``POST /sandbox/k3cloud/_sandbox/bulk`` with ``{"acct_id": ..., "count": 5000, "seed": 1,
"status": "C"}`` creates that many customers (names, tax codes and addresses from the shared
data set's generator) in the account set's main organisation. It is a sandbox control hook,
not part of K3Cloud's API, and exists only where the sandbox is served.
"""

import json

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sandbox import clock
from sandbox.dataset import build_dataset
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
    people = build_dataset(size=count, seed=seed).customers
    numbers = store.next_numbers(tenant.id, form, count)
    rows = [
        {
            "number": number,
            "name": c["name"],
            "FShortName": c["short_name"],
            "FADDRESS": c["address"],
            "FTEL": c["tel"],
            "FSOCIALCRECODE": c["tax_code"],
            "FTAXREGISTERCODE": c["tax_code"],
        }
        for number, c in zip(numbers, people, strict=True)
    ]
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
