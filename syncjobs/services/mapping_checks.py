"""Mapping rows checked against the connected systems' metadata before they are saved.

Each row's source field must exist in the flow's source object, its target field must exist in
the target object and be writable, and its transform must make what the target field holds
(``syncjobs.queries.metadata`` says what exists, from Fxiaoke describe and K3Cloud's form
catalogue with QueryBusinessInfo). A field the metadata does not list (or a system that cannot
be asked now) may still be saved when the row is confirmed as "not in the metadata" (a tick in
the editor, ``"not_in_metadata": true`` on a row of a flow file); the version records which
fields were. Read-only targets and transforms that do not fit are never confirmable: the next
run would fail on them.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from syncjobs.mapping import TRANSFORMS
from syncjobs.queries import metadata

SOURCE, TARGET = "source", "target"
# What each transform cannot make: the kinds of target field it would fail on.
UNFIT = {
    "number": {"date", "datetime", "bool", "ref", "list"},
    "datetime": {"bool", "ref", "select", "list"},
    "template": {"number", "date", "datetime", "bool", "list"},
}
# A value copied as it is read, by the kind it is read as: the target kinds it cannot go into.
COPY_UNFIT = {
    "date": {"number", "bool"},
    "datetime": {"number", "bool"},
    "number": {"date", "datetime", "bool"},
    "bool": {"number", "date", "datetime"},
}
# How a row is confirmed as "not in the metadata" differs by where it comes from, so the
# messages about unseen fields say what to do there: tick the row, or mark it in the file.
EDITOR = {
    "unchecked": gettext_lazy(
        "Row %(row)s: “%(field)s” could not be checked: %(problem)s. Try again later, or tick "
        "“not in the metadata” to save the row unchecked."
    ),
    SOURCE: gettext_lazy(
        "Row %(row)s: the source field “%(field)s” does not exist in %(object)s of %(connector)s. "
        "Pick it from the list (a typo?), or tick “not in the metadata” if the field exists all the same."
    ),
    TARGET: gettext_lazy(
        "Row %(row)s: the target field “%(field)s” does not exist in %(object)s of %(connector)s. "
        "Pick it from the list (a typo?), or tick “not in the metadata” if the field exists all the same."
    ),
}
FILE = {
    "unchecked": gettext_lazy(
        "Row %(row)s: “%(field)s” could not be checked: %(problem)s. Import the file again when the "
        'system answers, or add "not_in_metadata": true to the row to import it unchecked.'
    ),
    SOURCE: gettext_lazy(
        "Row %(row)s: the source field “%(field)s” does not exist in %(object)s of %(connector)s. "
        'Correct it in the file (a typo?), or add "not_in_metadata": true to the row if the field '
        "exists all the same."
    ),
    TARGET: gettext_lazy(
        "Row %(row)s: the target field “%(field)s” does not exist in %(object)s of %(connector)s. "
        'Correct it in the file (a typo?), or add "not_in_metadata": true to the row if the field '
        "exists all the same."
    ),
}


@dataclass
class RowCheck:
    """What the check found: ``problems`` by row number (1-based) and form field; ``unlisted``,
    the confirmed rows' fields the metadata does not list (for the version to record)."""

    problems: dict = field(default_factory=dict)
    unlisted: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def add(self, number, form_field, message):
        self.problems.setdefault(number, {}).setdefault(form_field, []).append(message)

    def messages(self):
        """Every problem as one line, in row order (for imports and logs)."""
        return [m for _n, fields in sorted(self.problems.items()) for ms in fields.values() for m in ms]


class _Side:
    """One end of the flow: its connector, object and (when the system answered) fields by path."""

    def __init__(self, role, connector, obj):
        self.role, self.connector, self.obj = role, connector, obj
        self.fields, self.problem = None, ""
        try:
            self.fields = metadata.by_path(metadata.object_fields(connector, obj))
        except metadata.MetadataUnavailable as exc:
            self.problem = str(exc).rstrip(".")

    def find(self, path):
        """The metadata field ``path`` names (see ``metadata.find_field``), or None."""
        return metadata.find_field(self.fields, path)


def mapped_paths(row):
    """``{"source": path or "", "target": path}``: the fields a snapshot row reads and writes."""
    transform = TRANSFORMS.get(row.get("transform") or "direct")
    reads = transform is None or transform.source != "none"
    return {SOURCE: (row.get("source_path") or "") if reads else "", TARGET: row["target_path"]}


