"""Small forms of the records console: marking records, choosing versions, value map entries."""

from django import forms
from django.utils.translation import gettext_lazy as _

from syncjobs.models import RecordStatus


class MarkForm(forms.Form):
    """Resolve or ignore records, saying why."""

    status = forms.ChoiceField(
        label=_("mark as"),
        choices=[(RecordStatus.RESOLVED, _("resolved")), (RecordStatus.IGNORED, _("ignored"))],
        widget=forms.Select(attrs={"aria-label": _("mark as")}),  # shown without its label
    )
    reason = forms.CharField(
        label=_("reason"),
        max_length=2000,
        widget=forms.TextInput(attrs={"size": 50}),
        help_text=_("Kept with the record, e.g. “fixed by hand in K3Cloud”."),
    )


class SelectedRecordsForm(MarkForm):
    """Marking several open records of one flow at once."""

    records = forms.TypedMultipleChoiceField(coerce=int, label=_("records"))

    def __init__(self, *args, record_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].choices = [(pk, pk) for pk in record_ids]


class ErrorClassForm(forms.Form):
    code = forms.CharField(required=False, max_length=64)
    field = forms.CharField(required=False, max_length=255)


class ValueMapEntryForm(forms.Form):
    source_value = forms.CharField(label=_("source value"), max_length=255, required=False)
    target_value = forms.CharField(label=_("target value"), max_length=255, required=False)
    note = forms.CharField(label=_("note"), max_length=255, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target_value") and not cleaned.get("source_value"):
            self.add_error("source_value", _("Enter the source value this target value replaces."))
        return cleaned


class BaseValueMapEntryFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            source = (form.cleaned_data or {}).get("source_value")
            if not source or not form.cleaned_data.get("target_value"):
                continue
            if source in seen:
                form.add_error("source_value", _("This source value is listed twice; keep one entry."))
            seen.add(source)

    def entries(self):
        """The filled-in entries; a row without a target value is not an entry."""
        return [
            {
                "source_value": form.cleaned_data["source_value"],
                "target_value": form.cleaned_data["target_value"],
                "note": form.cleaned_data.get("note") or "",
            }
            for form in self.forms
            if form.cleaned_data.get("source_value") and form.cleaned_data.get("target_value")
        ]


ValueMapEntryFormSet = forms.formset_factory(ValueMapEntryForm, formset=BaseValueMapEntryFormSet, extra=3)
