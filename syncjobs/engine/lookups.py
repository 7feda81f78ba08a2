"""What mapping a page of records looks things up in: value maps and cross-references.

Reads only, each in a bounded number of queries, never one per record or line. They sit in
the engine because the engine needs them for every page; the replay of an edited payload
(``mapping_context``) and the record timeline read the same way from the layers above.
"""

from syncjobs.mapping import LOOKUP_FIELDS, MappingContext, compile_mapping, lookup_requests, value_map_slugs
from syncjobs.models import CrossReference, SyncFlow, ValueMap

# Keeps IN lists under every database's parameter limit.
_CHUNK = 500


def cross_references_for(flow):
    """The cross-references of ``flow``'s object pair (shared by every flow between the same objects)."""
    return CrossReference.objects.filter(
        source_connector_id=flow.source_connector_id,
        source_object=flow.source_object,
        target_connector_id=flow.target_connector_id,
        target_object=flow.target_object,
    )


def fetch_lookups(requests):
    """Resolve ``{(flow slug, key field): {values}}`` into ``{(flow slug, key field): {value: lookup dict}}``.

    One query per flow and key field (per 500 values), never one per record or line. Unknown
    flows resolve to nothing, so their lookups fail with a clear message at evaluation.
    """
    flows = SyncFlow.objects.in_bulk({slug for slug, _by in requests}, field_name="slug")
    found = {}
    for (slug, by), values in requests.items():
        found[(slug, by)] = _lookup_values(flows.get(slug), by, sorted(values)) if by in LOOKUP_FIELDS else {}
    return found


def _lookup_values(flow, by, values):
    if flow is None or not values:
        return {}
    found = {}
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        for reference in cross_references_for(flow).filter(**{f"{by}__in": chunk}):
            found[getattr(reference, by)] = reference.as_lookup()
    return found


def value_maps(slugs):
    """``{slug: {source value: target value}}`` for the given value maps, in two queries."""
    maps = ValueMap.objects.filter(slug__in=list(slugs)).prefetch_related("entries")
    return {value_map.slug: value_map.as_dict() for value_map in maps}


def mapping_context(rows, records, timezone):
    """The ``MappingContext`` one page of ``records`` needs for ``rows``.

    Raises ``MappingConfigError`` for invalid rows before any query.
    """
    mapping = compile_mapping(rows)
    return MappingContext(
        value_maps=value_maps(value_map_slugs(mapping)),
        lookups=fetch_lookups(lookup_requests(mapping, records)),
        timezone=timezone,
    )
