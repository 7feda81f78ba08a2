"""View: one record as the ERP's object model shows it.

Property names are the field keys without their leading ``F`` (``FCustId`` → ``CustId``);
the primary key is ``Id``, base data carry ``msterID``; multilingual texts are
``[{"Key": 2052, "Value": ...}]``; a reference is an object (``Id``, ``Number``, ``Name``)
next to ``<Property>_Id``; entry rows have ``Id`` and ``Seq``; empty texts are " ". A
successful View answers ``"ResponseStatus": null``, as real servers do.

Beside the ``[{"Key", "Value"}]`` texts, whatever holds multilingual fields — the record,
an entry row, a referenced record — carries ``MultiLanguageText``: one object per language,
``{"PkId", "LocaleId", <property>: <text>, ...}`` with every multilingual field of that
holder (``Name``, ``Description``, ...); an entry row with none set has ``[]``. Seen in a real
View of base data and its references (AndyYan1010/fengyuanjianshe, app/src/main/java/com/bt/
andy/fengyuanbuild/messegeInfo/AccountMemberInfo.java; references also in SearchDetailInfo.java
of the same repository — one client, so single source). The real ``PkId`` is the row id of
the language table, a sequence of its own; the sandbox gives the id of the record or row.
"""

from sandbox.k3cloud import messages, store
from sandbox.k3cloud.metadata.types import LOCALE, REF, TEXT
from sandbox.k3cloud.models import Record
from sandbox.k3cloud.protocol import as_int, ci_get
from sandbox.k3cloud.replies import MSG_NOT_FOUND, Reply, failure
from sandbox.k3cloud.values import query_value


def prop(key):
    """The object-model property name of a field key."""
    return key[1:] if len(key) > 1 and key[0] == "F" and key[1].isupper() else key


def view(op, form, data):
    """DynamicFormService.View by ``Id`` or ``Number``."""
    record = _find(op, form, as_int(ci_get(data, "Id")), str(ci_get(data, "Number") or "").strip())
    if record is None:
        return Reply(failure(messages.VIEW_NOT_FOUND, MSG_NOT_FOUND), "rejected")
    doc = store.doc_from_record(form, record)
    return Reply({"Result": {"ResponseStatus": None, "Result": object_model(op, form, doc)}}, rows=1)


def _find(op, form, record_id, number):
    records = Record.objects.filter(tenant_id=op.tenant_id, form=form.form_id)
    if record_id:
        return records.filter(id=record_id).first()
    if number:
        return records.filter(number=number).order_by("master_id", "id").first()
    return None


def object_model(op, form, doc):
    model = {"Id": doc[form.pk]}
    if form.allocatable:
        model["msterID"] = doc.get("FMASTERID")
    head = [f for f in form.header_fields() if f.key not in (form.pk, "FMASTERID") and f.subhead is None]
    if any(f.type == LOCALE for f in head):
        model["MultiLanguageText"] = _languages(op, doc[form.pk], head, doc)
    for found in head:
        _put(op, model, found, doc.get(found.key))
    for subhead in form.subheads:
        row = {"Id": doc[form.pk]}
        for found in (f for f in form.header_fields() if f.subhead == subhead):
            _put(op, row, found, doc.get(found.key))
        model[prop(subhead)] = [row]
    for entity in form.top_entities():
        model[prop(entity.key)] = [_row(op, form, entity, row) for row in doc.get(entity.key) or []]
    return model


def _row(op, form, entity, row):
    out = {"Id": row.get(entity.pk), "Seq": row.get("FSeq")}
    fields = form.entity_fields(entity.key)
    if any(f.type == LOCALE for f in fields):
        out["MultiLanguageText"] = _languages(op, row.get(entity.pk), fields, row)
    for found in fields:
        _put(op, out, found, row.get(found.key))
    for child in form.child_entities(entity.key):
        out[child.key] = [
            {"Id": link.get(child.pk), **{k: v for k, v in link.items() if k != child.pk}}
            for link in row.get(child.key) or []
        ]
    return out


def _put(op, model, found, value):
    name = prop(found.key)
    if found.type == REF:
        model[f"{name}_Id"] = value or 0
        model[name] = _reference(op, value)
    elif found.type == LOCALE:
        model[name] = [{"Key": op.lcid, "Value": value or " "}]
    elif found.type == TEXT:
        model[name] = value if value not in (None, "") else " "
    else:
        model[name] = query_value(found.type, value)


def _reference(op, value):
    target = op.refs.get(value) if value else None
    if target is None:
        return None
    return {
        "Id": target.id,
        "msterID": target.master_id or target.id,
        "Number": target.number,
        "MultiLanguageText": [{"PkId": target.id, "LocaleId": op.lcid, "Name": target.name or " "}],
        "Name": [{"Key": op.lcid, "Value": target.name or " "}],
    }


def _languages(op, pk_id, fields, holder):
    """``MultiLanguageText`` of a record or row: its multilingual fields in the session's language."""
    texts = {prop(f.key): holder.get(f.key) for f in fields if f.type == LOCALE}
    if not any(texts.values()):
        return []
    return [{"PkId": pk_id, "LocaleId": op.lcid, **{name: text or " " for name, text in texts.items()}}]
