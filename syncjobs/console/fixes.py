"""Where to fix a failed attempt that is not the record's fault: the value-map entries it names.

The engine stores, in a failed attempt's response excerpt, the value-map entries whose target
values the target system refused (``value_map_entries``: map slug, source value, target value
and the mapping row's paths). The record page links each to its value map's entries page, with
the flow and the row's fields, so the target system's numbers are offered there to pick from.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from syncjobs.models import FieldMapping, SyncRecord, ValueMap
from syncjobs.queries.failures import OPEN_STATUSES


@dataclass(frozen=True)
class EntryFix:
    """One value-map entry to correct, and the page where it is corrected."""

    name: str  # the value map's name
    source_value: str
    target_value: str  # empty when the entry is missing and is to be added
    url: str
    map_id: int


def value_map_fixes(flow, records):
    """``{record pk: [EntryFix]}`` for the attempts that name value-map entries; one query."""
    named = {record.pk: refused_entries(record) for record in records}
    named = {pk: entries for pk, entries in named.items() if entries}
    slugs = {entry["map"] for entries in named.values() for entry in entries}
    maps = {m.slug: m for m in ValueMap.objects.filter(slug__in=slugs)} if slugs else {}
    fixes = {
        pk: [_fix(flow, entry, maps.get(entry["map"]), pk) for entry in entries]
        for pk, entries in named.items()
    }
    return {pk: [fix for fix in found if fix is not None] for pk, found in fixes.items()}


def refused_entries(record):
    """The well-formed ``value_map_entries`` of a record's response excerpt (none for most)."""
    excerpt = record.response_excerpt if isinstance(record.response_excerpt, dict) else {}
    entries = excerpt.get("value_map_entries")
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("map"), str)]


def _fix(flow, entry, value_map, record_id):
    if value_map is None:  # deleted since the attempt
        return None
    query = urlencode(
        {
            "flow": flow.pk,
            "source": entry.get("source_path", ""),
            "target": entry.get("target_path", ""),
            "next": reverse("console:record_timeline", args=[record_id]),  # back here once saved
        }
    )
    url = f"{reverse('console:value_map_entries', args=[value_map.pk])}?{query}"
    return EntryFix(
        str(value_map),
        str(entry.get("source_value", "")),
        str(entry.get("target_value", "")),
        url,
        value_map.pk,
    )


def records_concerning(value_map, limit=1000):
    """The open records whose latest failure names an entry of ``value_map`` (at most ``limit``).

    Only flows that map through the value map are looked at, and among their open records
    only those that failed on a value (unmapped, or refused by the target).
    """
    flows = FieldMapping.objects.filter(transform="value_map", params__map=value_map.slug).values("flow_id")
    candidates = SyncRecord.objects.filter(flow_id__in=flows, status__in=OPEN_STATUSES).filter(
        Q(error_code="unmapped_value") | Q(response_excerpt__has_key="value_map_entries")
    )
    return [
        record
        for record in candidates.only("pk", "response_excerpt").order_by("-id")[:limit]
        if any(entry["map"] == value_map.slug for entry in refused_entries(record))
    ]
