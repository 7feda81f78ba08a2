"""The fields of the K3Cloud forms in the adapter's catalog, for the mapping editor's pickers.

The fields themselves (keys, types, labels) are the adapter's
(``syncjobs.adapters.k3cloud_fields``), which the engine checks payloads against too; this
module adds the forms' labels and offers a form outside the catalog its keys only.
"""

from django.utils.translation import gettext_lazy as _

from syncjobs.adapters.k3cloud_fields import (  # noqa: F401 - the pickers' vocabulary
    BOOL,
    DATE,
    DATETIME,
    DECIMAL,
    FIELDS,
    INT,
    NAME_KEYS,
    REF,
    TEXT,
    F,
    FormField,
    listed_fields,
)
from syncjobs.adapters.k3cloud_forms import CATALOG, form_info


def forms():
    """``[(form id, label)]`` of the catalog's forms."""
    return [(info.form_id, _FORM_LABELS.get(key, info.form_id)) for key, info in CATALOG.items()]


def form_fields(form_id):
    """The ``FormField``s of ``form_id``: listed ones, else the form's own keys."""
    listed = listed_fields(form_id)
    if listed is not None:
        return listed
    info = form_info(form_id)
    return [F(info.pk, _("Internal ID"), INT, readonly=True), F(info.number_key, _("Number"))]


def name_key(form_id):
    """The key holding a reference form's display name."""
    return NAME_KEYS.get(str(form_id).lower(), "FName")


_FORM_LABELS = {
    "bd_customer": _("Customer"),
    "bd_material": _("Material"),
    "bd_commoncontact": _("Contact"),
    "org_organizations": _("Organisation"),
    "sal_saleorder": _("Sales order"),
    "sal_deliverynotice": _("Delivery notice"),
    "sal_outstock": _("Sales outbound"),
    "ar_receivebill": _("Receipt"),
}
