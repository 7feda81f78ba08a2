"""The shipped value maps' descriptions, in the catalogue so each reader gets them in their language.

``flows.json`` stores them in English, as installed into the database; a description a person
has since edited is no longer one of these and is shown as written.
"""

from django.utils.translation import gettext, gettext_noop

SHIPPED = frozenset(
    {
        gettext_noop(
            "CRM account type (AccountObj.account_type option value) → ERP customer type "
            "(BD_Customer.FCustTypeId, assistant data number). 合作伙伴 (3) is left out on purpose: "
            "decide which ERP customer type partners get, then add the entry."
        ),
        gettext_noop(
            "CRM country text → ERP country (assistant data number). Unlisted countries leave the ERP "
            "field empty."
        ),
        gettext_noop(
            "The CRM user id of a record's owner (owner__r.id) → the number of the same person in the "
            "ERP's salesmen (BD_Saler). An owner not listed leaves the ERP field empty."
        ),
        gettext_noop(
            "CRM province text → ERP province (assistant data number, GB/T 2260 code). Unlisted "
            "provinces leave the ERP field empty."
        ),
        gettext_noop(
            "ERP base unit number (BD_MATERIAL.FBaseUnitId) → CRM product unit option value "
            "(ProductObj.unit)."
        ),
        gettext_noop(
            "ERP material group number (BD_MATERIAL.FMaterialGroup) → CRM product category option value "
            "(ProductObj.category). Option values are the tenant's own codes: check them in the "
            "object's field settings."
        ),
        gettext_noop(
            "ERP settlement type of a receipt's first line (FSETTLETYPEID) → CRM payment term option "
            "value (PaymentObj.payment_term)."
        ),
    }
)


def description_text(text):
    """A value map's description in the reader's language when it is a shipped one."""
    return gettext(text) if text in SHIPPED else text
