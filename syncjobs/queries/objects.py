"""The objects the scenarios work with, offered wherever a flow's objects are typed in.

Fxiaoke objects by API name (leads included: they stay in the CRM, but flows and the
connector may read and write them like any object), K3Cloud forms by form ID from the
adapter's form catalog. Suggestions only: any other object or form may be entered.
"""

from django.utils.translation import gettext_lazy as _

from syncjobs.queries import k3cloud_fields

CRM_OBJECTS = (
    ("AccountObj", _("Account")),
    ("ContactObj", _("Contact")),
    ("LeadsObj", _("Lead")),
    ("ProductObj", _("Product")),
    ("SalesOrderObj", _("Sales order")),
    ("SalesOrderProductObj", _("Sales order product")),
    ("DeliveryNoteObj", _("Delivery note")),
    ("DeliveryNoteProductObj", _("Delivery note product")),
    ("PaymentObj", _("Payment received")),
    ("OrderPaymentObj", _("Payment line")),
)


def object_choices():
    """``[(name, label)]``: the CRM's objects, then the ERP's forms."""
    crm = [(name, _("%(label)s (Fxiaoke)") % {"label": label}) for name, label in CRM_OBJECTS]
    erp = [
        (form_id, _("%(label)s (K3Cloud)") % {"label": label}) for form_id, label in k3cloud_fields.forms()
    ]
    return crm + erp
