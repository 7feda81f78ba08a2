"""What every write to a CRM record shares: finding it, data permission, bumping its audit fields."""

from django.db import connections, transaction

from sandbox.fxiaoke import errors, ids, schema
from sandbox.fxiaoke.models import Record, record_columns
from sandbox.fxiaoke.schema import ADMIN_USER
from sandbox.routers import SANDBOX_DB

COLUMNS = ("object_id", "name", "life_status", "create_time", "last_modified_time", "master_id")


def can_see(user, data):
    """Data permission: CRM administrators see everything, everyone else the records they own."""
    return user is None or user.is_crm_admin or user.open_user_id in data.get("owner", [])


def load(call, describe, object_id, parameter="objectDataId", lock=True):
    """The record ``object_id`` of ``describe``'s object the caller may see; ``lock`` holds
    its row for the write that follows (inside a transaction)."""
    if not isinstance(object_id, str) or not object_id:
        raise errors.missing(parameter)
    rows = Record.objects.select_for_update() if lock else Record.objects
    record = rows.filter(tenant=call.tenant, api_name=describe.api_name, object_id=object_id).first()
    if record is None:
        raise errors.not_found(describe.api_name, object_id)
    if not can_see(call.user, record.data):
        raise errors.no_permission(describe.api_name, object_id)
    return record


def touch(data, call):
    """Mark a write: last_modified_time always moves forward, even within one millisecond."""
    data["last_modified_time"] = max(call.now_ms, data["last_modified_time"] + 1)
    data["last_modified_by"] = [call.user.open_user_id if call.user else ADMIN_USER]
    data["version"] = data.get("version", 0) + 1


def details_of(call, describe, master_id):
    """The detail records (order lines, payment lines…) of one master record."""
    rows = []
    for detail_api in describe.details:
        master_field = schema.get(detail_api).master_field
        rows.extend(
            Record.objects.select_for_update().filter(
                tenant=call.tenant, api_name=detail_api, **{f"data__{master_field}": master_id}
            )
        )
    return rows


def base_data(call, describe, owner, now_ms=None):
    """The system fields of a new record owned by ``owner`` (a list with one openUserId)."""
    now_ms = now_ms if now_ms is not None else call.now_ms
    user = call.user.open_user_id if call.user else ADMIN_USER
    person = call.directory.employee(owner[0])
    dept_id = person.main_department_id if person else 999999
    return {
        "_id": ids.object_id(now_ms // 1000),
        "object_describe_api_name": describe.api_name,
        "tenant_id": call.tenant.tenant_id,
        "record_type": "default__c",
        "owner": list(owner),
        "owner_department": call.directory.department_name(dept_id),
        "data_own_department": [str(dept_id)],
        "created_by": [user],
        "last_modified_by": [user],
        "create_time": now_ms,
        "last_modified_time": now_ms,
        "life_status": "normal",
        "lock_status": "0",
        "is_deleted": False,
        "version": 1,
        "relevant_team": [
            {"teamMemberEmployee": list(owner), "teamMemberRole": "1", "teamMemberPermissionType": "2"}
        ],
    }


def insert_all(tenant, rows):
    """Insert many new records, ``[(api_name, data), ...]``, in one statement per batch.

    Seeds and imports create tens of thousands of records; building a model instance for
    each costs more than the insert itself, so the rows go straight to the table (the JSON
    prepared by the field itself, so any database backend gets the right type).
    """
    connection = connections[SANDBOX_DB]
    data_field = Record._meta.get_field("data")
    quote = connection.ops.quote_name
    names = ("tenant_id", "api_name", *COLUMNS, "data")
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Record._meta.db_table), ", ".join(quote(c) for c in names), ", ".join(["%s"] * len(names))
    )
    values = []
    for api_name, data in rows:
        columns = record_columns(api_name, data)
        prepared = data_field.get_db_prep_save(data, connection)
        values.append((tenant.pk, api_name, *(columns[c] for c in COLUMNS), prepared))
    with transaction.atomic(using=SANDBOX_DB), connection.cursor() as cursor:
        for start in range(0, len(values), 1000):
            cursor.executemany(sql, values[start : start + 1000])
    return len(values)
