"""A tenant's own fields, added to (or taken from) the simulated metadata at run time.

Real tenants add fields of their own: K3Cloud's ``F_<developer code>_…`` keys made in BOS, and
Fxiaoke's ``field_…__c`` custom fields. Both simulators already hold a few (``F_PAEZ_SalePrice``
on materials, ``field_erpNo__c`` on accounts); this hook lets a test add one more, change its
type or take it away, so what the hub does when a tenant's metadata changes (its pickers, the
save check, the daily drift check) can be exercised over HTTP. The change lives in the server
process's memory until ``reset`` (the control API's ``reset``) or the server stops; it applies to
every tenant of the system alike, as the simulators' metadata does.
"""

from dataclasses import replace

from sandbox.fxiaoke import schema as fxiaoke_schema
from sandbox.fxiaoke.schema.fields import Field as CrmField
from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.metadata.types import Field as ErpField

# Undo records: (system, object, field key) → the field it replaced (None when it was added).
_CHANGED = {}


def set_field(system, obj, key, type, label="", entity=None):  # noqa: A002 - the field's type
    """Add field ``key`` to ``obj`` (a CRM object or an ERP form) or change it to ``type``."""
    if system == "fxiaoke":
        describe = _describe(obj)
        _remember(system, obj, key, describe.fields.get(key))
        describe.fields[key] = CrmField(key, label or key, type, define_type="custom")
        return
    form = _form(obj)
    _remember(system, obj, key, form.field(key))
    _drop_erp(form, key)
    _add_erp(form, ErpField(key, label or key, type, entity=entity))


def remove_field(system, obj, key):
    """Take field ``key`` away from ``obj``, as when a tenant deletes a field of its own."""
    if system == "fxiaoke":
        describe = _describe(obj)
        _remember(system, obj, key, describe.fields.get(key))
        describe.fields.pop(key, None)
        return
    form = _form(obj)
    _remember(system, obj, key, form.field(key))
    _drop_erp(form, key)


def reset():
    """Put every changed field back as the simulator defines it."""
    for (system, obj, key), original in list(_CHANGED.items()):
        if system == "fxiaoke":
            fields = _describe(obj).fields
            fields.pop(key, None)
            if original is not None:
                fields[key] = original
        else:
            form = _form(obj)
            _drop_erp(form, key)
            if original is not None:
                _add_erp(form, original)
    _CHANGED.clear()


def _remember(system, obj, key, current):
    _CHANGED.setdefault((system, obj, key), current)


def _describe(api_name):
    if api_name not in fxiaoke_schema.DESCRIBES:
        raise LookupError(f"no object {api_name!r} in the Fxiaoke sandbox")
    return fxiaoke_schema.DESCRIBES[api_name]


def _form(form_id):
    form = get_form(form_id)
    if form is None:
        raise LookupError(f"no form {form_id!r} in the K3Cloud sandbox")
    return form


def _drop_erp(form, key):
    form.fields[:] = [f for f in form.fields if f.key.lower() != key.lower()]
    form.by_lower.pop(key.lower(), None)


def _add_erp(form, field):
    field = replace(field)
    form.fields.append(field)
    form.by_lower[field.key.lower()] = field