def check_rows(flow, rows, confirmed=(), texts=EDITOR):
    """Check snapshot ``rows`` of ``flow`` against both systems' metadata; a ``RowCheck``.

    ``confirmed``: target paths of the rows confirmed as "not in the metadata". The metadata
    kept from earlier questions is used while fresh; otherwise each system is asked (and the
    answer kept). ``texts``: the wording of unseen fields' messages (``EDITOR`` or ``FILE``).
    """
    sides = {
        SOURCE: _Side(SOURCE, flow.source_connector, flow.source_object),
        TARGET: _Side(TARGET, flow.target_connector, flow.target_object),
    }
    check = RowCheck()
    confirmed = set(confirmed)
    for number, row in enumerate(rows, start=1):
        unseen = _check_row(check, number, row, sides, texts)
        if not unseen:
            continue
        if row["target_path"] in confirmed:
            check.unlisted.append({"target_path": row["target_path"], "fields": [p for p, _m in unseen]})
        else:
            for _path, (form_field, message) in unseen:
                check.add(number, form_field, message)
    return check


def check_imported_rows(flow, rows, confirmed=()):
    """``check_rows`` for the rows of a flow file (``SyncFlowResource``), worded for a file.

    Like the editor's save, an import asks a system whose metadata is not kept (or is stale)
    and keeps the answer (in a dry run too: the kept metadata is a cache, not the file's
    data), so a configuration imported into a fresh installation is checked too. A system that cannot be asked refuses the rows it would check, naming the connector
    and why, unless the file marks them ``"not_in_metadata": true``.
    """
    if not rows:
        return RowCheck()  # nothing to check: no system is asked
    return check_rows(flow, rows, confirmed, texts=FILE)


def _check_row(check, number, row, sides, texts):
    """Add the row's firm problems to ``check``; return its unseen fields ``[(path, (form field, message))]``."""
    unseen = []
    source, target = sides.get(SOURCE), sides.get(TARGET)
    source_field = target_field = None
    paths = mapped_paths(row)
    if source is not None and paths[SOURCE]:
        source_field, missing = _looked_up(number, source, paths[SOURCE], "source_path", texts)
        unseen += missing
    if target is not None:
        target_field, missing = _looked_up(number, target, row["target_path"], "target_path", texts)
        unseen += missing
    if target_field is None:
        return unseen
    if target_field["readonly"]:
        check.add(number, "target_path", _read_only(number, target, row["target_path"]))
    unfit = _unfit(row, source_field, target_field, source, target)
    if unfit:
        check.add(number, "transform", unfit % _names(number, row, source_field, target_field))
    return unseen


def _looked_up(number, side, path, form_field, texts):
    """``(metadata field or None, [(path, (form field, message))] when the field cannot be seen)``."""
    if side.fields is None:
        message = texts["unchecked"] % {"row": number, "field": path, "problem": side.problem}
        return None, [(path, (form_field, message))]
    found = side.find(path)
    if found is not None:
        return found, []
    values = {"row": number, "field": path, "object": side.obj, "connector": side.connector.name}
    return None, [(path, (form_field, texts[side.role] % values))]


def _read_only(number, side, path):
    return _(
        "Row %(row)s: “%(field)s” of %(object)s is read-only: %(connector)s maintains it and ignores "
        "or refuses what is written to it. Map another field, or delete the row."
    ) % {"row": number, "field": path, "object": side.obj, "connector": side.connector.name}


def _unfit(row, source_field, target_field, source, target):
    """A message template when the row's transform cannot make what the target field holds."""
    kind = target_field["kind"]
    transform = row["transform"]
    if kind in UNFIT.get(transform, ()):
        return _(
            "Row %(row)s: the transform “%(transform)s” cannot make what “%(field)s” holds (%(kind)s). "
            "Choose a transform that makes %(kind)s, or another target field."
        )
    if transform not in ("direct", "default") or source_field is None:
        return None
    made = source_field["kind"]
    if kind in COPY_UNFIT.get(made, ()):
        return _(
            "Row %(row)s: “%(source)s” holds %(made)s and “%(field)s” holds %(kind)s, so copying "
            "it cannot work. Convert it with a transform (e.g. Number and rounding, Date and time "
            "conversion), or map another field."
        )
    if made in ("date", "datetime") and kind in ("date", "datetime") and _systems_differ(source, target):
        return _(
            "Row %(row)s: “%(source)s” is a date the CRM keeps as milliseconds and the ERP as text, so "
            "copying it to “%(field)s” cannot work. Use the Date and time conversion transform."
        )
    return None


def _systems_differ(source, target):
    return source is not None and source.connector.system != target.connector.system


def _names(number, row, source_field, target_field):
    return {
        "row": number,
        "transform": str(TRANSFORMS[row["transform"]].label) if row["transform"] in TRANSFORMS else "",
        "field": row["target_path"],
        "source": row.get("source_path") or "",
        "kind": _kind_label(target_field["kind"]),
        "made": _kind_label(source_field["kind"]) if source_field else "",
    }


def _kind_label(kind):
    labels = {
        "text": _("text"),
        "number": _("a number"),
        "date": _("a date"),
        "datetime": _("a date and time"),
        "bool": _("yes or no"),
        "ref": _("a reference to base data"),
        "select": _("one of its options"),
        "list": _("a list"),
    }
    return labels.get(kind, _("values of its own type"))
