"""Evaluate a flow's mapping rows against one source record: a pure function of its inputs.

Rows whose source walks as many lists as their target create the target's lines (one per
source line); rows that read a header field, a constant or a template are then copied into
every line already created, so ``FSaleOrderEntry[].FDeliveryDate`` can take the order's date.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from syncjobs.mapping.context import Environment, MappingContext
from syncjobs.mapping.errors import MappingConfigError, MappingError, MappingFailed, TransformError
from syncjobs.mapping.paths import assign, ensure_lines, line_indexes, parse_path, resolve, resolve_all
from syncjobs.mapping.rows import MappingRow, mapping_errors
from syncjobs.mapping.transforms import TRANSFORMS, is_empty, key_text


@dataclass(frozen=True)
class CompiledRow:
    row: MappingRow
    target: object
    source: object
    transform: object

    @property
    def creates_lines(self):
        return self.source is not None and self.source.depth == self.target.depth


@dataclass(frozen=True)
class CompiledMapping:
    """Rows checked and parsed once, ready to evaluate against many records."""

    rows: tuple

    @property
    def ordered(self):
        # Line-creating rows first, so header values can be copied into the lines.
        return [r for r in self.rows if r.creates_lines] + [r for r in self.rows if not r.creates_lines]


def compile_mapping(rows):
    """Check and parse ``rows``; raise ``MappingConfigError`` naming every invalid row."""
    if isinstance(rows, CompiledMapping):
        return rows
    rows = [MappingRow.of(row) for row in rows]
    problems = mapping_errors(rows)
    if problems:
        raise MappingConfigError(problems)
    return CompiledMapping(tuple(_compile(row) for row in rows))


def _compile(row):
    source = parse_path(row.source_path) if row.source_path.strip() else None
    return CompiledRow(row, parse_path(row.target_path), source, TRANSFORMS[row.transform])


def apply_mapping(rows, source_record, context=None):
    """Return the target payload for ``source_record``; raise ``MappingFailed`` naming each bad field.

    ``rows`` are ``FieldMapping`` rows, snapshot dicts, ``MappingRow``s or a ``CompiledMapping``;
    ``context`` is a ``MappingContext`` with the value maps and cross-references it may need.
    """
    mapping = compile_mapping(rows)
    context = context or MappingContext()
    payload, errors = {}, []
    for compiled in mapping.ordered:
        for index, raw in _inputs(compiled, source_record, payload):
            _apply_row(compiled, index, raw, Environment(source_record, index, context), payload, errors)
    _keep_emptied_lists(mapping, source_record, payload)
    if errors:
        raise MappingFailed(errors)
    return payload


def _inputs(compiled, record, payload):
    if compiled.creates_lines:
        return resolve_all(record, compiled.source)
    if compiled.target.depth == 0:
        return [((), _read(compiled, record, ()))]
    indexes = line_indexes(payload, compiled.target.list_prefixes[-1])
    return [(index, _read(compiled, record, index)) for index in indexes]


def _keep_emptied_lists(mapping, record, payload):
    """A source list that is there but empty maps to an empty target list: "no lines any more".

    Without it the target key would be absent, which the systems read as "leave the lines as
    they are"; a source that does not carry the list at all still leaves the key out.
    """
    for compiled in mapping.rows:
        target = compiled.target
        if not compiled.creates_lines or target.depth != 1 or not target.segments[0].is_list:
            continue
        source_list = str(compiled.source.list_prefixes[0]).removesuffix("[]")
        if resolve(record, parse_path(source_list)) == []:
            payload.setdefault(target.segments[0].name, [])


def _read(compiled, record, index):
    if compiled.source is None:
        return None
    return resolve(record, compiled.source, index[: compiled.source.depth])


def _apply_row(compiled, index, raw, env, payload, errors):
    row = compiled.row
    try:
        value = compiled.transform(raw, row.params, env)
        if row.required and is_empty(value):
            raise TransformError(_required_reason(row), source=row.source_path)
    except TransformError as exc:
        errors.append(MappingError(row.target_path, exc, line=_line_number(index)))
        return
    except Exception as exc:  # noqa: BLE001 - a fault on one value fails its record, not its batch
        errors.append(MappingError(row.target_path, _unexpected(row, raw, exc), line=_line_number(index)))
        return
    if value is not None:
        assign(payload, compiled.target, index, value)
    elif compiled.target.depth:
        ensure_lines(payload, compiled.target, index)


def _unexpected(row, raw, exc):
    return TransformError(
        _("the transform “%(transform)s” could not convert the value “%(value)s” (%(error)s)"),
        code="transform_failed",
        transform=row.transform,
        value=raw,
        error=type(exc).__name__,
    )


def _required_reason(row):
    if row.source_path:
        return _("a value is required but the source field %(source)s is empty")
    return _("a value is required but the transform produced none")


def _line_number(index):
    # People count lines from 1; nested lines read "2.3".
    return ".".join(str(position + 1) for position in index) if index else None


def lookup_requests(rows, source_records):
    """The cross-reference keys a page of records will look up: ``{(flow, by): {values}}``.

    The engine fetches them in one query per ``(flow, by)`` and passes the result as
    ``MappingContext.lookups``, so lines never cost one query each.
    """
    mapping = compile_mapping(rows)
    wanted = {}
    for compiled in mapping.rows:
        if compiled.row.transform != "lookup" or compiled.source is None:
            continue
        key = (compiled.row.params["flow"], compiled.row.params.get("by", "source_id"))
        bucket = wanted.setdefault(key, set())
        for record in source_records:
            for _index, value in resolve_all(record, compiled.source):
                bucket.update(_lookup_keys(value))
    return wanted


def _lookup_keys(value):
    values = value if isinstance(value, list) else [value]
    return {key_text(item) for item in values if not is_empty(item)}


def value_map_slugs(rows):
    """The slugs of the value maps ``rows`` use, so the engine loads and an export writes just those.

    ``rows`` are of any kind ``compile_mapping`` takes, and need not be valid: an imported file's
    rows are asked before they are checked, so its missing value maps are named beside its bad rows.
    """
    if isinstance(rows, CompiledMapping):
        rows = [compiled.row for compiled in rows.rows]
    used = (MappingRow.of(row) for row in rows)
    return {row.params.get("map") for row in used if row.transform == "value_map"} - {None}
