"""The ERP's own messages as an English server (a session with lcid 1033) words them.

Same names as ``sandbox.k3cloud.messages`` (the Chinese set); ``sandbox.k3cloud.wording``
picks this set for an English session and falls back to the Chinese text for any name that
has no English one here. Like the Chinese set these are data the simulator reproduces, not
text of this product, so they are not translated.

What is known: English servers answer session loss and refusals in English (spec §9). The
session-loss text begins "Session information is lost" [seen: a public Java client's retry
aspect matches exactly these words beside 会话信息已丢失, single source]; the rest of that
sentence and every other text here are [inferred], written in the style of the Chinese ones.
Clients must recognise session loss by MsgCode 1, never by text.
"""

SESSION_LOST = "Session information is lost, please log in again."  # [seen: first words only]
FORM_NOT_FOUND = "The business object does not exist."  # [inferred]
DELETE_REFUSED = "Only data in status Draft, Created or Re-audit is allowed to be deleted."  # [inferred]
NO_TARGETS = "Please pass the data to operate on: Ids and Numbers cannot both be empty."  # [inferred]
LOCK_CONFLICT = (
    "The {operation} operation on business object “{caption}” conflicts with another user's operation; "
    "please try again later."
)  # [inferred]
CALL_LIMIT = "The number of API calls exceeds the limit; please try again later."  # [inferred]
ORG_NOT_FOUND = "Organization id “{org}” does not exist."  # [inferred]
NOT_ALLOCATABLE = "Business object “{caption}” does not support allocation."  # [inferred]
LOGIN_WRONG_PASSWORD = "The user name or password is incorrect!"  # [inferred]
LOGIN_NO_DATACENTER = "The data center does not exist or is disabled; check the account set id!"  # [inferred]
LOGIN_BAD_APP = "Third-party login authorization failed: wrong app id or app secret"  # [inferred]
LOGIN_BAD_SIGN = "Third-party login authorization failed: wrong signature"  # [inferred]

# English captions of the forms a refusal names (the metadata holds the Chinese ones).
CAPTIONS = {
    "SAL_SaleOrder": "Sales Order",
    "SAL_DELIVERYNOTICE": "Delivery Notice",
    "SAL_OUTSTOCK": "Sales Outbound",
    "AR_RECEIVEBILL": "Receipt",
    "BD_Customer": "Customer",
    "BD_MATERIAL": "Material",
    "BD_COMMONCONTACT": "Contact",
    "ORG_Organizations": "Organization",
}


def caption(form):
    """The form's English caption, or its Chinese one when none is known."""
    return CAPTIONS.get(form.form_id, form.caption)


def who(form, number):
    """How the ERP names a record in operation messages [inferred]."""
    if form.kind == "bill":
        return f"{caption(form)} with bill number “{number}”"
    return f"{caption(form)} with number “{number}”"


def not_found(form, key):
    return f"{caption(form)} “{key}” does not exist; it may have been deleted."  # [inferred]


def audited(form, number):
    return f"{who(form, number)}: audited successfully!"  # [inferred]


def already_audited(form, number):
    return f"{who(form, number)}: the bill has already been audited!"  # [inferred]


def submit_refused(form, number):
    return f"{who(form, number)}: only data in status Draft, Created or Re-audit is allowed to be submitted!"


def audit_refused(form, number):
    return f"{who(form, number)}: only data under audit is allowed to be audited!"  # [inferred]


def unaudit_refused(form, number):
    return f"{who(form, number)}: only audited data is allowed to be unaudited!"  # [inferred]


def unaudit_has_targets(form, number):
    return f"{who(form, number)}: downstream bills exist, unaudit is not allowed!"  # [inferred]


def cancel_assign_refused(form, number):
    return f"{who(form, number)}: only data under audit is allowed to be taken back!"  # [inferred]


def allocate_unaudited(form, number):
    return f"{who(form, number)}: allocating data that is not audited is not allowed!"  # [inferred]


def not_allocated(form, number, org):
    return f"{who(form, number)} is not allocated to organization “{org}”."  # [inferred]


def cancel_allocate_own_org(form, number):
    return f"{who(form, number)}: cancelling the creating organization's allocation is not allowed!"


def task_not_found(task_id):
    return f"Asynchronous task “{task_id}” does not exist or has expired."  # [inferred]
