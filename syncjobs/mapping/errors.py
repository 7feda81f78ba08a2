"""Errors raised while checking or evaluating a mapping, worded for the person fixing it.

Messages are kept as lazy translations plus their parameters and rendered when read, so a
record's error appears in the language of whoever looks at it (or of the worker storing it).
"""

import json
import re

from django.utils.translation import gettext_lazy as _

from syncjobs.stored_messages import msgid_of

# Long values are cut to this many characters in messages: a record log shows the start.
SHOWN_LENGTH = 80
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def shown(value):
    """``value`` as a message shows it: control characters visible (``\\x00``), long text cut."""
    text = visible(value if isinstance(value, str) else _compact(value))
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def visible(text):
    """``text`` with its control characters written out (``\\x00``), so a message can carry it."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _compact(value):
    # An object or a list is shown as the JSON it came as, so people recognise it.
    if not isinstance(value, dict | list | tuple):
        return str(value)
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


class TransformError(Exception):
    """A transform could not convert one value; the evaluator adds the field and line."""

    def __init__(self, reason, code="invalid", **params):
        super().__init__(reason)
        self.template = reason
        self.code = code
        self.params = params

    @property
    def reason(self):
        if not self.params:
            return str(self.template)
        return str(self.template) % {key: shown(value) for key, value in self.params.items()}

    def as_message_data(self):
        """The reason as message id and parameters, to be translated when read."""
        return {"id": msgid_of(self.template), "params": {key: shown(v) for key, v in self.params.items()}}

    def __str__(self):
        return self.reason


class MissingReferenceError(TransformError):
    """A lookup found no cross-reference: the parent record has not been synced yet."""

    def __init__(self, flow, by, value):
        super().__init__(
            _(
                "no record synced by flow “%(flow)s” has %(by)s “%(value)s”; "
                "sync that record first or check the source value"
            ),
            code="missing_reference",
            flow=flow,
            by=by,
            value=value,
        )


class MappingError(Exception):
    """One field of one record could not be mapped."""

    def __init__(self, field, error, line=None):
        super().__init__(field)
        self.field = field
        self.line = line
        self.code = error.code
        self.details = dict(error.params)
        self._error = error

    @property
    def reason(self):
        return self._error.reason

    def as_message_data(self):
        """The field, line and reason as message id and parameters, to be translated when read."""
        params = {"field": self.field, "reason": self._error.as_message_data()}
        if self.line is None:
            return {"id": "Field %(field)s: %(reason)s", "params": params}
        return {"id": "Field %(field)s, line %(line)s: %(reason)s", "params": {**params, "line": self.line}}

    def __str__(self):
        if self.line is None:
            return str(_("Field %(field)s: %(reason)s")) % {"field": self.field, "reason": self.reason}
        return str(_("Field %(field)s, line %(line)s: %(reason)s")) % {
            "field": self.field,
            "line": self.line,
            "reason": self.reason,
        }


class MappingFailed(Exception):
    """A record could not be mapped; ``errors`` names every failing field."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = list(errors)

    @property
    def missing_references(self):
        """The lookups that failed because a parent record is not synced yet."""
        return [e.details for e in self.errors if e.code == "missing_reference"]

    def as_message_data(self):
        return [error.as_message_data() for error in self.errors]

    def __str__(self):
        return "; ".join(str(error) for error in self.errors)


class MappingConfigError(Exception):
    """A flow's mapping rows are invalid; ``problems`` maps row numbers to field errors."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems

    def __str__(self):
        parts = []
        for number, fields in sorted(self.problems.items()):
            for field, messages in fields.items():
                for message in messages:
                    parts.append(
                        str(_("Mapping row %(number)s, %(field)s: %(message)s"))
                        % {"number": number, "field": field, "message": message}
                    )
        return "; ".join(parts)
