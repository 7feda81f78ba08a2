"""QueryBusinessInfo: a form's metadata — its entities and fields — from the sandbox metadata.

Known (the official Python SDK ``kingdee.cdp.webapi.sdk`` 8.2.0, ``k3cloud_webapi_sdk/main.py``
``QueryBusinessInfo``): the service is ``DynamicFormService.QueryBusinessInfo`` and takes only
``{"data": {"FormId": ...}}`` (no ``formid`` argument); public clients call it the same way
(e.g. a Python material wrapper calling ``QueryBusinessInfo(data={"FormId": ...})``).

The reply's shape is [inferred]: no captured reply was found in public code. This simulator
answers the usual success wrapper with the metadata in ``Result.NeedReturnData``::

    {"Id": "BD_Customer", "Name": [{"Key": 2052, "Value": "客户"}], "Entrys": [
        {"Key": "FBillHead", "Name": [...], "EntityType": "HeadEntity", "Fields": [
            {"Key": "FNumber", "Name": [{"Key": 2052, "Value": "编码"}], "ElementType": "TextField",
             "EntityKey": "FBillHead", "MustInput": 1, "IsLocked": false, "LookUpObjectFormId": null}]}]}

``Name`` is localised like View's multilingual texts; ``MustInput`` is 0/1 and ``IsLocked``
a flag (the ERP keeps the field itself). A client must read this tolerantly (other key
names, a plain-string ``Name``) until a real reply is seen. Attributes the metadata may gain
(decimal ``precision``/``scale``, ``max_length``) are given when a field has them.
"""

from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.protocol import ci_get
from sandbox.k3cloud.replies import MSG_EXCEPTION, MSG_FORM_EMPTY, Reply, Status, failure, result

HEAD = "FBillHead"
ELEMENT_TYPES = {
    "text": "TextField",
    "locale": "MultiLangTextField",
    "int": "IntegerField",
    "decimal": "DecimalField",
    "bool": "CheckBoxField",
    "date": "DateField",
    "datetime": "DateTimeField",
    "ref": "BaseDataField",
}
# Optional attributes another part of the metadata may carry, and the reply key for each.
EXTRA_ATTRIBUTES = {"precision": "Precision", "scale": "Scale", "max_length": "MaxLength"}


def query_business_info(op, data):
    """DynamicFormService.QueryBusinessInfo ``{"FormId": "BD_Customer"}``."""
    form_id = str(ci_get(data, "FormId") or "").strip()
    if not form_id:
        return Reply(failure("表单Id（FormId）不能为空", MSG_FORM_EMPTY), "bad_request")
    form = get_form(form_id)
    if form is None:
        return Reply(failure(op.messages.FORM_NOT_FOUND, MSG_EXCEPTION), "bad_request")
    info = {"Id": form.form_id, "Name": _name(form.caption), "Entrys": _entities(form)}
    return Reply(result(Status(), NeedReturnData=info), rows=len(form.fields))


def _entities(form):
    entities = [(HEAD, form.caption, "HeadEntity")]
    entities += [(key, caption, "SubHeadEntity") for key, caption in form.subheads.items()]
    entities += [
        (e.key, e.caption, "EntryEntity" if e.parent is None else "SubEntryEntity") for e in form.entities
    ]
    return [
        {"Key": key, "Name": _name(caption), "EntityType": kind, "Fields": _fields(form, key)}
        for key, caption, kind in entities
    ]


def _fields(form, entity_key):
    return [_field(f, entity_key) for f in form.fields if _entity_of(f) == entity_key]


def _entity_of(field):
    return field.entity or field.subhead or HEAD


def _field(field, entity_key):
    described = {
        "Key": field.key,
        "Name": _name(field.caption),
        "ElementType": ELEMENT_TYPES.get(field.type, "TextField"),
        "EntityKey": entity_key,
        "MustInput": 1 if field.required else 0,
        "IsLocked": bool(field.readonly),
        "LookUpObjectFormId": field.ref,
    }
    for attribute, key in EXTRA_ATTRIBUTES.items():
        value = getattr(field, attribute, None)
        if value is not None:
            described[key] = value
    return described


def _name(caption):
    # The metadata holds Chinese captions only; an English session sees them under 2052 too.
    return [{"Key": 2052, "Value": caption}]
