"""Records as the API returns them: projected, with ``__r``/``__l`` companions, empty fields left out.

Companions are computed when read, as the platform does: a lookup's ``x__r`` is the target
record's name, an employee field's ``x__r`` is a user object and ``x__l`` the list of them,
a department field's ``x__r`` is a department object.
"""

from collections import defaultdict

from sandbox.fxiaoke.models import Record
from sandbox.fxiaoke.schema.fields import REFERENCE_TYPES


def render(records, describe, directory, projection=None, include_null=False):
    """The API form of stored record ``data`` dicts of one object."""
    names = projection or list(describe.fields)
    fields = [describe.fields[name] for name in names]
    referenced = _referenced_names(records, fields, directory.tenant)
    return [_render_one(data, fields, directory, referenced, include_null) for data in records]


def _render_one(data, fields, directory, referenced, include_null):
    out = {}
    for field in fields:
        value = data.get(field.api_name)
        if value is None:
            if include_null:
                out[field.api_name] = None
            continue
        out[field.api_name] = value
        out.update(_companions(field, value, directory, referenced))
    return out


def _companions(field, value, directory, referenced):
    name = field.api_name
    if field.type == "employee":
        users = [directory.user_object(user_id) for user_id in value]
        return {f"{name}__r": users[0], f"{name}__l": users} if users else {}
    if field.type == "department" and value:
        return {f"{name}__r": directory.department_object(value[0])}
    if field.type in REFERENCE_TYPES and (field.target, value) in referenced:
        return {f"{name}__r": referenced[(field.target, value)]}
    return {}


def _referenced_names(records, fields, tenant):
    """{(target object, _id): name} for every lookup value of the page, one query per target."""
    wanted = defaultdict(set)
    for field in fields:
        if field.type in REFERENCE_TYPES:
            wanted[field.target].update(d[field.api_name] for d in records if d.get(field.api_name))
    names = {}
    for target, ids in wanted.items():
        rows = Record.objects.filter(tenant=tenant, api_name=target, object_id__in=ids)
        names.update({(target, oid): name for oid, name in rows.values_list("object_id", "name")})
    return names
