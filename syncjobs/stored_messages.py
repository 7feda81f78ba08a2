"""Messages stored with their id and parameters, and rendered in the reader's language when read.

A record's failure reason is written once, by a worker, in the worker's language. Kept as
``{"id": msgid, "params": {...}}`` beside the text, it is translated again for whoever reads
it; parameters may be messages themselves (a record error wrapping a mapping error), lists
of messages (several fields failed, read joined by "; "), or plain text the hub does not
translate (a target system's own words, numbers, values).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext


class Message:
    """A message id (the English text) and its parameters; ``str()`` renders it now."""

    def __init__(self, msgid, **params):
        self.msgid = msgid
        self.params = params

    def as_message_data(self):
        return {"id": self.msgid, "params": {name: to_data(value) for name, value in self.params.items()}}

    def __str__(self):
        return render(self.as_message_data())


def to_data(value):
    """``value`` as stored: messages (or errors that can say theirs) as data, anything else as text."""
    if hasattr(value, "as_message_data"):
        return value.as_message_data()
    if isinstance(value, Promise):
        return {"id": msgid_of(value), "params": {}}
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
    if not (isinstance(data, dict) and isinstance(data.get("id"), str)):
        return "" if data is None else str(data)
    params = {name: render(value) for name, value in (data.get("params") or {}).items()}
    text = gettext(data["id"])
    if not params:
        return text
    try:
        return text % params
    except (KeyError, ValueError, TypeError):  # a catalogue whose entry lost a placeholder
        return data["id"] % params
