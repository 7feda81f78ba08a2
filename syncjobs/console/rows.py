"""The mapping editor's rows: one form per row, with one parameter form per transform.

Only the parameter form of the row's chosen transform is read; the others stay on the page
(hidden by the editor's script) so switching transforms keeps what was typed. Problems are
put on the row and field that cause them: path syntax, parameters, a target written twice.
"""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from syncjobs.console.params import PARAM_FORMS
from syncjobs.mapping import mapping_errors, row_errors, transform_choices

ROW_FIELDS = ("position", "target_path", "source_path", "transform", "required", "note", "unlisted_ok")
POSITION_STEP = 10


class MappingRowForm(forms.Form):
    position = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    target_path = forms.CharField(label=_("target field"), max_length=255)
    source_path = forms.CharField(label=_("source field"), max_length=255, required=False)
    transform = forms.ChoiceField(label=_("transform"), choices=transform_choices, initial="direct")
    required = forms.BooleanField(label=_("required"), required=False)
    note = forms.CharField(label=_("note"), max_length=255, required=False)
    # Saving a field the systems' metadata does not list takes this, row by row.
    unlisted_ok = forms.BooleanField(label=_("not in the metadata"), required=False)

    def __init__(self, *args, params=None, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else None
        self.param_forms = {
            name: form_class(
                data, prefix=f"{self.prefix}-{name}", initial_params=self._initial_params(name, params)
            )
            for name, form_class in PARAM_FORMS.items()
        }

    def _initial_params(self, name, params):
        chosen = self.initial.get("transform", "direct")
        return params if params and name == chosen else None

    @property
    def chosen_params_form(self):
        name = self.cleaned_data.get("transform") if hasattr(self, "cleaned_data") else None
        name = name or self.initial.get("transform") or "direct"
        return self.param_forms.get(name)

    def param_forms_in_order(self):
        """``[(transform name, form)]`` for the template."""
        return list(self.param_forms.items())

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or (self.empty_permitted and not self.has_changed()):
            return
        if self.cleaned_data.get("DELETE"):
            return
        params_form = self.param_forms.get(self.cleaned_data.get("transform"))
        if params_form is None:
            return
        if not params_form.is_valid():
            self.add_error(None, _("Check the settings of the transform below."))
        elif not self.errors:
            self._check_row(params_form.params())

    def _check_row(self, params):
        for field, messages in row_errors(self.as_row(params)).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def as_row(self, params=None):
        """The row as a ``MappingVersion`` snapshot holds it (``position`` set by the formset)."""
        data = self.cleaned_data
        if params is None:
            params = self.chosen_params_form.params()
        return {
            "position": data.get("position"),
            "target_path": data.get("target_path", "").strip(),
            "source_path": (data.get("source_path") or "").strip(),
            "transform": data.get("transform") or "direct",
            "params": params,
            "required": bool(data.get("required")),
            "note": data.get("note") or "",
        }


class BaseMappingRowFormSet(forms.BaseFormSet):
    """All rows together: kept rows in page order, each target written by one row only."""

    def __init__(self, *args, rows=None, confirmed=(), **kwargs):
        self._rows = list(rows or [])
        initial = [_initial(row, confirmed) for row in self._rows]
        super().__init__(*args, initial=initial or None, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self._rows) and not self.is_bound:
            kwargs["params"] = self._rows[index].get("params") or {}
        return kwargs

    def kept_forms(self):
        """The bound rows to save: neither deleted nor left blank."""
        return [
            form
            for form in self.forms
            if not (form.empty_permitted and not form.has_changed()) and not self._should_delete_form(form)
        ]

    def clean(self):
        if any(form.errors for form in self.kept_forms()):
            return
        kept = self.kept_forms()
        for number, fields in mapping_errors(self.rows()).items():
            for field, messages in fields.items():
                for message in messages:
                    kept[number - 1].add_error(field if field in ROW_FIELDS else None, message)
        if not kept:
            raise forms.ValidationError(_("Keep at least one mapping row: a flow without rows cannot run."))

    def confirmed_targets(self):
        """Target paths of the kept rows confirmed as "not in the metadata"."""
        return [
            form.cleaned_data["target_path"].strip()
            for form in self.kept_forms()
            if form.cleaned_data.get("unlisted_ok")
        ]

    def add_check_problems(self, check):
        """Put a ``RowCheck``'s problems on the rows (numbered as ``rows()``) and fields causing them."""
        kept = self.kept_forms()
        for number, fields in check.problems.items():
            for field, messages in fields.items():
                for message in messages:
                    kept[number - 1].add_error(field if field in ROW_FIELDS else None, message)

    def rows(self):
        """The kept rows as snapshot dicts in page order; new rows are numbered after the others."""
        rows = [form.as_row() for form in self.kept_forms()]
        last = max((row["position"] for row in rows if row["position"] is not None), default=0)
        for row in rows:
            if row["position"] is None:
                last += POSITION_STEP
                row["position"] = last
        return rows


def _initial(row, confirmed=()):
    return {name: row.get(name) for name in ROW_FIELDS if name in row} | {
        "transform": row.get("transform") or "direct",
        "unlisted_ok": row.get("target_path") in confirmed,
    }


MappingRowFormSet = formset_factory(MappingRowForm, formset=BaseMappingRowFormSet, extra=0, can_delete=True)


def row_formset(rows=None, data=None, confirmed=()):
    """The editor's formset: bound to ``data`` (a POST), or showing ``rows`` (the saved mapping).

    ``confirmed``: target paths the latest version saved as "not in the metadata" (ticked).
    """
    return MappingRowFormSet(data, prefix="rows", rows=rows, confirmed=confirmed)
