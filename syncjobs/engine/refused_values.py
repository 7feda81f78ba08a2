"""Which value-map entries gave the values a target refused, so the message can name them.

A value map translates a source code into a target number (CRM account type "1" → ERP customer
type "KHLB001_SYS"). When that number does not exist in the target, K3Cloud (with
IsVerifyBaseDataField) refuses the record and names the field; the fix is not in the record
but in the value map's entry, so the record's message names the map and the entry's source
value, and the console links to the map's entries page.
"""

from dataclasses import asdict, dataclass

from connectors.k3cloud.errors import DuplicateNumberError, ErpFailureError, ValidationFailedError
from syncjobs.mapping.paths import resolve_all
from syncjobs.mapping.transforms import is_empty, key_text
from syncjobs.models import ValueMap


@dataclass(frozen=True)
class RefusedEntry:
    """One value-map entry whose target value went into a field the target refused."""

    map: str  # the value map's slug
    name: str  # the value map's name, as people know it
    source_value: str
    target_value: str
    source_path: str  # the mapping row's paths, so the entries page can offer both sides' options
    target_path: str

    def as_dict(self):
        return asdict(self)


def refused_fields(error):
    """The field keys an error names (its own and each of its details'), case-folded."""
    names = [getattr(error, "field", None)]
    names += [
        detail.get("field") for detail in getattr(error, "details", None) or [] if isinstance(detail, dict)
    ]
    return {str(name).casefold() for name in names if name}


def is_value_refusal(error):
    """Whether the target refused the value of a field (a missing reference, a required field
    left blank because the reference did not resolve), rather than the record as a whole.

    The real server's words for a refused reference are not known (single source: the
    sandbox), so the connector may not recognise them as a ``MissingReferenceError``; any
    validation refusal, or an unclassified one, that names a field counts.
    """
    return isinstance(error, ValidationFailedError | ErpFailureError) and not isinstance(
        error, DuplicateNumberError
    )


def refused_entries(ctx, item, error):
    """The ``RefusedEntry`` list behind ``error`` for ``item`` (empty when no value map is to blame).

    A mapping row counts when it is a value map, its target path passes through a field the
    error names (``FCustTypeId`` for ``FCustTypeId.FNumber``, ``FMaterialId`` for
    ``FSaleOrderEntry[].FMaterialId.FNumber``), and the payload sent holds the entry's target
    value there (a payload edited by hand may not).
    """
    fields = refused_fields(error)
    if not fields or not is_value_refusal(error) or not item.payload:
        return []
    found = []
    for compiled in ctx.mapping.rows:
        if _maps_into(compiled, fields):
            found += _entries(ctx, compiled, item)
    return _named(list(dict.fromkeys(found)))


def unmapped_entries(ctx, exc):
    """The ``RefusedEntry`` list of a mapping failure's values that no value-map entry has.

    The entry is to be added (its target value is empty), so the console can link the
    record to the map's entries page for the mapping row that translates that field.
    """
    found = []
    for error in exc.errors:
        if error.code != "unmapped_value":
            continue
        slug, value = error.details.get("map"), error.details.get("value")
        row = next((c.row for c in ctx.mapping.rows if _uses_map(c, slug)), None)
        if row is not None:
            found.append((slug, str(value), "", row.source_path, row.target_path))
    return _named(list(dict.fromkeys(found)))


def _uses_map(compiled, slug):
    return compiled.row.transform == "value_map" and compiled.row.params.get("map") == slug


def _maps_into(compiled, fields):
    return (
        compiled.row.transform == "value_map"
        and compiled.source is not None
        and any(segment.name.casefold() in fields for segment in compiled.target.segments)
    )


def _entries(ctx, compiled, item):
    slug = compiled.row.params["map"]
    entries = ctx.value_maps().get(slug) or {}
    sent = {
        key_text(value) for _index, value in resolve_all(item.payload, compiled.target) if value is not None
    }
    found = []
    for _index, raw in resolve_all(item.record.data, compiled.source):
        for value in raw if isinstance(raw, list) else [raw]:
            key = None if is_empty(value) else key_text(value)
            if key in entries and key_text(entries[key]) in sent:
                found.append((slug, key, entries[key], compiled.row.source_path, compiled.row.target_path))
    return found


def _named(found):
    if not found:
        return []
    names = dict(ValueMap.objects.filter(slug__in={slug for slug, *_ in found}).values_list("slug", "name"))
    return [RefusedEntry(slug, names.get(slug, slug), *rest) for slug, *rest in found]
