"""Reads: what the admin lists and the engine needs per page, each in a bounded number of queries."""

from django.db.models import Q

from syncjobs.mapping import LOOKUP_FIELDS, MappingContext, lookup_requests, value_map_slugs
from syncjobs.models import CrossReference, RecordStatus, SyncFlow, ValueMap

# Keeps IN lists under every database's parameter limit.
_CHUNK = 500
# Statuses whose records carry an error text worth searching.
_SEARCHABLE_ERROR_STATUSES = (
    RecordStatus.FAILED,
    RecordStatus.DEAD,
    RecordStatus.WAITING,
    RecordStatus.SUPERSEDED,
    RecordStatus.IGNORED,
    RecordStatus.RESOLVED,
)


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
    """The ``MappingContext`` one page of ``records`` needs for ``rows``."""
    return MappingContext(
        value_maps=value_maps(value_map_slugs(rows)),
        lookups=fetch_lookups(lookup_requests(rows, records)),
        timezone=timezone,
    )


def search_records(queryset, term):
    """Records whose ids or numbers start with ``term``, or whose error text contains it.

    People type the first digits of a number (``CUST0001``), so ids and numbers match by
    prefix: a ``LIKE 'term%'`` each index can still serve (PostgreSQL under the C collation
    or with a pattern index; SQLite with its LIKE optimisation). Error text is only searched
    among records that can carry one, which keeps the scan off successful rows.
    """
    term = term.strip()
    if not term:
        return queryset
    return queryset.filter(
        Q(source_id__startswith=term)
        | Q(source_number__startswith=term)
        | Q(target_id__startswith=term)
        | Q(target_number__startswith=term)
        | Q(status__in=_SEARCHABLE_ERROR_STATUSES, error_message__icontains=term)
    )


def search_cross_references(queryset, term):
    """Cross-references whose id or number on either side equals ``term``."""
    term = term.strip()
    if not term:
        return queryset
    return queryset.filter(
        Q(source_id=term) | Q(source_number=term) | Q(target_id=term) | Q(target_number=term)
    )
