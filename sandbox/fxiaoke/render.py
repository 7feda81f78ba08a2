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
    fields = [describe.fields[name] for name in projection or describe.fields]
    referenced = _referenced_names(records, fields, directory.tenant)
    companions = {f.api_name: _companion_maker(f, directory, referenced) for f in fields}
    companions = {name: make for name, make in companions.items() if make is not None}
    names = [f.api_name for f in fields]
    return [_render_one(data, names, companions, include_null) for data in records]


def _render_one(data, names, companions, include_null):
    out = {}
    for name in names:
        value = data.get(name)
        if value is None:
            if include_null:
                out[name] = None
            continue
        out[name] = value
        if name in companions:
            out.update(companions[name](value))
    return out


def _companion_maker(field, directory, referenced):
    """A function giving the companions of one value of ``field``, or None when it has none."""
    name = field.api_name
    if field.type == "employee":

        def users(value):
            people = [directory.user_object(user_id) for user_id in value]
            return {f"{name}__r": people[0], f"{name}__l": people} if people else {}

        return users
    if field.type == "department":
        return lambda value: {f"{name}__r": directory.department_object(value[0])} if value else {}
    if field.type in REFERENCE_TYPES:
        target = field.target
        return lambda value: (
            {f"{name}__r": referenced[(target, value)]} if (target, value) in referenced else {}
        )
    return None


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
