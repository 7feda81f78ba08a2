"""Mapping rows as the evaluator sees them, and the checks a row or a set of rows must pass."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from syncjobs.mapping.params import parse_template
from syncjobs.mapping.paths import PathError, parse_path
from syncjobs.mapping.transforms import TRANSFORMS, ParameterError, validate_params

ROW_FIELDS = ("target_path", "source_path", "transform", "params", "required")


@dataclass(frozen=True)
class MappingRow:
    """One row: where the value goes, where it comes from and how it is converted."""

    target_path: str
    source_path: str = ""
    transform: str = "direct"
    params: dict = field(default_factory=dict)
    required: bool = False

    @classmethod
    def of(cls, row):
        """Accept a ``MappingRow``, a snapshot dict or a ``FieldMapping`` instance."""
        if isinstance(row, cls):
            return row
        get = row.get if isinstance(row, dict) else lambda name, default=None: getattr(row, name, default)
        return cls(
            target_path=get("target_path", ""),
            source_path=get("source_path", "") or "",
            transform=get("transform", "direct") or "direct",
            params=get("params", None) or {},
            required=bool(get("required", False)),
        )


def row_errors(row):
    """Problems with one row, as ``{field name: [messages]}`` (empty when the row is valid)."""
    row = MappingRow.of(row)
    errors = {}
    target = _parsed(row.target_path, "target_path", errors)
    source = _parsed(row.source_path, "source_path", errors) if row.source_path.strip() else None
    transform = TRANSFORMS.get(row.transform)
    if transform is None:
        errors.setdefault("transform", []).append(_("Choose a transform from the list."))
        return errors
    try:
        validate_params(row.transform, row.params)
    except ParameterError as exc:
        errors.setdefault("params", []).extend(exc.messages)
    _check_source_use(transform, source, row, errors)
    if target is not None:
        _check_target(target, source, row, errors)
    return errors


def _parsed(text, name, errors):
    try:
        return parse_path(text)
    except PathError as exc:
        errors.setdefault(name, []).append(str(exc))
        return None


def _check_source_use(transform, source, row, errors):
    if transform.source == "required" and not row.source_path.strip():
        errors.setdefault("source_path", []).append(
            _("The transform “%(transform)s” reads a source field: enter its path.")
            % {"transform": transform.label}
        )
    if transform.source == "none" and row.source_path.strip():
        errors.setdefault("source_path", []).append(
            _("The transform “%(transform)s” does not read a source field: leave the path empty.")
            % {"transform": transform.label}
        )


def _check_target(target, source, row, errors):
    if any(segment.position is not None for segment in target.segments):
        errors.setdefault("target_path", []).append(
            _("A target path cannot name a list position; write “[]” to map each line.")
        )
    depth = source.depth if source is not None else _template_depth(row)
    if depth > target.depth:
        errors.setdefault("source_path", []).append(
            _(
                "The source walks through more lists (“[]”) than the target: each source line "
                "needs a target line to go to."
            )
        )


def _template_depth(row):
    if row.transform != "template" or not isinstance(row.params.get("template"), str):
        return 0
    try:
        return max(
            (part.depth for part in parse_template(row.params["template"]) if not isinstance(part, str)),
            default=0,
        )
    except ValueError:
        return 0


def mapping_errors(rows):
    """Problems across a flow's rows, as ``{row number (1-based): {field name: [messages]}}``."""
    rows = [MappingRow.of(row) for row in rows]
    problems = {}
    for number, row in enumerate(rows, start=1):
        errors = row_errors(row)
        if errors:
            problems[number] = errors
    for number, message in _target_conflicts(rows):
        problems.setdefault(number, {}).setdefault("target_path", []).append(message)
    return problems


def _target_conflicts(rows):
    seen = {}
    for number, row in enumerate(rows, start=1):
        target = _canonical(row.target_path)
        for other_target, other_number in seen.items():
            if target == other_target:
                yield number, _("Row %(other)s already writes this target.") % {"other": other_number}
            elif target.startswith(other_target + ".") or other_target.startswith(target + "."):
                yield (
                    number,
                    _("This target overlaps row %(other)s's target “%(path)s”.")
                    % {
                        "other": other_number,
                        "path": rows[other_number - 1].target_path,
                    },
                )
        seen.setdefault(target, number)


def _canonical(path):
    return path.strip().replace("[]", "")
