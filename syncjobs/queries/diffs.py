"""Field-by-field differences between two payloads (or source snapshots), lines included.

``leaves`` names every value by a path people can read (``FSaleOrderEntry[2].FQty``; lines
count from 1), so a diff says exactly which field of which line changed.
"""

from dataclasses import dataclass

from syncjobs.engine.payloads import same_value


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its path, the value before and the value after (None: absent)."""

    path: str
    before: object
    after: object

    @property
    def kind(self):
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


def leaves(value, prefix=""):
    """``{readable path: value}`` for every scalar in ``value`` (empty lists and objects kept)."""
    if isinstance(value, dict) and value:
        found = {}
        for key, item in value.items():
            found.update(leaves(item, f"{prefix}.{key}" if prefix else str(key)))
        return found
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        found = {}
        for number, item in enumerate(value, start=1):
            found.update(leaves(item, f"{prefix}[{number}]"))
        return found
    return {prefix: value} if prefix else {}


def diff(before, after):
    """The ``FieldChange``s from ``before`` to ``after``, in the order the fields appear."""
    old, new = leaves(before or {}), leaves(after or {})
    changes = []
    for path in list(dict.fromkeys([*old, *new])):
        if path not in new:
            changes.append(FieldChange(path, old[path], None))
        elif path not in old:
            changes.append(FieldChange(path, None, new[path]))
        elif not same_value(old[path], new[path]):
            changes.append(FieldChange(path, old[path], new[path]))
    return changes
