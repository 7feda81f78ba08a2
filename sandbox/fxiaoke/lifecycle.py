"""Voiding, deleting, recovering and changing the owner of CRM records.

A record must be voided (``data/invalid``) before it can be deleted; ``data/recover`` brings a
voided record back to ``normal``. A master's details follow it. Each call is all or nothing:
one refused id refuses the whole call [I].
"""

from django.db import transaction

from sandbox.fxiaoke import errors
from sandbox.fxiaoke.records import details_of, load, touch
from sandbox.fxiaoke.values import normalise
from sandbox.routers import SANDBOX_DB


def invalid(call, describe, object_ids):
    """Void records (life_status ``invalid``); locked or already voided records are refused."""
    with transaction.atomic(using=SANDBOX_DB):
        records = _load_all(call, describe, object_ids)
        for record in records:
            if record.life_status == "invalid":
                raise errors.state_forbids(describe.api_name, record.object_id, "it is already voided")
            if record.data.get("lock_status") == "1":
                raise errors.state_forbids(describe.api_name, record.object_id, "it is locked")
        for record in records:
            _set_status(call, describe, record, "invalid")
    return len(records)


def delete(call, describe, object_ids):
    """Delete voided records for good (with their details)."""
    with transaction.atomic(using=SANDBOX_DB):
        records = _load_all(call, describe, object_ids)
        for record in records:
            if record.life_status != "invalid":
                raise errors.state_forbids(
                    describe.api_name,
                    record.object_id,
                    "only a voided record can be deleted; void it with data/invalid first",
                )
        for record in records:
            for detail in details_of(call, describe, record.object_id):
                detail.delete()
            record.delete()
    return len(records)


def recover(call, describe, object_ids):
    """Bring voided records (and their details) back to ``normal``."""
    with transaction.atomic(using=SANDBOX_DB):
        records = _load_all(call, describe, object_ids)
        for record in records:
            if record.life_status != "invalid":
                raise errors.state_forbids(describe.api_name, record.object_id, "it is not voided")
        for record in records:
            _set_status(call, describe, record, "normal")
    return len(records)


def change_owner(call, describe, items):
    """Give records a new owner: ``[{"objectDataId": id, "ownerId": ["1000"]}]``."""
    if not isinstance(items, list) or not items:
        raise errors.missing("Data")
    with transaction.atomic(using=SANDBOX_DB):
        for index, item in enumerate(items):
            item = item if isinstance(item, dict) else {}
            record = load(call, describe, item.get("objectDataId"), parameter=f"Data[{index}].objectDataId")
            if record.life_status == "invalid":
                raise errors.state_forbids(
                    describe.api_name, record.object_id, "it is voided; recover it first"
                )
            owner = _owner(call, describe, item.get("ownerId"), f"Data[{index}].ownerId")
            for row in [record, *details_of(call, describe, record.object_id)]:
                _set_owner(call, row, owner)
    return len(items)


def _load_all(call, describe, object_ids):
    if not isinstance(object_ids, list) or not object_ids:
        raise errors.missing("idList")
    return [load(call, describe, object_id, parameter="idList") for object_id in object_ids]


def _set_status(call, describe, record, status):
    for row in [record, *details_of(call, describe, record.object_id)]:
        row.data["life_status"] = status
        touch(row.data, call)
        row.save()


def _owner(call, describe, value, name):
    # The docs show both ["1000"] and "1000"-like forms; a single id is taken as a list of one [I].
    value = [value] if isinstance(value, str) else value
    owner = normalise(describe.fields["owner"], value, call.directory, name)
    if len(owner) != 1:
        raise errors.illegal_value(name, value, "a record has exactly one owner")
    return owner


def _set_owner(call, record, owner):
    data = record.data
    person = call.directory.employee(owner[0])
    data["owner"] = owner
    data["owner_department"] = call.directory.department_name(person.main_department_id)
    data["relevant_team"] = [
        {"teamMemberEmployee": owner, "teamMemberRole": "1", "teamMemberPermissionType": "2"}
    ]
    touch(data, call)
    record.save()
