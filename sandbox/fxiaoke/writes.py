"""``data/create`` (with master-detail ``details``, all or nothing) and ``data/update``."""

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from sandbox.fxiaoke import errors, schema, webhook
from sandbox.fxiaoke.errors import DUPLICATE_RECORD, REQUIRED_FIELD_MISSING, ApiError
from sandbox.fxiaoke.models import Record, Tenant
from sandbox.fxiaoke.records import base_data, load, touch
from sandbox.fxiaoke.values import apply, clean, is_empty
from sandbox.routers import SANDBOX_DB

BEIJING = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")
# master object -> (master total field, detail object, detail amount field): totals the
# platform computes when the client leaves them out.
LINE_TOTALS = {
    "SalesOrderObj": ("product_amount", "SalesOrderProductObj", "subtotal"),
    "PaymentObj": ("payment_amount", "OrderPaymentObj", "payment_amount"),
    "DeliveryNoteObj": ("total_delivery_money", "DeliveryNoteProductObj", "delivery_money"),
}


def create(call, describe, object_data, details):
    """Create one record and its details atomically; returns (dataId, {detail object: [ids]})."""
    with transaction.atomic(using=SANDBOX_DB):
        # Locking the tenant row serialises auto-numbers (SQLite serialises every write anyway).
        tenant = Tenant.objects.select_for_update().get(pk=call.tenant.pk)
        master = _new_record(call, describe, object_data)
        _link_to_master(call, describe, object_data, master)
        lines = _new_details(call, describe, details, master)
        _derive_totals(describe.api_name, master, lines)
        for detail_api, items in {describe.api_name: [master], **lines}.items():
            for data in items:
                _finish(call, tenant, schema.get(detail_api), data, master)
        Record.objects.bulk_create(
            [
                Record(tenant=tenant, api_name=api, data=d).sync_columns()
                for api, items in lines.items()
                for d in items
            ]
            + [Record(tenant=tenant, api_name=describe.api_name, data=master).sync_columns()]
        )
        tenant.save(update_fields=["counters"])
        webhook.record_changed(tenant.pk, describe.api_name, master)  # bulk_create sends no post_save
    return master["_id"], {api: [d["_id"] for d in items] for api, items in lines.items()}


def update(call, describe, object_data):
    """Change the given fields of one record; ``owner`` changes only through changeOwner."""
    with transaction.atomic(using=SANDBOX_DB):
        record = load(call, describe, object_data.get("_id"), parameter="object_data._id")
        data = record.data
        _refuse_update(call, describe, record, object_data)
        apply(data, clean(describe, {k: v for k, v in object_data.items() if k != "owner"}, call.directory))
        check_required(describe, data)
        if _duplicate_check_wanted(call):
            _refuse_duplicate(call.tenant, describe, data)
        touch(data, call)
        record.save()
    return record.object_id


def _new_record(call, describe, object_data, owner=None, path=""):
    values = clean(
        describe,
        object_data,
        call.directory,
        path=path,
        specify_time=call.flag("hasSpecifyTime"),
        specify_created_by=call.flag("hasSpecifyCreatedBy"),
    )
    owner = owner or values.pop("owner", None) or [call.user.open_user_id]
    if len(owner) != 1:
        raise errors.illegal_value(path + "owner", owner, "a record has exactly one owner")
    data = base_data(call, describe, owner, now_ms=values.get("create_time"))
    data.update({k: v for k, v in values.items() if v is not None and k != "owner"})
    check_required(describe, data, path)
    return data


def _link_to_master(call, describe, object_data, data):
    """A detail record created on its own (a line added to an existing order) names its
    master in the master field [I]; the field is not writable otherwise."""
    master_id = object_data.get(describe.master_field) if describe.master_field else None
    if not master_id:
        return
    if not Record.objects.filter(
        tenant=call.tenant, api_name=describe.master_api, object_id=master_id
    ).exists():
        raise errors.illegal_value(describe.master_field, master_id, f"no {describe.master_api} has this _id")
    data[describe.master_field] = master_id


def _new_details(call, describe, details, master):
    if not details:
        return {}
    if not isinstance(details, dict):
        raise errors.illegal_value("details", details, 'details is an object: {"DetailObj": [{...}]}')
    lines = {}
    for detail_api, items in details.items():
        if detail_api not in describe.details:
            raise errors.illegal_value("details", detail_api, f"not a detail object of {describe.api_name}")
        if not isinstance(items, list):
            raise errors.illegal_value(f"details.{detail_api}", items, "a list of records")
        detail = schema.get(detail_api)
        lines[detail_api] = []
        for index, item in enumerate(items):
            path = f"details.{detail_api}[{index}]."
            data = _new_record(call, detail, item if isinstance(item, dict) else {}, master["owner"], path)
            data[detail.master_field] = master["_id"]
            lines[detail_api].append(data)
    return lines


