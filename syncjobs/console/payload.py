"""Edit a mapped payload field by field: one input per value, lines included, never raw JSON.

Fields are named by the readable paths of ``syncjobs.queries.diffs.leaves``
(``FCustId.FNumber``, ``FSaleOrderEntry[2].FQty``; lines count from 1), read with the
mapping's path grammar: a mapped payload's keys are the names its mapping's target paths gave.
A changed value keeps the type the field had (a whole number stays one, true/false stay booleans).
"""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from syncjobs.mapping.paths import PathError, parse_line_path
from syncjobs.queries.diffs import leaves

NEW_FIELDS = 3


def parse(path):
    """``FSaleOrderEntry[2].FQty`` → ``["FSaleOrderEntry", 1, "FQty"]`` (list positions from 0)."""
    tokens = []
    for segment in parse_line_path(path).segments:
        tokens.append(segment.name)
        if segment.line is not None:
            tokens.append(segment.line - 1)
    return tokens


def assign(payload, path, value):
    """Set ``path`` in ``payload`` to ``value``, creating objects and one new line as needed."""
    tokens = parse(path)
    node = payload
    for token, following in zip(tokens, tokens[1:], strict=False):
        node = _child(node, token, [] if isinstance(following, int) else {}, path)
    _put(node, tokens[-1], value, path)


def remove(payload, path):
    """Take ``path`` out of ``payload`` (nothing happens when it is not there)."""
    tokens = parse(path)
    node = payload
    for token in tokens[:-1]:
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(node, dict):
        node.pop(tokens[-1], None)


def _child(node, token, empty, path):
    if isinstance(token, int):
        if not isinstance(node, list) or token > len(node):
            raise PathError(_("“%(path)s” skips a line: add lines one after another.") % {"path": path})
        if token == len(node):
            node.append(empty)
        return node[token]
    if not isinstance(node, dict):
        raise PathError(_("“%(path)s” goes inside a value that is not an object.") % {"path": path})
    return node.setdefault(token, empty)


def _put(node, token, value, path):
    if isinstance(token, int):
        raise PathError(_("“%(path)s” names a whole line; name one of its fields.") % {"path": path})
    if not isinstance(node, dict):
        raise PathError(_("“%(path)s” goes inside a value that is not an object.") % {"path": path})
    node[token] = value


def typed(text, like):
    """``text`` as the type of ``like`` (the value the field had), or raise ``ValueError``."""
    if isinstance(like, bool):
        if text.strip().lower() not in ("true", "false"):
            raise ValueError(_("Enter true or false."))
        return text.strip().lower() == "true"
    if isinstance(like, int):
        return int(text.strip())
    if like is None and text == "":
        return None
    return text


def shown(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class PayloadForm(forms.Form):
    """One text field per value of ``payload``, a "remove" box each, and a few new fields."""

    reason = forms.CharField(
        label=_("why this change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Kept with the record's history, beside the original payload."),
    )

    def __init__(self, payload, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.payload = payload or {}
        self.paths = leaves(self.payload)
        for number, (path, value) in enumerate(self.paths.items()):
            self.fields[f"value_{number}"] = forms.CharField(label=path, required=False, initial=shown(value))
            self.fields[f"remove_{number}"] = forms.BooleanField(label=_("remove"), required=False)
        for number in range(NEW_FIELDS):
            self.fields[f"new_path_{number}"] = forms.CharField(label=_("new field"), required=False)
            self.fields[f"new_value_{number}"] = forms.CharField(label=_("value"), required=False)

    def offer_paths(self, list_id):
        """Let the new-field inputs suggest paths from the ``<datalist>`` with ``list_id``."""
        for number in range(NEW_FIELDS):
            self.fields[f"new_path_{number}"].widget.attrs["list"] = list_id

    def existing_rows(self):
        """``[(path, value field, remove field)]`` for the template."""
        return [(path, self[f"value_{n}"], self[f"remove_{n}"]) for n, path in enumerate(self.paths)]

    def new_rows(self):
        return [(self[f"new_path_{n}"], self[f"new_value_{n}"]) for n in range(NEW_FIELDS)]

    def clean(self):
        cleaned = super().clean()
        edited = copy.deepcopy(self.payload)
        for number, (path, value) in enumerate(self.paths.items()):
            self._apply_existing(edited, number, path, value)
        for number in range(NEW_FIELDS):
            self._apply_new(edited, number)
        if not edited and not self.errors:
            raise forms.ValidationError(_("The payload to replay is empty; keep at least one field."))
        self.edited = edited
        return cleaned

    def _apply_existing(self, edited, number, path, value):
        if self.cleaned_data.get(f"remove_{number}"):
            remove(edited, path)
            return
        text = self.cleaned_data.get(f"value_{number}", "")
        if text == shown(value):
            return  # untouched: keep the value exactly as it was, type and all
        try:
            assign(edited, path, typed(text, value))
        except ValueError as exc:
            message = (
                str(exc)
                if isinstance(exc, PathError) or isinstance(value, bool)
                else _("Enter a whole number.")
            )
            self.add_error(f"value_{number}", message)

    def _apply_new(self, edited, number):
        path = (self.cleaned_data.get(f"new_path_{number}") or "").strip()
        if not path:
            return
        try:
            assign(edited, path, self.cleaned_data.get(f"new_value_{number}", ""))
        except PathError as exc:
            self.add_error(f"new_path_{number}", str(exc))
