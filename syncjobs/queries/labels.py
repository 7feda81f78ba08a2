"""Words for the codes the engine stores, so pages show what an error is rather than its code."""

from django.utils.translation import gettext_lazy as _

from syncjobs.queries import k3cloud_fields
from syncjobs.queries.objects import CRM_OBJECTS

# The hub's own error codes (mapping, matching and writing); a target system's error types
# are named after their class (``ValidationFailedError``) and read the same way.
ERROR_LABELS = {
    "invalid": _("Invalid value"),
    "unmapped_value": _("No value-map entry"),
    "missing_reference": _("Parent record not synced yet"),
    "not_a_number": _("Not a number"),
    "number_too_large": _("Number too large"),
    "too_many_decimals": _("Too many decimal places"),
    "not_text": _("Not text"),
    "control_character": _("Control character in the text"),
    "transform_failed": _("Transform failed"),
    "target_taken": _("Target record linked to another source record"),
    "several_matches": _("Several target records match"),
    "outcome_unknown": _("Outcome unknown"),
    "unreported": _("Not mentioned in the target's answer"),
    "gave_up": _("Gave up after retries"),
    "audited": _("Target document audited"),
    "ValidationFailedError": _("Refused by the target's validation"),
    "MissingReferenceError": _("Referenced record missing in the target"),
    "DuplicateNumberError": _("Number already used in the target"),
    "ErpFailureError": _("Refused by the ERP"),
}


def error_label(code):
    """The words for an error code, or the code itself when the hub has none for it."""
    return str(ERROR_LABELS.get(code, code)) if code else ""


def object_label(name):
    """A CRM object's or ERP form's name as people know it ("Account"), or its API name."""
    known = dict(CRM_OBJECTS) | dict(k3cloud_fields.forms())
    return str(known.get(name, name))
