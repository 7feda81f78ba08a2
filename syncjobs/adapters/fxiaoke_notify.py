"""The ``notify_owner`` post-action: a text message to the owner of written CRM records.

Parameters (all but ``template`` optional)::

    {"action": "notify_owner",
     "template": "订单 {order} 已发货，发货单号 {number}",
     "recipient": "sales_order_id",              # notify the owner of the record this lookup
                                                 # points to (here the order), not of the record
     "fields": {"order": "sales_order_id__r"},   # placeholder -> field of the written record
     "values": {"<target id>": {"source_number": "FHTZD000123"}}}  # what the engine knows

Placeholders: ``{number}`` (the written record's number, else its name), ``{id}``, any field
of the written record by its api name (``{name}``, ``{sales_order_id__r}``), the aliases of
``fields`` and, taking precedence, the engine's ``values`` for that record. Each record gets
its own message and its own outcome.
"""

import string

from django.utils.translation import gettext as _

from connectors.errors import ConnectorError, PermanentError
from syncjobs.adapters.base import chunks
from syncjobs.adapters.fxiaoke_read import MAX_PAGE, SYSTEM, field_name

OPEN_USER_PREFIX = "FSUID_"


def notify_owner(adapter, obj, action, refs):
    """``{ref id: error or None}``: one text message per record to its (or its parent's) owner."""
    template = action.get("template")
    if not isinstance(template, str) or not template.strip():
        error = PermanentError(_("The notify_owner post-action needs a non-empty “template”."), system=SYSTEM)
        return {ref.id: error for ref in refs}
    aliases, recipient = action.get("fields") or {}, action.get("recipient")
    wanted = ["owner", *[field_name(f) for f in aliases.values()], *_template_fields(template)]
    records = _by_id(adapter, obj, [ref.id for ref in refs], [*wanted, recipient] if recipient else wanted)
    owners = _recipient_owners(adapter, obj, recipient, records) if recipient else {}
    outcome = {}
    for ref in refs:
        outcome[ref.id] = _notify_one(adapter.client, ref, records.get(ref.id), action, owners)
    return outcome


def unknown_action(name):
    return PermanentError(
        _("“%(action)s” is not a Fxiaoke post-action; use “notify_owner”.") % {"action": name}, system=SYSTEM
    )


def _notify_one(client, ref, record, action, owners):
    if record is None:
        return PermanentError(
            _("The CRM record %(id)s to notify about was not found.") % {"id": ref.id}, system=SYSTEM
        )
    recipient = action.get("recipient")
    holder = owners.get(record.get(recipient)) if recipient else record
    users = open_user_ids(holder or {})
    if not users:
        return PermanentError(
            _(
                "Record %(id)s: its owner has no openUserId to send the message to; give the record an "
                "owner who is an active employee."
            )
            % {"id": ref.id},
            system=SYSTEM,
            field=recipient or "owner",
        )
    try:
        text = render(action["template"], _placeholders(ref, record, action))
        client.send_text(users, text)
    except ConnectorError as error:
        return error
    return None


def _placeholders(ref, record, action):
    values = {key: value for key, value in record.items() if not isinstance(value, dict | list)}
    values.update({"id": ref.id, "number": ref.number or record.get("name") or ""})
    for alias, path in (action.get("fields") or {}).items():
        values[alias] = _companion_text(record.get(path))
    values.update((action.get("values") or {}).get(ref.id) or {})
    return values


def _companion_text(value):
    # A lookup's "x__r" is the target's name (text), an employee's a user object.
    if isinstance(value, dict):
        return value.get("name", "")
    return "" if value is None else value


def render(template, values):
    """``template`` with its ``{placeholders}`` filled; a missing one is a clear error."""
    missing = [name for name in _names(template) if name not in values]
    if missing:
        raise PermanentError(
            _("The message template needs %(names)s, which this record does not have; fix the template.")
            % {"names": ", ".join("{" + name + "}" for name in missing)},
            system=SYSTEM,
            field="template",
        )
    return template.format_map(values)


def _names(template):
    return [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]


def _template_fields(template):
    return [field_name(name) for name in _names(template) if name not in ("id", "number")]


def open_user_ids(record):
    """The openUserIds of a record's owner: from ``owner__l``/``owner__r``, or ``owner`` itself."""
    people = record.get("owner__l") or (
        [record["owner__r"]] if isinstance(record.get("owner__r"), dict) else []
    )
    found = [p.get("openUserId") for p in people if isinstance(p, dict) and p.get("openUserId")]
    found += [o for o in record.get("owner") or [] if str(o).startswith(OPEN_USER_PREFIX)]
    return list(dict.fromkeys(found))


def _by_id(adapter, obj, ids, fields):
    # Placeholders that name no field of the object (aliases, engine values) are not asked for.
    known = adapter.field_names(obj)
    projection = [name for name in dict.fromkeys(["_id", "name", *fields]) if name in known]
    found = {}
    for chunk in chunks(ids, MAX_PAGE):
        for record in adapter.client.query(obj, [("_id", "IN", chunk)], field_projection=projection):
            found[record["_id"]] = record
    return found


def _recipient_owners(adapter, obj, recipient, records):
    target = adapter.lookup_target(obj, recipient)
    if not target:
        raise PermanentError(
            _("%(field)s of %(object)s is not a lookup field; “recipient” must name one.")
            % {"field": recipient, "object": obj},
            system=SYSTEM,
            field="recipient",
        )
    ids = [record.get(recipient) for record in records.values() if record.get(recipient)]
    return _by_id(adapter, target, ids, ["owner"])
