"""What a browser submits for an unbound form: each field's shown value, boxes only when ticked."""

from django import forms


def form_data(form, data=None):
    data = {} if data is None else data
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def formset_data(formset):
    """The POST of the mapping editor as shown, every row and every transform's settings."""
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
        f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for form in formset.forms:
        form_data(form, data)
        for params in form.param_forms.values():
            form_data(params, data)
    return data
