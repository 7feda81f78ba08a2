"""Writing K3Cloud records: Save models from mapped payloads, outcomes back per item.

The mapping already builds the ERP's shapes (``FCustId.FNumber`` → ``{"FCustId": {"FNumber":
...}}``, entry lines as lists), so a model is the payload plus the primary key: absent for a
create, the target id for an update.
"""

from django.utils.translation import gettext as _

from connectors.errors import OutcomeUnknownError
from connectors.k3cloud.errors import error_from_status
from connectors.k3cloud.results import ResponseStatus
from syncjobs.adapters.base import TargetRef, WriteResult
from syncjobs.adapters.k3cloud_read import SYSTEM
from syncjobs.adapters.values import for_k3cloud

# Keys that make a nested object a base-data reference ({"FNumber": "C001"}) rather than a
# sub-head whose fields are updated one by one.
REFERENCE_KEYS = frozenset({"fnumber", "id", "fname", "fuserid", "fcontactnumber", "fstaffnumber"})


def record_id(value):
    """A primary key as the ERP takes it: an int when it is one."""
    text = str(value).strip()
    return int(text) if text.isdigit() else text


def save_model(form, item):
    """The Save model of one ``WriteItem``: its payload with the primary key set or left out."""
    model = for_k3cloud(item.payload)
    for key in [k for k in model if k.lower() == form.pk.lower()]:
        del model[key]
    if item.target_id and item.update_fields is not None:
        model = {key: value for key, value in model.items() if key in set(item.update_fields)}
    if item.target_id:
        model = {form.pk: record_id(item.target_id), **model}
    return model


def save_options(form, items, models):
    """The BatchSave options of one batch (keyword arguments of ``K3CloudClient.batch_save``).

    IsVerifyBaseDataField is sent whichever way the flow chose: left out, the ERP's default
    (false) blanks a reference whose number it does not find and saves the record anyway, so
    a wrong value-map entry would go unnoticed. The engine gives every item of a flow the
    same choice; a batch is verified when any of its items asks for it.
    """
    options = {"is_verify_base_data_field": any(item.verify_references for item in items)}
    if any(item.target_id and item.update_fields is not None for item in items):
        options["need_update_fields"] = update_field_keys(form, models)
    return options


def entry_keys(form, model):
    """``{model key: catalog entry key}`` for the entry tables a model carries lines for."""
    known = {entry.lower(): entry for entry in form.entries}
    return {
        key: known[key.lower()]
        for key, value in model.items()
        if key.lower() in known and isinstance(value, list)
    }


def clear_emptied_entries(form, items, models):
    """An update's empty line list sent as the ERP's "clear": ``[{}]``, as ``[]`` changes nothing.

    With IsDeleteEntry true the real server leaves an entry table alone on ``"FEntity": []``
    and empties it on ``"FEntity": [{}]`` (spec §9, a production test in public client code;
    single source). A source whose lines were all removed maps to ``[]``; sending that as
    is would leave the old lines in the ERP. Call after the entry ids are matched, so the
    empty row gets none.
    """
    for item, model in zip(items, models, strict=True):
        if item.target_id:
            for key in entry_keys(form, model):
                if model[key] == []:
                    model[key] = [{}]


def update_field_keys(form, models):
    """NeedUpDateFields covering every key the models carry (entries and sub-heads included).

    One list serves the whole batch, so it is the union: each model carries only the keys
    it means to update, so the union changes nothing a model did not ask for.
    """
    keys = []
    for model in models:
        for key, value in model.items():
            if key.lower() != form.pk.lower():
                keys += [key, *_inner_keys(form, key, value)]
    return list(dict.fromkeys(keys))


def _inner_keys(form, key, value):
    if isinstance(value, list):
        return [inner for line in value if isinstance(line, dict) for inner in line]
    is_subhead = key.lower() in {s.lower() for s in form.subheads}
    if isinstance(value, dict) and (is_subhead or not REFERENCE_KEYS & {k.lower() for k in value}):
        return list(value)
    return []


def batch_results(items, batch, operation="BatchSave"):
    """One ``WriteResult`` per item from a ``BatchSaveResult``, matched by DIndex."""
    return [
        _row_result(item, row, batch.status, operation) for item, row in zip(items, batch.rows, strict=True)
    ]


def _row_result(item, row, status, operation):
    if row.ok:
        target = TargetRef(str(row.entity.id), row.entity.number or "")
        excerpt = {"Id": row.entity.id, "Number": row.entity.number, "DIndex": row.index}
        return WriteResult(item.key, True, target=target, response=excerpt)
    if row.unreported:
        error = OutcomeUnknownError(
            _(
                "K3Cloud's answer to %(operation)s did not mention row %(row)s (record %(key)s), so it may "
                "or may not have been saved. Look the record up before writing it again."
            )
            % {"operation": operation, "row": row.index, "key": item.key},
            system=SYSTEM,
        )
        return WriteResult(item.key, False, error=error, response={"DIndex": row.index})
    row_status = ResponseStatus(False, status.msg_code, status.error_code, errors=row.errors)
    error = error_from_status(row_status, operation)
    return WriteResult(item.key, False, error=error, response={"Errors": [e.as_dict() for e in row.errors]})


def failed_results(items, error):
    """Every item failed alike: a call-level refusal, or an answer lost for the whole batch."""
    excerpt = {"error": type(error).__name__, "message": str(error)[:500]}
    return [WriteResult(item.key, False, error=error, response=excerpt) for item in items]
