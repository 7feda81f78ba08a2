"""Messages stored with their id and parameters, and rendered in the reader's language when read.

A record's failure reason is written once, by a worker, in the worker's language. Kept as
``{"id": msgid, "params": {...}}`` beside the text, it is translated again for whoever reads
it; parameters may be messages themselves (a record error wrapping a mapping error), lists
of messages (several fields failed, read joined by "; "), moments (read in the reader's
date format), counts, or plain text the hub does not translate (a target system's own words,
values).
"""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext


class Message:
    """A message id (the English text) and its parameters; ``str()`` renders it now."""

    def __init__(self, msgid, **params):
        self.msgid = msgid
        self.params = params

    def as_message_data(self):
        return {"id": self.msgid, "params": {name: to_data(value) for name, value in self.params.items()}}

    def __str__(self):
        return render(self.as_message_data())


class PluralMessage(Message):
    """A message whose wording follows its ``count`` parameter ("1 record", "3 records").

    ``text`` is ``ngettext_lazy(singular, plural, "count")``: makemessages extracts both forms
    from that call (it knows no plural ``gettext_noop``), and the ids are read off it here.
    """

    def __init__(self, text, count, **params):
        # Django's lazy plural proxy keeps the keyword arguments of the pending ngettext call.
        forms = getattr(text, "_kw", {})
        super().__init__(forms["singular"], count=count, **params)
        self.plural = forms["plural"]

    def as_message_data(self):
        return {**super().as_message_data(), "plural": self.plural}


def stored(message):
    """``(text, data)`` to keep for ``message``: its text now, and its id and parameters (else {})."""
    data = message.as_message_data() if isinstance(message, Message) else {}
    return str(message), data


def stored_text(data, text):
    """Stored message data in the active language, or ``text`` when none was kept (older rows)."""
    return render(data) if data else text


def to_data(value):
    """``value`` as stored: messages (or errors that can say theirs) as data, counts as numbers,
    moments as ISO text to be formatted when read, anything else as text."""
    if hasattr(value, "as_message_data"):
        return value.as_message_data()
    if isinstance(value, Promise):
        return {"id": msgid_of(value), "params": {}}
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # "%(count)d" needs a number
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    return str(value)


def msgid_of(text):
    """The English message id behind a ``gettext_lazy`` text (the text itself when it is not lazy)."""
    # Django's lazy proxy keeps the arguments of the pending gettext call.
    args = getattr(text, "_args", None)
    return args[0] if isinstance(text, Promise) and args and isinstance(args[0], str) else str(text)


def render(data):
    """Stored message data as text in the active language (unknown shapes as their text)."""
    if isinstance(data, list):
        return "; ".join(render(part) for part in data)
    if isinstance(data, dict) and isinstance(data.get("datetime"), str):
        return _moment(data["datetime"])
    if not (isinstance(data, dict) and isinstance(data.get("id"), str)):
        return "" if data is None else str(data)
    params = {name: _param(value) for name, value in (data.get("params") or {}).items()}
    msgid, text = _wording(data, params.get("count"))
    if not params:
        return text
    try:
        return text % params
    except (KeyError, ValueError, TypeError):  # a catalogue whose entry lost a placeholder
        return msgid % params


def _wording(data, count):
    """``(English, translated)`` text of the message, in the plural form ``count`` asks for."""
    plural = data.get("plural")
    if not (isinstance(plural, str) and isinstance(count, int)):
        return data["id"], gettext(data["id"])
    return (data["id"] if count == 1 else plural), ngettext(data["id"], plural, count)


def _param(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else render(value)


def _moment(text):
    # Read as the business time zone's wall clock, in the reader's date format.
    moment = parse_datetime(text)
    if moment is None:
        return text
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")
