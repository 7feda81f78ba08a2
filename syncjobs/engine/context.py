"""Everything one flow's run needs at hand: flow, mapping version, options, adapters, clock,
and the reads of the hub's own tables a page of records needs (value maps, cross-references,
lookups), each in a bounded number of queries."""

import random
import time
from dataclasses import dataclass, field

from django.utils import timezone

from syncjobs.adapters.base import ReadOptions, chunks
from syncjobs.adapters.clients import adapter_for
from syncjobs.engine.options import FlowOptions
from syncjobs.mapping import (
    LOOKUP_FIELDS,
    MappingContext,
    compile_mapping,
    lookup_requests,
    parse_path,
    value_map_slugs,
)
from syncjobs.mapping.transforms import parse_template
from syncjobs.models import CrossReference, SyncFlow, ValueMap


@dataclass
class FlowContext:
    """One flow at work. ``clock``, ``sleep`` and ``rng`` are injectable for tests."""

    flow: object
    version: object
    options: FlowOptions
    source: object
    target: object
    worker: str = ""
    run: object = None
    # Set while processing a batch claimed before (its worker stopped half-way).
    batch_retried: bool = False
    clock: object = timezone.now
    sleep: object = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self):
        self.mapping = compile_mapping(self.version.rows if self.version else [])
        self._value_maps = None
        self._reverse = None

    def value_maps(self):
        """The value maps the mapping uses, loaded once per run and worker (not once per page)."""
        if self._value_maps is None:
            self._value_maps = value_maps(value_map_slugs(self.mapping))
        return self._value_maps

    def has_reverse_flow(self):
        """Whether some flow writes this flow's source object from its target object."""
        if self._reverse is None:
            flow = self.flow
            self._reverse = SyncFlow.objects.filter(
                source_connector_id=flow.target_connector_id,
                source_object=flow.target_object,
                target_connector_id=flow.source_connector_id,
                target_object=flow.source_object,
            ).exists()
        return self._reverse

    def read_options(self):
        """How the source is read: the fields the mapping and the write-back need, page size."""
        return ReadOptions(
            fields=source_fields(self.version.rows if self.version else [], self.options),
            page_size=self.options.page_size,
            source_filter=self.flow.source_filter or [],
            audited_only=self.options.audited_only,
            include_deleted=self.options.on_source_deleted != "ignore",
        )


def build_context(flow, version, run=None, worker="", **overrides):
    """A ``FlowContext`` for ``flow`` with adapters for both of its connectors."""
    return FlowContext(
        flow=flow,
        version=version,
        options=FlowOptions.of(flow),
        source=adapter_for(flow.source_connector),
        target=adapter_for(flow.target_connector),
        worker=worker,
        run=run,
        **overrides,
    )


def source_fields(rows, options):
    """Every source path the mapping reads (templates included), then the write-back fields."""
    paths = []
    for row in rows:
        source = (row.get("source_path") or "").strip()
        if source:
            paths.append(source)
        template = (row.get("params") or {}).get("template")
        if row.get("transform") == "template" and isinstance(template, str):
            paths.extend(str(part) for part in parse_template(template) if not isinstance(part, str))
    paths.extend(options.write_back)
    return list(dict.fromkeys(str(parse_path(path)) for path in paths))


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
    for chunk in chunks(values, _CHUNK):
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
