"""The CRM object endpoints: ``object/list``, ``object/describe`` and ``data/*``, for preset
objects under ``/cgi/crm/v2/`` and custom (``__c``) objects under ``/cgi/crm/custom/v2/``."""

from sandbox.fxiaoke import errors, lifecycle, query, schema, writes
from sandbox.fxiaoke.records import can_see, load
from sandbox.fxiaoke.render import render
from sandbox.fxiaoke.views.base import endpoint


@endpoint("user")
def object_list(call):
    """``data.objects``: every object of the tenant, preset and custom."""
    objects = [describe.list_entry() for describe in schema.DESCRIBES.values()]
    call.rows = len(objects)
    return {"data": {"objects": objects}}


@endpoint("user")
def describe(call, custom):
    """``data.describe``: the object's fields with types and select options.

    ``apiName`` is read under ``data`` and, as older clients send it, at the top level.
    With ``includeDetail`` the describes of its detail objects follow in ``data.details``
    (the key is the sandbox's choice [invented]).
    """
    data = call.body.get("data") if isinstance(call.body.get("data"), dict) else {}
    api_name = data.get("apiName") or call.body.get("apiName")
    if not api_name:
        raise errors.missing("apiName")
    found = schema.for_path(api_name, custom) if custom else schema.get(api_name)
    answer = {"describe": found.describe()}
    if call.flag("includeDetail"):
        answer["details"] = [schema.get(name).describe() for name in found.details]
    call.rows = 1
    return {"data": answer}


def _object(call, custom, carrier=None):
    holder = call.data if carrier is None else carrier
    api_name = holder.get("dataObjectApiName")
    if not api_name:
        raise errors.missing("dataObjectApiName")
    return schema.for_path(api_name, custom)


def _written_object(call, custom, carrier=None):
    return schema.for_write(_object(call, custom, carrier))


@endpoint("user")
def data_query(call, custom):
    """``data: {dataList, total, offset, limit}`` for ``search_query_info``."""
    found = _object(call, custom)
    wanted = query.parse(found, call.data, call.directory)
    wanted.visible = None if call.user.is_crm_admin else (lambda d: can_see(call.user, d))
    rows, total = query.run(call.tenant, found, wanted)
    data_list = render(rows, found, call.directory, wanted.projection, call.flag("includeNull"))
    call.rows = len(data_list)
    return {"data": {"dataList": data_list, "total": total, "offset": wanted.offset, "limit": wanted.limit}}


@endpoint("user")
def data_get(call, custom):
    """``data``: one record by ``objectDataId``."""
    found = _object(call, custom)
    record = load(call, found, call.data.get("objectDataId"), lock=False)
    call.rows = 1
    return {"data": render([record.data], found, call.directory, include_null=call.flag("includeNull"))[0]}


@endpoint("user")
def data_create(call, custom):
    """Create from ``data.object_data`` (+ ``data.details``); answers the top-level ``dataId``."""
    object_data = _object_data(call)
    found = _written_object(call, custom, object_data)
    data_id, detail_ids = writes.create(call, found, object_data, call.data.get("details"))
    call.rows = 1 + sum(len(ids) for ids in detail_ids.values())
    answer = {"dataId": data_id}
    if call.flag("includeDetailIds"):
        answer["detailIds"] = detail_ids  # [invented] key: the platform's shape is undocumented
    return answer


@endpoint("user")
def data_update(call, custom):
    """Update the fields in ``data.object_data`` (with its ``_id``); answers the envelope and ``dataId``."""
    object_data = _object_data(call)
    found = _written_object(call, custom, object_data)
    if call.data.get("details"):
        raise errors.illegal_value("details", "…", "details are given only when the master is created")
    call.rows = 1
    return {"dataId": writes.update(call, found, object_data)}


@endpoint("user")
def data_invalid(call, custom):
    """Void one record: ``data.object_data_id`` (a single id)."""
    found = _written_object(call, custom)
    object_id = call.data.get("object_data_id")
    if not isinstance(object_id, str) or not object_id:
        raise errors.missing("object_data_id")
    call.rows = lifecycle.invalid(call, found, [object_id])
    return {}


@endpoint("user")
def custom_bulk_invalid(call):
    """Void several custom-object records at once: ``data.idList`` (custom objects only)."""
    found = _written_object(call, True)
    call.rows = lifecycle.invalid(call, found, call.data.get("idList"))
    return {}


@endpoint("user")
def data_delete(call, custom):
    """Delete voided records: ``data.idList``."""
    found = _written_object(call, custom)
    call.rows = lifecycle.delete(call, found, call.data.get("idList"))
    return {}


@endpoint("user")
def data_recover(call, custom):
    """Bring voided records back: ``data.idList``."""
    found = _written_object(call, custom)
    call.rows = lifecycle.recover(call, found, call.data.get("idList"))
    return {}


@endpoint("user")
def data_change_owner(call, custom):
    """Change owners: ``data.Data[{objectDataId, ownerId: ["…"]}]``."""
    found = _written_object(call, custom)
    call.rows = lifecycle.change_owner(call, found, call.data.get("Data"))
    return {}


def _object_data(call):
    object_data = call.data.get("object_data")
    if not isinstance(object_data, dict):
        raise errors.missing("object_data")
    return object_data
