"""One small form per transform, for its parameters: people pick and type values, never JSON.

Each form turns its fields into the row's ``params`` dict and checks every value with the
transform registry's own checks (``syncjobs.mapping.transforms``), so a message lands on the
field that is wrong. A blank optional field means "not set" (the transform's default), so an
unchanged row gives back exactly the parameters it had.
"""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from syncjobs.mapping import LOOKUP_FIELDS, TRANSFORMS
from syncjobs.mapping.transforms import ROUNDING
from syncjobs.models import SyncFlow, ValueMap

VALUE_KINDS = [
    ("text", _("text")),
    ("integer", _("whole number")),
    ("true", _("yes (true)")),
    ("false", _("no (false)")),
    ("empty", _("empty (null)")),
]


def _blank(default_label):
    # Lazy: the choices are built when the module loads, the label when a page is rendered.
    return [("", _default_label(default_label))]


def _default_text(default_label):
    return _("default (%(value)s)") % {"value": default_label}


_default_label = lazy(_default_text, str)


class ParamsForm(forms.Form):
    """Base: ``params()`` builds the dict; ``clean`` runs the registry's checks per parameter."""

    transform = "direct"
    # Form fields that are not parameters themselves (e.g. the kind of a constant value).
    helpers = ()

    def __init__(self, *args, initial_params=None, **kwargs):
        super().__init__(*args, initial=self.initial_from(initial_params or {}), **kwargs)

    def initial_from(self, params):
        return {name: value for name, value in params.items() if name in self.base_fields}

    def params(self):
        """The parameters the cleaned fields describe (blank optional fields left out)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.helpers and value not in ("", None)
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        transform = TRANSFORMS[self.transform]
        values = self.params()
        for param in transform.params:
            if param.name in values:
                try:
                    param.check(values[param.name])
                except ValueError as exc:
                    self.add_error(
                        self._field_for(param.name), _("This value %(problem)s.") % {"problem": exc}
                    )
        if not self.errors and transform.rule is not None:
            try:
                transform.rule(values)
            except ValueError as exc:
                raise forms.ValidationError(
                    _("These settings do not fit together: %(problem)s.") % {"problem": exc}
                ) from exc
        return cleaned

    def _field_for(self, param):
        return param if param in self.fields else None


class DirectForm(ParamsForm):
    transform = "direct"


class ValueForm(ParamsForm):
    """A value of any JSON type, chosen as a kind plus text (constants, defaults)."""

    helpers = ("value_kind",)
    value = forms.CharField(label=_("value"), required=False)
    value_kind = forms.ChoiceField(label=_("as"), choices=VALUE_KINDS, initial="text")

    def initial_from(self, params):
        if "value" not in params:
            return {}
        value = params["value"]
        if value is None:
            return {"value": "", "value_kind": "empty"}
        if isinstance(value, bool):
            return {"value": "", "value_kind": "true" if value else "false"}
        if isinstance(value, int):
            return {"value": str(value), "value_kind": "integer"}
        return {"value": str(value), "value_kind": "text"}

    def clean(self):
        kind, text = self.cleaned_data.get("value_kind"), self.cleaned_data.get("value", "")
        if kind == "integer":
            try:
                self.cleaned_data["value"] = int(text.strip())
            except ValueError:
                self.add_error("value", _("Enter a whole number, e.g. 42."))
        elif kind in ("true", "false", "empty"):
            self.cleaned_data["value"] = {"true": True, "false": False, "empty": None}[kind]
        return super().clean()

    def params(self):
        return {"value": self.cleaned_data.get("value")}


class ConstantForm(ValueForm):
    transform = "constant"


class DefaultForm(ValueForm):
    transform = "default"


class ValueMapForm(ParamsForm):
    """The map, and what a value without an entry becomes (fail, a value, empty, itself)."""

    transform = "value_map"
    helpers = ("unmapped",)
    map = forms.ChoiceField(label=_("value map"))
    unmapped = forms.ChoiceField(
        label=_("a value without an entry"),
        required=False,
        choices=[
            ("", _("fails the record, naming the missing entry")),
            ("default", _("becomes the value below")),
            ("empty", _("leaves the field empty")),
            ("keep", _("is kept as it is")),
        ],
    )
    default = forms.CharField(label=_("value"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("choose a value map"))]
        choices += list(ValueMap.objects.order_by("name").values_list("slug", "name"))
        self.fields["map"].choices = choices

    def initial_from(self, params):
        initial = {"map": params.get("map", "")}
        if params.get("keep_unmapped"):
            initial["unmapped"] = "keep"
        elif "default" in params and params["default"] is None:
            initial["unmapped"] = "empty"
        elif "default" in params:
            initial.update(unmapped="default", default=str(params["default"]))
        return initial

    def params(self):
        values = {"map": self.cleaned_data.get("map")}
        unmapped = self.cleaned_data.get("unmapped")
        if unmapped == "keep":
            values["keep_unmapped"] = True
        elif unmapped == "empty":
            values["default"] = None
        elif unmapped == "default":
            values["default"] = self.cleaned_data.get("default") or ""
        return values


class LookupForm(ParamsForm):
    transform = "lookup"
    flow = forms.ChoiceField(label=_("look up in the records synced by flow"))
    by = forms.ChoiceField(label=_("matching the value against"), required=False)
    # "return" is a Python keyword; the form field is renamed on the way in and out.
    returns = forms.ChoiceField(label=_("and return its"), required=False)
    on_missing = forms.ChoiceField(
        label=_("when nothing is found"),
        required=False,
        choices=[*_blank(_("fail the record")), ("empty", _("leave the field empty"))],
    )
    key_labels = {
        "source_id": _("source ID"),
        "source_number": _("source number"),
        "target_id": _("target ID"),
        "target_number": _("target number"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keys = [(key, self.key_labels[key]) for key in LOOKUP_FIELDS]
        self.fields["flow"].choices = [("", _("choose a flow"))] + list(
            SyncFlow.objects.order_by("name").values_list("slug", "name")
        )
        self.fields["by"].choices = [*_blank(_("source ID")), *keys]
        self.fields["returns"].choices = [*_blank(_("target number")), *keys]

    def initial_from(self, params):
        initial = super().initial_from(params)
        if "return" in params:
            initial["returns"] = params["return"]
        return initial

    def params(self):
        values = super().params()
        if "returns" in values:
            values["return"] = values.pop("returns")
        return values

    def _field_for(self, param):
        return "returns" if param == "return" else super()._field_for(param)


class DatetimeForm(ParamsForm):
    transform = "datetime"
    units = [("ms", _("milliseconds since 1970")), ("text", _("text"))]
    source_unit = forms.ChoiceField(label=_("read the value as"), required=False)
    target_unit = forms.ChoiceField(label=_("write it as"), required=False)
    input_format = forms.CharField(
        label=_("input format"), required=False, help_text=_("e.g. %Y-%m-%d; empty: ISO 8601")
    )
    output_format = forms.CharField(
        label=_("output format"), required=False, help_text=_("e.g. %Y-%m-%d %H:%M:%S (the default)")
    )
    timezone = forms.CharField(
        label=_("time zone"), required=False, help_text=_("e.g. Asia/Shanghai; empty: the flow's")
    )
    renamed = {"from": "source_unit", "to": "target_unit"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_unit"].choices = [*_blank(_("milliseconds")), *self.units]
        self.fields["target_unit"].choices = [*_blank(_("text")), *self.units]

    def initial_from(self, params):
        initial = super().initial_from(params)
        for param, name in self.renamed.items():
            if param in params:
                initial[name] = params[param]
        return initial

    def params(self):
        values = super().params()
        for param, name in self.renamed.items():
            if name in values:
                values[param] = values.pop(name)
        return values

    def _field_for(self, param):
        return self.renamed.get(param) or super()._field_for(param)


class NumberForm(ParamsForm):
    transform = "number"
    decimals = forms.IntegerField(label=_("decimal places"), required=False, min_value=0, max_value=10)
    rounding = forms.ChoiceField(label=_("rounding"), required=False)
    multiply = forms.CharField(label=_("multiply by"), required=False, help_text=_('e.g. "0.01"'))
    output = forms.ChoiceField(
        label=_("write as"),
        required=False,
        choices=[*_blank(_("exact decimal text")), ("integer", _("whole number"))],
    )
    rounding_labels = {
        "half_up": _("half up"),
        "half_even": _("half even (banker's)"),
        "down": _("towards zero"),
        "up": _("away from zero"),
        "floor": _("down (floor)"),
        "ceiling": _("up (ceiling)"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rounding"].choices = [
            *_blank(_("half up")),
            *[(name, self.rounding_labels[name]) for name in ROUNDING],
        ]


class TemplateForm(ParamsForm):
    transform = "template"
    template = forms.CharField(
        label=_("template"),
        help_text=_("Source fields in braces, e.g. {name} ({account_no}); {{ and }} for braces."),
    )


PARAM_FORMS = {
    form.transform: form
    for form in (
        DirectForm,
        ConstantForm,
        DefaultForm,
        ValueMapForm,
        LookupForm,
        DatetimeForm,
        NumberForm,
        TemplateForm,
    )
}
