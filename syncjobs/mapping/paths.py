"""Dotted field paths: ``FCustId.FNumber``, ``FSaleOrderEntry[].FQty``, ``owner.0``, ``account_id__r``.

``name[]`` walks every entry of a list (detail lines); the entry's position becomes part of an
*index* tuple, one number per ``[]``, so a value read from line 3 is written to line 3.

The same grammar names one value of one payload with ``name[n]`` instead, lines counted from 1
(``FSaleOrderEntry[2].FQty``): the readable paths of diffs and of the replay form. A mapping
path maps every line, so it takes ``[]`` and never ``[n]``; a readable path the other way round.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# One dotted part: a field name, optionally followed by "[]" or "[n]", or a list position.
_PART = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<line>\d*)\])?|\d+")
COMPANION_SUFFIX = "__r"


@dataclass(frozen=True)
class Segment:
    name: str
    is_list: bool = False
    line: int | None = None  # the line ``name[n]`` names in a readable path, counted from 1

    @property
    def position(self):
        """The list position a numeric segment (``owner.0``) addresses, else ``None``."""
        return int(self.name) if self.name.isdigit() else None


@dataclass(frozen=True)
class Path:
    text: str
    segments: tuple

    @property
    def depth(self):
        """How many ``[]`` the path walks through."""
        return sum(1 for segment in self.segments if segment.is_list)

    @property
    def list_prefixes(self):
        """The sub-paths ending at each ``[]`` (``A[]``, ``A[].B[]``), outermost first."""
        ends = [i for i, segment in enumerate(self.segments) if segment.is_list]
        return [Path(_join(self.segments[: end + 1]), self.segments[: end + 1]) for end in ends]

    def __str__(self):
        return self.text


class PathError(ValueError):
    """A path is not written in the dotted ``[]`` syntax."""


def parse_path(text):
    """Parse a mapping path; raise ``PathError`` with a translated message if it is malformed."""
    text = (text or "").strip()
    if not text:
        raise PathError(_("The path is empty."))
    segments = []
    for part, match in _parts(text):
        if match is None or match["line"]:
            raise PathError(
                _(
                    "“%(part)s” in “%(path)s” is not a field name: use letters, digits and "
                    "underscores, “[]” after a list, or a number for a list position."
                )
                % {"part": part, "path": text}
            )
        segments.append(Segment(match["name"] or part, match["line"] == ""))
    return Path(text, tuple(segments))


def parse_line_path(text):
    """Parse a readable path (``FSaleOrderEntry[2].FQty``, lines from 1); raise ``PathError`` if malformed."""
    text = str(text).strip()
    segments = []
    for part, match in _parts(text):
        if match is None or match["line"] == "":
            raise PathError(
                _("“%(path)s” is not a field path such as FCustId.FNumber or FEntity[1].FQty")
                % {"path": text}
            )
        line = None if match["line"] is None else int(match["line"])
        segments.append(Segment(match["name"] or part, line=line))
    if any(segment.line == 0 for segment in segments):
        raise PathError(_("Lines are counted from 1 in “%(path)s”.") % {"path": text})
    return Path(text, tuple(segments))


def _parts(text):
    return [(part, _PART.fullmatch(part)) for part in text.split(".")]


def resolve_all(value, path):
    """Every ``(index, value)`` the path reaches, one per detail line (one pair without ``[]``)."""
    return _walk(value, path.segments, (), None)


def resolve(value, path, index=()):
    """The single value at ``path``, taking line ``index[k]`` at the k-th ``[]`` (``None`` if absent)."""
    previous = None
    for offset, segment in enumerate(path.segments):
        if value is None:
            return None
        flat = _flattened_key(value, path.segments[offset:])
        if flat is not None:
            return _finish(value[flat], path.segments[-1])
        value = _child(value, segment, previous)
        if segment.is_list:
            value = _entry(value, index)
            index = index[1:]
        previous = segment
    return _finish(value, path.segments[-1]) if path.segments else value


def _walk(value, segments, index, previous):
    if not segments:
        return [(index, _finish(value, previous))]
    if value is None:
        return [(index, None)] if not any(s.is_list for s in segments) else []
    flat = _flattened_key(value, segments)
    if flat is not None:
        return [(index, _finish(value[flat], segments[-1]))]
    segment = segments[0]
    child = _child(value, segment, previous)
    if not segment.is_list:
        return _walk(child, segments[1:], index, segment)
    found = []
    for position, entry in enumerate(_as_list(child)):
        found.extend(_walk(entry, segments[1:], index + (position,), segment))
    return found


def _flattened_key(value, segments):
    # K3Cloud query results are flat dicts keyed by the whole field key ("FCustId.FNumber").
    if len(segments) < 2 or not isinstance(value, dict) or any(s.is_list for s in segments):
        return None
    key = _join(segments)
    return key if key in value else None


def _child(value, segment, previous):
    if isinstance(value, dict):
        return value.get(segment.name)
    if isinstance(value, list) and segment.position is not None:
        return value[segment.position] if segment.position < len(value) else None
    # A Fxiaoke "x__r" companion holds either the lookup's name (text) or an object with a
    # name; "x__r.name" must read the same in both shapes.
    if isinstance(value, str) and previous is not None and _is_companion(previous) and segment.name == "name":
        return value
    return None


def _finish(value, last):
    # A path that stops at an "x__r" companion wants the display name, not the whole object.
    if last is not None and _is_companion(last) and isinstance(value, dict):
        return value.get("name")
    return value


def _entry(value, index):
    entries = _as_list(value)
    if not index or index[0] >= len(entries):
        return None
    return entries[index[0]]


def _as_list(value):
    if value is None:
        return []
    # Tolerate a single object where a list of lines was expected.
    return value if isinstance(value, list) else [value]


def _is_companion(segment):
    return segment.name.endswith(COMPANION_SUFFIX)


def _join(segments):
    return ".".join(segment.name + ("[]" if segment.is_list else "") for segment in segments)


def assign(payload, path, index, value):
    """Write ``value`` at ``path`` in ``payload``, creating dicts and list lines on the way."""
    parent, last, position = _container(payload, path.segments, index)
    if last.is_list:
        entries = parent.setdefault(last.name, [])
        _pad(entries, position, _none)
        entries[position] = value
    else:
        parent[last.name] = value


def ensure_lines(payload, path, index):
    """Create the list lines ``index`` addresses along ``path`` without writing a value."""
    parent, last, position = _container(payload, path.segments, index)
    if last.is_list:
        _pad(parent.setdefault(last.name, []), position, _none)


def line_indexes(payload, prefix):
    """The index tuples of the lines present in ``payload`` at list path ``prefix`` (``A[].B[]``)."""
    found = [((), payload)]
    for segment in prefix.segments:
        step = []
        for index, node in found:
            child = node.get(segment.name) if isinstance(node, dict) else None
            if segment.is_list:
                step.extend((index + (i,), entry) for i, entry in enumerate(_as_list(child)))
            elif child is not None:
                step.append((index, child))
        found = step
    return [index for index, _node in found]


def _container(payload, segments, index):
    node, remaining = payload, list(index)
    for segment in segments[:-1]:
        if segment.is_list:
            entries = node.setdefault(segment.name, [])
            position = remaining.pop(0)
            _pad(entries, position, dict)
            if entries[position] is None:
                entries[position] = {}
            node = entries[position]
        else:
            node = node.setdefault(segment.name, {})
    last = segments[-1]
    return node, last, (remaining[0] if last.is_list else None)


def _pad(entries, position, make):
    while len(entries) <= position:
        entries.append(make())


def _none():
    return None
