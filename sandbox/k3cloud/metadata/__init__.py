"""The forms the simulated ERP knows, by form id (case-insensitive, as the real server)."""

from sandbox.k3cloud import amounts
from sandbox.k3cloud.metadata import basedata, bills

FORMS = {form.form_id.lower(): form for form in basedata.forms() + bills.forms(amounts)}


def get_form(form_id):
    """The form with id ``form_id`` (any case), or None when the ERP has no such business object."""
    return FORMS.get(str(form_id or "").strip().lower())
