"""Template filters of the records and mappings console: values shown as people read them."""

import json

from django import template

from syncjobs.mapping.transforms import TRANSFORMS
from syncjobs.models import RecordAction, RecordStatus
from syncjobs.queries.labels import error_label as _error_label
from syncjobs.queries.labels import object_label as _object_label

register = template.Library()


@register.filter
def pretty(value):
    """``value`` as indented JSON (keys in their order, Chinese left readable)."""
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


@register.filter
def brief(value):
    """A value in one line: text as is, objects and lists as compact JSON, nothing as a dash."""
    if value is None:
        return "–"
    if isinstance(value, dict | list | bool):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


@register.filter
def outcome_label(code):
    """The label of a record action or status code (``create`` → Create), else the code."""
    for choices in (RecordAction, RecordStatus):
        if code in choices.values:
            return choices(code).label
    return code


@register.filter
def of_record(found, record_id):
    """``found[record_id]`` or an empty list: what a page looked up for each attempt at once."""
    return found.get(record_id, []) if isinstance(found, dict) else []


@register.filter
def error_label(code):
    """An error code in words (``unmapped_value`` → "No value-map entry")."""
    return _error_label(code)


@register.filter
def object_label(name):
    """An object's API name as people know it (``AccountObj`` → "Account")."""
    return _object_label(name)


@register.filter
def transform_label(name):
    """A transform's name as people read it (``direct`` → "Copy as is"), or the name if unknown."""
    transform = TRANSFORMS.get(name)
    return str(transform.label) if transform is not None else name
