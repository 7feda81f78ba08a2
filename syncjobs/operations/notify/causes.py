"""What an alert is, and the registry of causes that find them.

A cause is one function ``find(check) -> [Alert]`` registered with ``@cause(kind, label)``
(see ``syncjobs.operations.alerts`` for the built-in ones). Rules name causes by ``kind``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from syncjobs.models import Connector, Severity


@dataclass(frozen=True)
class Link:
    """A console page named by URL name and arguments; made absolute with the public base URL."""

    label: str
    url_name: str
    args: tuple = ()


@dataclass(frozen=True)
class Alert:
    """What is wrong and where, with what a message needs to say it (facts, records, links)."""

    cause: str  # stable name of what is wrong and where, e.g. "flow-failing:customers"
    subject: str
    body: str
    severity: int = Severity.CRITICAL
    flow_ids: tuple = ()  # the flows concerned; empty when it is no flow's own problem
    flow_name: str = ""
    facts: tuple = ()  # ((label, value), ...): counts and figures
    records: tuple = ()  # ((record, reason), ...): the first records needing attention
    links: tuple = ()  # (Link, ...)

    @property
    def kind(self):
        return self.cause.split(":", 1)[0]


@dataclass(frozen=True)
class Cause:
    kind: str
    label: object  # lazy text
    find: Callable  # Check -> [Alert]


CAUSES = {}


def cause(kind, label):
    """Register ``find(check) -> [Alert]`` as the cause ``kind`` (shown to people as ``label``)."""

    def register(find):
        CAUSES[kind] = Cause(kind, label, find)
        return find

    return register


@dataclass
class Check:
    """What one alert check looks at; causes read from it so it is fetched once."""

    now: object
    state: object = None
    extra: dict = field(default_factory=dict)

    @cached_property
    def connectors(self):
        return list(Connector.objects.order_by("name"))


def cause_choices():
    """``(kind, label)`` of every registered cause, for rules."""
    return [(registered.kind, registered.label) for registered in CAUSES.values()]


def label_of(kind):
    registered = CAUSES.get(kind)
    return registered.label if registered else kind