def _finish(call, tenant, describe, data, master):
    """Duplicates, auto-number and approval status of one new record."""
    if _duplicate_check_wanted(call) and data is master:
        _refuse_duplicate(tenant, describe, data)
    if describe.auto_prefix and not data.get("name"):
        number = tenant.counters.get(describe.api_name, 0) + 1
        tenant.counters[describe.api_name] = number
        day = call.now.astimezone(BEIJING).strftime("%Y%m%d")
        data["name"] = f"{describe.auto_prefix}{day}-{number:06d}"
    approval_objects = call.faults.get("approval_objects") or []
    if master["object_describe_api_name"] in approval_objects and call.flag("triggerApprovalFlow", True):
        # A create that starts an approval flow waits, locked, until someone approves it.
        data["life_status"], data["lock_status"] = "under_review", "1"


def check_required(describe, data, path=""):
    where = path or f"{describe.api_name}."
    for field in describe.fields.values():
        if field.required and is_empty(data.get(field.api_name)):
            # [invented] the platform documents no code for a missing required field.
            raise ApiError(
                REQUIRED_FIELD_MISSING,
                f"必填字段未填写: {where}{field.api_name}({field.label})",
                f"{where}{field.api_name} ({field.label}) needs a value",
            )


def _duplicate_check_wanted(call):
    """Duplicate check is off unless asked for: ``checkDuplicateSearch`` (custom) or
    ``data.optionInfo.isDuplicateSearch`` (preset)."""
    option_info = call.data.get("optionInfo") if isinstance(call.data.get("optionInfo"), dict) else {}
    return call.flag("checkDuplicateSearch") or option_info.get("isDuplicateSearch") is True


def _refuse_duplicate(tenant, describe, data):
    keys = {key: data.get(key) for key in describe.duplicate_keys}
    if any(is_empty(value) for value in keys.values()):
        return
    lookups = {f"data__{key}": value for key, value in keys.items()}
    twin = (
        Record.objects.filter(tenant=tenant, api_name=describe.api_name, **lookups)
        .exclude(life_status="invalid")
        .exclude(object_id=data["_id"])
        .values_list("object_id", flat=True)
        .first()
    )
    if twin:
        # [invented] the platform documents no code for a duplicate.
        shown = ", ".join(f"{k}={v}" for k, v in keys.items())
        raise ApiError(
            DUPLICATE_RECORD,
            f"数据重复: {describe.api_name} 已存在 {shown} 的数据 {twin}",
            f"a {describe.api_name} record with {shown} already exists: {twin}",
        )


def _refuse_update(call, describe, record, object_data):
    data = record.data
    if "owner" in object_data and object_data["owner"] != data.get("owner"):
        raise errors.illegal_value(
            "owner", object_data["owner"], "the owner changes only through data/changeOwner"
        )
    if data.get("life_status") == "invalid":
        raise errors.state_forbids(describe.api_name, record.object_id, "it is voided; recover it first")
    skip_lock = describe.is_custom and call.flag("skipDataStatusValidate")
    if data.get("lock_status") == "1" and not skip_lock:
        raise errors.state_forbids(describe.api_name, record.object_id, "it is locked")


def _derive_totals(api_name, master, lines):
    if api_name == "SalesOrderObj":
        for line in lines.get("SalesOrderProductObj", []):
            if "subtotal" not in line:
                amount = (
                    _dec(line["quantity"])
                    * _dec(line["sales_price"])
                    * _dec(line.get("discount", "100"))
                    / 100
                )
                line["subtotal"] = str(amount.quantize(CENT))
    if api_name in LINE_TOTALS:
        total_field, detail_api, amount_field = LINE_TOTALS[api_name]
        items = lines.get(detail_api, [])
        if items and total_field not in master:
            master[total_field] = str(
                sum((_dec(i.get(amount_field, "0")) for i in items), Decimal(0)).quantize(CENT)
            )
    if api_name == "SalesOrderObj" and "order_amount" not in master and "product_amount" in master:
        amount = _dec(master["product_amount"]) * _dec(master.get("discount", "100")) / 100
        master["order_amount"] = str(amount.quantize(CENT))


def _dec(value):
    return Decimal(str(value))
