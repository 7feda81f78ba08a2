"""A flow's configuration as data: mapping rows and value maps read from and written to files.

Used by the import-export resources so a configuration moves between installations by
natural keys (slugs), and every write keeps history rows meaningful (rows are updated in
place, matched by target path or source value, rather than deleted and recreated).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from syncjobs.models import FieldMapping, ValueMap, ValueMapEntry

ROW_DEFAULTS = {
    "position": 0,
    "target_path": "",
    "source_path": "",
    "transform": "direct",
    "params": {},
    "required": False,
    "note": "",
}
# A file row's mark that it is confirmed as "not in the metadata" (see
# ``syncjobs.services.mapping_checks``): kept on the mapping version, not on the row itself.
NOT_IN_METADATA = "not_in_metadata"
VALUE_MAP_DEFAULTS = {"slug": "", "name": "", "description": "", "entries": []}
ENTRY_DEFAULTS = {"source_value": "", "target_value": "", "note": ""}


def normalise_rows(data):
    """Mapping rows from a file as complete dicts in position order; raise ``ValidationError`` if malformed."""
    rows = [_complete(item, ROW_DEFAULTS, _("mapping row")) for item in _list_of_objects(data)]
    for number, row in enumerate(rows, start=1):
        if not isinstance(row["params"], dict):
            raise ValidationError(
                _("Mapping row %(number)s: “params” must be an object."), params={"number": number}
            )
    return sorted(rows, key=lambda row: row["position"])


def read_file_rows(data):
    """``(rows, confirmed)``: a file's mapping rows normalised, and the target paths of those
    marked ``"not_in_metadata": true``; raise ``ValidationError`` if malformed."""
    items = _list_of_objects(data)
    marked = [item.get(NOT_IN_METADATA, False) for item in items]
    if not all(isinstance(mark, bool) for mark in marked):
        raise ValidationError(_("“%(key)s” must be true or false."), params={"key": NOT_IN_METADATA})
    items = [{k: v for k, v in item.items() if k != NOT_IN_METADATA} for item in items]
    confirmed = [item.get("target_path", "") for item, mark in zip(items, marked, strict=True) if mark]
    return normalise_rows(items), confirmed


def marked_rows(rows, confirmed):
    """``rows`` as a file holds them: those whose target path is in ``confirmed`` marked
    ``"not_in_metadata": true``, so a confirmation survives an export and import."""
    return [{**row, NOT_IN_METADATA: True} if row["target_path"] in confirmed else row for row in rows]


def normalise_value_maps(data):
    """Value maps from a file, each with complete entries; raise ``ValidationError`` if malformed."""
    maps = [_complete(item, VALUE_MAP_DEFAULTS, _("value map")) for item in _list_of_objects(data)]
    for value_map in maps:
        if not value_map["slug"] or not value_map["name"]:
            raise ValidationError(_("Each value map needs a “slug” and a “name”."))
        value_map["entries"] = [
            _complete(entry, ENTRY_DEFAULTS, _("value map entry"))
            for entry in _list_of_objects(value_map["entries"])
        ]
    return maps


def _list_of_objects(data):
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValidationError(_("Expected a JSON list of objects."))
    return data


def _complete(item, defaults, what):
    unknown = sorted(set(item) - set(defaults))
    if unknown:
        raise ValidationError(
            _("Unknown keys in a %(what)s: %(keys)s."), params={"what": what, "keys": ", ".join(unknown)}
        )
    return {**defaults, **item}


def replace_mappings(flow, rows):
    """Make ``flow``'s mapping rows equal ``rows`` (normalised); return whether anything changed."""
    return _replace(
        flow.mappings.all(), "target_path", rows, lambda: FieldMapping(flow=flow), FieldMapping.as_row
    )


def export_value_maps(slugs):
    """The value maps ``slugs`` as plain data, entries in source-value order."""
    maps = ValueMap.objects.filter(slug__in=slugs).prefetch_related("entries").order_by("slug")
    return [
        {
            "slug": value_map.slug,
            "name": value_map.name,
            "description": value_map.description,
            "entries": [
                {"source_value": e.source_value, "target_value": e.target_value, "note": e.note}
                for e in value_map.entries.all()
            ],
        }
        for value_map in maps
    ]


def apply_value_maps(maps):
    """Create or update the value maps ``maps`` (normalised) by slug; return whether anything changed."""
    changed = False
    for data in maps:
        value_map = ValueMap.objects.filter(slug=data["slug"]).first() or ValueMap(slug=data["slug"])
        if value_map.pk is None or (value_map.name, value_map.description) != (
            data["name"],
            data["description"],
        ):
            value_map.name, value_map.description = data["name"], data["description"]
            value_map.save()
            changed = True
        changed = replace_entries(value_map, data["entries"]) or changed
    return changed


def replace_entries(value_map, entries):
    """Make ``value_map``'s entries equal ``entries``; return whether anything changed."""
    return _replace(
        value_map.entries.all(),
        "source_value",
        entries,
        lambda: ValueMapEntry(value_map=value_map),
        _entry_data,
    )


def _entry_data(entry):
    return {"source_value": entry.source_value, "target_value": entry.target_value, "note": entry.note}


def _replace(children, key, rows, make, current):
    """Make ``children`` equal ``rows``, matched on ``key``: the stale deleted, the new made with
    ``make()``, a child saved only when ``current(child)`` differs; return whether anything changed."""
    existing = {getattr(child, key): child for child in children}
    wanted = {row[key] for row in rows}
    stale = [child for name, child in existing.items() if name not in wanted]
    for child in stale:
        child.delete()
    changed = bool(stale)
    for row in rows:
        child = existing.get(row[key]) or make()
        if child.pk is None or current(child) != row:
            _assign(child, row)
            child.save()
            changed = True
    return changed


def _assign(instance, values):
    for name, value in values.items():
        setattr(instance, name, value)
