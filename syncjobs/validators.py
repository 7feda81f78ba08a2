"""Checks for a flow's JSON options, run when a flow is saved from the admin or an import."""

from croniter import croniter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from syncjobs.mapping import PathError, parse_path


def validate_cron(value):
    """A five-field cron expression, e.g. ``*/15 * * * *``."""
    if value and (len(value.split()) != 5 or not croniter.is_valid(value)):
        raise ValidationError(_("Enter a cron expression with five fields, e.g. “*/15 * * * *”."))


def validate_match_keys(value):
    """A list of target field paths (no ``[]``) used to find an existing target record."""
    if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
        raise ValidationError(_('Enter a list of target field paths, e.g. ["FNumber"].'))
    for key in value:
        try:
            path = parse_path(key)
        except PathError as exc:
            raise ValidationError(exc) from exc
        if path.depth:
            raise ValidationError(
                _("A match key cannot be a detail line field: “%(key)s”."), params={"key": key}
            )


def validate_post_actions(value):
    """A list like ``[{"action": "submit"}, {"action": "allocate", "organisations": ["101"]}]``.

    Only the shape is checked here: which actions exist depends on the target system, and its
    adapter refuses an unknown one in words naming the actions it knows.
    """
    if not isinstance(value, list) or not all(isinstance(step, dict) for step in value):
        raise ValidationError(_('Enter a list of objects, e.g. [{"action": "submit"}].'))
    for step in value:
        action = step.get("action")
        if not isinstance(action, str) or not action.strip():
            raise ValidationError(
                _("Each post-action needs an “action”, e.g. “submit”, “audit” or “notify_owner”.")
            )
        organisations = step.get("organisations")
        if action == "allocate" and (not isinstance(organisations, list) or not organisations):
            raise ValidationError(_("“allocate” needs “organisations”: a list of organisation numbers."))


def validate_source_filter(value):
    """Fxiaoke filter conditions (a list of objects) or a K3Cloud filter string."""
    if value in (None, "", []):
        return
    if isinstance(value, str):
        return
    if not isinstance(value, list) or not all(isinstance(condition, dict) for condition in value):
        raise ValidationError(
            _(
                'Enter a list of conditions, e.g. [{"field_name": "life_status", "operator": "EQ", '
                '"field_values": ["normal"]}], or a K3Cloud filter string.'
            )
        )


def validate_json_object(value):
    """A JSON object (``{}``), for per-flow settings."""
    if not isinstance(value, dict):
        raise ValidationError(_('Enter a JSON object, e.g. {"max_attempts": 5}.'))
