"""What people do in the CRM outside the Open API: edit a record by hand, approve what waits
for approval, import a spreadsheet, touch up accounts.

``simulate`` is the sandbox's business simulation hook (``manage.py sandbox simulate fxiaoke``
and ``/sandbox/control/simulate/fxiaoke``); its ``import_records`` option is also the fast way
for tests to get tens of thousands of records.
"""

import random
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from sandbox import clock
from sandbox.fxiaoke import schema
from sandbox.fxiaoke.context import ApiCall
from sandbox.fxiaoke.errors import ApiError
from sandbox.fxiaoke.models import Record, Tenant
from sandbox.fxiaoke.records import base_data, insert_all, touch
from sandbox.fxiaoke.schema.fields import NUMBER_TYPES, REFERENCE_TYPES, TIME_TYPES
from sandbox.fxiaoke.values import apply, clean
from sandbox.fxiaoke.writes import check_required
from sandbox.routers import SANDBOX_DB


def simulate(tenant=None, seed=7, import_records=None, edit=0.0, approve=True, **_erp_only):
    """Act like the tenant's people: import records, approve pending ones, edit a share of accounts.

    ``import_records`` is ``{"AccountObj": 20000, ...}``; ``edit`` the share of accounts to
    change. ``ship``/``receive`` (ERP actions) have no CRM counterpart and are ignored.
    """
    rng = random.Random(seed)
    result = {}
    for row in _tenants(tenant, required=bool(import_records)):
        call = people_call(row)
        done = {"imported": {}, "approved": approve_pending(call) if approve else 0}
        for api_name, count in (import_records or {}).items():
            done["imported"][api_name] = import_records_into(call, api_name, int(count), rng)
        done["edited"] = edit_accounts(call, float(edit), rng) if edit else 0
        result[row.corp_id] = done
    return result


def people_call(tenant, user=None):
    """A call context for changes made by a person in the CRM (``user`` None: the system)."""
    return ApiCall(operation="crm", body={}, now=clock.now("fxiaoke"), faults={}, tenant=tenant, user=user)


def _tenants(key, required):
    if key:
        found = list(Tenant.objects.filter(corp_id=key)) or list(Tenant.objects.filter(app_id=key))
        if not found:
            raise LookupError(f"no Fxiaoke sandbox tenant with corpId or appId {key!r}")
        return found
    if required:
        raise LookupError("name the tenant (its corpId) to import records into")
    return list(Tenant.objects.all())


def approve_pending(call):
    """Approve every record waiting for approval: ``under_review`` → ``normal``, unlocked."""
    with transaction.atomic(using=SANDBOX_DB):
        rows = list(Record.objects.select_for_update().filter(tenant=call.tenant, life_status="under_review"))
        for row in rows:
            row.data.update(life_status="normal", lock_status="0")
            touch(row.data, call)
            row.save()
    return len(rows)


def edit_accounts(call, share, rng):
    """Change the remark of ``share`` of the tenant's accounts, as a salesperson would."""
    with transaction.atomic(using=SANDBOX_DB):
        rows = list(
            Record.objects.filter(tenant=call.tenant, api_name="AccountObj").exclude(life_status="invalid")
        )
        chosen = rng.sample(rows, k=round(len(rows) * min(max(share, 0.0), 1.0)))
        for row in chosen:
            row.data["remark"] = f"客户资料已更新 {call.now:%Y-%m-%d %H:%M}"
            touch(row.data, call)
            row.save()
    return len(chosen)


def import_records_into(call, api_name, count, rng):
    """Bulk-create ``count`` plausible records of ``api_name`` (a spreadsheet import)."""
    describe = schema.DESCRIBES.get(api_name)
    if describe is None or describe.master_api:
        raise LookupError(f"cannot import {api_name!r}: name a CRM object that is not a detail object")
    targets = _lookup_targets(call.tenant, describe)
    people = list(call.directory.by_open_user_id)
    start = Record.objects.filter(tenant=call.tenant, api_name=api_name).count()
    fields = [
        f
        for f in describe.fields.values()
        if f.writable and f.define_type != "system" and f.type != "department"
    ]
    rows = []
    for number in range(start + 1, start + count + 1):
        data = base_data(call, describe, [rng.choice(people)])
        for field in fields:
            value = _fake(describe, field, number, rng, targets, people, call)
            if value is not None:
                data[field.api_name] = value
        rows.append((api_name, data))
    return insert_all(call.tenant, rows)


def _lookup_targets(tenant, describe):
    targets = {}
    for field in describe.fields.values():
        if field.type in REFERENCE_TYPES and field.writable:
            ids = Record.objects.filter(tenant=tenant, api_name=field.target).exclude(life_status="invalid")
            targets[field.target] = list(ids.values_list("object_id", flat=True)[:1000])
            if field.required and not targets[field.target]:
                raise LookupError(f"import {field.target} records before {describe.api_name}")
    return targets


def _fake(describe, field, number, rng, targets, people, call):
    kind = field.type
    if field.api_name == "name":
        return f"{describe.auto_prefix or describe.display_name}IMP{number:06d}"
    if kind in NUMBER_TYPES:
        return f"{rng.randint(100, 999_999) / 100:.2f}"
    if kind in TIME_TYPES:
        day = call.now - timedelta(days=rng.randint(0, 90))
        return int(day.timestamp()) * 1000
    if kind in ("select_one", "select_many"):
        value = rng.choice(field.options)[0]
        return [value] if kind == "select_many" else value
    if kind == "true_or_false":
        return rng.random() < 0.5
    if kind == "employee":
        return [rng.choice(people)]
    if kind in REFERENCE_TYPES:
        return rng.choice(targets[field.target]) if targets.get(field.target) else None
    if kind == "email":
        return f"import{number}@example.cn"
    if kind == "phone_number":
        return f"139{number:08d}"
    return f"{field.label}{number}"


def check_admin_edit(record):
    """Check (and normalise) a record edited by hand: every writable value must be valid for
    its field, as through the API. System fields stay editable (to lock a record, say), but
    never ``_id``. Raises ``ValidationError``."""
    describe = schema.get(record.api_name)
    record.data["_id"] = record.object_id
    try:
        apply(record.data, clean(describe, record.data, people_call(record.tenant).directory))
        check_required(describe, record.data)
    except ApiError as error:
        raise ValidationError(error.description or error.message) from None


def save_admin_edit(record):
    """Save a record edited by hand as a change made in the CRM: checked like an API write,
    with ``last_modified_time`` and ``version`` bumped so incremental pulls see it."""
    check_admin_edit(record)
    touch(record.data, people_call(record.tenant))
    record.save()
    return record
