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


def simulate(
    tenant=None, seed=7, import_records=None, edit=0.0, approve=True, stream=None, save=None, **_erp_only
):
    """Act like the tenant's people: import records, approve pending ones, edit a share of accounts.

    ``import_records`` is ``{"AccountObj": 20000, ...}``; ``edit`` the share of accounts to
    change. ``stream`` is ``{"accounts": 1, "orders": 1, "new_orders": 0}``: that many
    single edits (see ``stream_edits``), listed in the answer's ``changes``. ``save`` is
    ``{"AccountObj": {_id: {field: value}}}``: a person saves those values on those records
    (see ``save_records``). ``ship``/``receive`` (ERP actions) have no CRM counterpart and
    are ignored. Every change is stamped with the person who made it (``a_person``).
    """
    rng = random.Random(seed)
    result = {}
    for row in _tenants(tenant, required=bool(import_records or save)):
        call = people_call(row)
        done = {"imported": {}, "approved": approve_pending(call) if approve else 0}
        for api_name, count in (import_records or {}).items():
            done["imported"][api_name] = import_records_into(call, api_name, int(count), rng)
        done["edited"] = edit_accounts(call, float(edit), rng) if edit else 0
        if stream:
            done["changes"] = stream_edits(call, rng, **stream)
        if save:
            done["saved"] = save_records(call, save)
        result[row.corp_id] = done
    return result


def people_call(tenant, user=None):
    """A call context for changes made by a person in the CRM: ``user``, else ``a_person``."""
    user = user or a_person(tenant)
    return ApiCall(operation="crm", body={}, now=clock.now("fxiaoke"), faults={}, tenant=tenant, user=user)


def a_person(tenant):
    """Who the tenant's people's changes are stamped with: its first employee who is not a CRM
    administrator, so never the integration user the seed hands out (the administrator); the
    system (None, ``"-10000"``) only for a tenant of administrators alone."""
    return tenant.employees.filter(is_crm_admin=False, is_stop=False).order_by("pk").first()


def _tenants(key, required):
    if key:
        found = list(Tenant.objects.filter(corp_id=key)) or list(Tenant.objects.filter(app_id=key))
        if not found:
            raise LookupError(f"no Fxiaoke sandbox tenant with corpId or appId {key!r}")
        return found
    if required:
        raise LookupError("name the tenant (its corpId) to import records into")
    return list(Tenant.objects.all())


def save_records(call, save):
    """A person opens each record and saves these values on it, checked as an API write's
    are: ``{api_name: {_id: {field: value}}}``. Returns how many records were saved."""
    saved = 0
    for api_name, by_id in save.items():
        for object_id, values in by_id.items():
            try:
                _save_one(call, schema.get(api_name), object_id, values)
            except ApiError as error:
                raise LookupError(error.description or error.message) from None
            saved += 1
    return saved


def _save_one(call, describe, object_id, values):
    with transaction.atomic(using=SANDBOX_DB):
        rows = Record.objects.select_for_update().filter(tenant=call.tenant, api_name=describe.api_name)
        row = rows.filter(object_id=object_id).first()
        if row is None:
            raise LookupError(f"no {describe.api_name} record {object_id!r} to save")
        apply(row.data, clean(describe, values, call.directory))
        touch(row.data, call)
        row.save()


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


def stream_edits(call, rng, accounts=0, orders=0, new_orders=0, new_accounts=0):
    """One person's edits each, saved one by one (so each is a change a webhook reports).

    An account gets a new phone number, an order a new remark (both fields the shipped flows
    map), a new order copies a random order's customer and lines, and a new account copies
    a random account under a new name and a new unified social credit code. Returns
    ``[[api_name, _id, last_modified_time ms], ...]``: when each change was made.
    """
    changes = []
    for api_name, count, field_name in (("AccountObj", accounts, "tel"), ("SalesOrderObj", orders, "remark")):
        for row in _random_records(call.tenant, api_name, int(count), rng):
            row.data[field_name] = f"{'139' if field_name == 'tel' else '备注 '}{rng.randrange(10**8):08d}"
            changes.append(_save_change(row, call))
    for _number in range(int(new_orders)):
        changes.append(_copy_order(call, rng))
    for _number in range(int(new_accounts)):
        changes.append(_copy_account(call, rng))
    return changes


def _copy_account(call, rng):
    (model,) = _random_records(call.tenant, "AccountObj", 1, rng)
    call = people_call(call.tenant, call.user)
    data = {**model.data, **base_data(call, schema.get("AccountObj"), model.data["owner"])}
    data.pop("field_erpNo__c", None)  # the ERP number is the hub's to write back
    data["name"] = f"{model.data.get('name') or '客户'}{data['_id'][-6:]}分公司"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    data["field_x2Tax__c"] = f"91{rng.randint(110000, 659999)}" + "".join(rng.choices(alphabet, k=10))
    with transaction.atomic(using=SANDBOX_DB):
        Record(tenant=call.tenant, api_name="AccountObj", data=data).save()
    return ["AccountObj", data["_id"], data["last_modified_time"]]


def _random_records(tenant, api_name, count, rng):
    rows = Record.objects.filter(tenant=tenant, api_name=api_name).exclude(life_status="invalid")
    total = rows.count()
    return [rows.order_by("pk")[rng.randrange(total)] for _pick in range(count if total else 0)]


def _save_change(row, call):
    with transaction.atomic(using=SANDBOX_DB):
        touch(row.data, people_call(call.tenant, call.user))  # each at its own moment
        row.save()
    return [row.api_name, row.object_id, row.data["last_modified_time"]]


def _copy_order(call, rng):
    """A new order of a random order's customer, with copies of its lines."""
    (model,) = _random_records(call.tenant, "SalesOrderObj", 1, rng)
    call = people_call(call.tenant, call.user)
    describe = schema.get("SalesOrderObj")
    data = {**model.data, **base_data(call, describe, model.data["owner"])}
    data["name"] = f"{model.data['name']}-{data['_id'][-6:]}"
    lines = Record.objects.filter(
        tenant=call.tenant, api_name="SalesOrderProductObj", master_id=model.object_id
    )
    with transaction.atomic(using=SANDBOX_DB):
        for line in lines:
            copy = {**line.data, **base_data(call, schema.get(line.api_name), line.data["owner"])}
            copy["order_id"] = data["_id"]
            Record(tenant=call.tenant, api_name=line.api_name, data=copy).save()
        Record(tenant=call.tenant, api_name="SalesOrderObj", data=data).save()
    return ["SalesOrderObj", data["_id"], data["last_modified_time"]]


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
