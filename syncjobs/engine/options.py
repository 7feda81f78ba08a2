"""A flow's engine settings, read from ``SyncFlow.options`` with defaults and checks."""

from dataclasses import dataclass, field, fields, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils.translation import gettext as _

AUDITED_UPDATE_RULES = ("unaudit", "fail")
DELETED_RULES = ("ignore", "void")
WRITE_BACK_VALUES = ("target_number", "target_id")
MAX_PAGE_SIZE = 2000
# A gathering queued run holds a worker while it waits: keep the wait short.
MAX_GATHER_SECONDS = 30


class OptionsError(ValueError):
    """An option of the flow has a value the engine cannot use; the message names it."""


def _retry_base():
    return settings.INTEGRATION_HUB_RETRY_BASE_SECONDS


def _retry_cap():
    return settings.INTEGRATION_HUB_RETRY_CAP_SECONDS


def _workers():
    return settings.Q_CLUSTER.get("workers", 1)


def _time_zone():
    return settings.TIME_ZONE


@dataclass(frozen=True)
class FlowOptions:
    """What a flow may tune (``SyncFlow.options``); every key is optional.

    - ``max_attempts``: write attempts per record before it is ``dead``.
    - ``retry_base_seconds`` / ``retry_cap_seconds``: exponential backoff with full jitter.
    - ``overlap_seconds``: how far before the watermark each pull starts: covers records the
      source stamps before it commits them, and clock skew between the source and the hub.
    - ``lease_seconds``: a run or batch without a heartbeat for this long is resumed elsewhere.
    - ``page_size``: records per read call; ``parallel_batches``: workers sharing one run.
    - ``audited_only``: read only audited, enabled K3Cloud records.
    - ``audited_update``: ``"unaudit"`` (UnAudit → Save → Audit) or ``"fail"``.
    - ``on_source_deleted``: ``"ignore"`` or ``"void"`` (void or forbid the target).
    - ``write_back``: ``{source field: "target_number" | "target_id"}`` written onto the source.
    - ``compare_before_update``: read the target before each update and skip equal ones.
    - ``parent_sync``: sync a missing parent record before making its child wait.
    - ``time_zone``: the business time zone dates are read and written in.
    - ``dry_run_limit``: how many source records a dry run evaluates.
    - ``verify_base_data``: K3Cloud targets check every base-data reference (IsVerifyBaseDataField),
      so a number the ERP does not have fails the record, naming the field; ``false`` lets the
      ERP leave such a field blank and save the record anyway (its own default).
    - ``lag_threshold_minutes``: how far behind its source the flow may fall before the
      dashboard stops calling it healthy and the lag alert counts; 0 (the default) means three
      schedule intervals (``syncjobs.queries.lag``).
    - ``gather_seconds``: how long a run queued by the source's webhook waits before it
      starts, so that the edits of those seconds join it and share one read instead of each
      starting a run of its own; 0 starts it at once.
    """

    max_attempts: int = 5
    retry_base_seconds: float = field(default_factory=_retry_base)
    retry_cap_seconds: float = field(default_factory=_retry_cap)
    overlap_seconds: float = 120.0
    lease_seconds: float = 120.0
    page_size: int = 0
    parallel_batches: int = field(default_factory=_workers)
    audited_only: bool = False
    audited_update: str = "unaudit"
    on_source_deleted: str = "ignore"
    write_back: dict = field(default_factory=dict)
    compare_before_update: bool = False
    parent_sync: bool = True
    time_zone: str = field(default_factory=_time_zone)
    dry_run_limit: int = 20
    verify_base_data: bool = True
    lag_threshold_minutes: float = 0
    gather_seconds: float = 3.0

    @classmethod
    def of(cls, flow):
        """The options of ``flow``; raise ``OptionsError`` naming the first bad one."""
        raw = flow.options if isinstance(flow.options, dict) else {}
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in raw.items() if key in known}
        options = cls(**values)
        options.check()
        if not options.page_size:
            options = replace(options, page_size=min(max(flow.batch_size, 100), MAX_PAGE_SIZE))
        return options

    def check(self):
        for name in ("max_attempts", "parallel_batches", "dry_run_limit"):
            _whole(name, getattr(self, name), low=1)
        _whole("page_size", self.page_size, low=0, high=MAX_PAGE_SIZE)
        for name in ("retry_base_seconds", "retry_cap_seconds", "overlap_seconds", "lease_seconds"):
            _number(name, getattr(self, name))
        _number("gather_seconds", self.gather_seconds, high=MAX_GATHER_SECONDS)
        _minutes("lag_threshold_minutes", self.lag_threshold_minutes)
        _choice("audited_update", self.audited_update, AUDITED_UPDATE_RULES)
        _choice("on_source_deleted", self.on_source_deleted, DELETED_RULES)
        for name in ("audited_only", "compare_before_update", "parent_sync", "verify_base_data"):
            if not isinstance(getattr(self, name), bool):
                raise OptionsError(_("Flow option “%(name)s” must be true or false.") % {"name": name})
        self._check_write_back()
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise OptionsError(
                _("Flow option “time_zone” must be a time zone name such as “Asia/Shanghai”.")
            ) from None

    def _check_write_back(self):
        if not isinstance(self.write_back, dict) or any(
            not isinstance(key, str) or value not in WRITE_BACK_VALUES
            for key, value in self.write_back.items()
        ):
            raise OptionsError(
                _(
                    "Flow option “write_back” must map source fields to “target_number” or "
                    "“target_id”, e.g. {“field_erp_no__c”: “target_number”}."
                )
            )


def _whole(name, value, low, high=None):
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
        raise OptionsError(
            _("Flow option “%(name)s” must be a whole number of at least %(low)s.")
            % {"name": name, "low": low}
        )


def _number(name, value, high=None):
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise OptionsError(
            _("Flow option “%(name)s” must be a number of seconds, 0 or more.") % {"name": name}
        )
    if high is not None and value > high:
        raise OptionsError(
            _("Flow option “%(name)s” must be at most %(high)s seconds.") % {"name": name, "high": high}
        )


def _minutes(name, value):
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise OptionsError(
            _("Flow option “%(name)s” must be a number of minutes, 0 or more.") % {"name": name}
        )


def _choice(name, value, choices):
    if value not in choices:
        raise OptionsError(
            _("Flow option “%(name)s” must be one of: %(choices)s.")
            % {"name": name, "choices": ", ".join(choices)}
        )
