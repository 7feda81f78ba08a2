"""What a mapping may consult besides the record: data the engine fetched beforehand."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MappingContext:
    """Pre-fetched data for one page of records; evaluation never queries anything itself.

    ``value_maps``: ``{value map slug: {source value: target value}}``.
    ``lookups``: ``{(flow slug, key field): {key value: cross-reference dict}}``, where the key
    field is one of ``LOOKUP_FIELDS`` and each cross-reference dict holds those four fields.
    ``timezone``: the business time zone dates are read and written in.
    """

    value_maps: dict = field(default_factory=dict)
    lookups: dict = field(default_factory=dict)
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class Environment:
    """Where a transform is evaluated: the whole record, the current line, the context."""

    record: object
    index: tuple
    context: MappingContext


LOOKUP_FIELDS = ("source_id", "source_number", "target_id", "target_number")
