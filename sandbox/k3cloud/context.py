"""Who is calling and when: the context every business operation runs in."""

from dataclasses import dataclass, field
from functools import cached_property

from sandbox import clock
from sandbox.k3cloud import wording
from sandbox.k3cloud.refs import RefIndex
from sandbox.k3cloud.values import cut_to_millis, moment_text

SYSTEM = "k3cloud"


@dataclass
class Op:
    """One operation: the tenant, the signed-in user's organisation and language, the time.

    ``now`` is the simulated ERP's clock (``sandbox.clock``), cut to milliseconds.
    """

    tenant: object
    org_id: int = 0
    lcid: int = 2052
    now: object = None
    switches: object = None
    faults: dict = field(default_factory=dict)  # the fault switches in force for this call
    session: object = None  # the caller's Session (None when there is none)
    drew: dict = field(default_factory=dict)  # this call's seeded draws of the ``*_rate`` switches
    # Who acts, when not the API user (a SEC_User id): a clerk of the simulation, so the
    # documents the clerks touch carry the clerk as FModifierId, as the real ERP stamps them.
    acting_user_id: int = 0

    def __post_init__(self):
        if self.now is None:
            self.now = cut_to_millis(clock.now(SYSTEM, self.switches))
        if not self.org_id:
            self.org_id = self.tenant.org_id

    @property
    def tenant_id(self):
        return self.tenant.id

    @property
    def user_id(self):
        return self.acting_user_id or self.tenant.user_id

    @property
    def now_text(self):
        return moment_text(self.now)

    @property
    def today_text(self):
        return self.now_text[:10] + "T00:00:00"

    @cached_property
    def messages(self):
        """The ERP's messages in this session's language (English for lcid 1033, else Chinese)."""
        return wording.for_lcid(self.lcid)

    @cached_property
    def refs(self):
        return RefIndex(self.tenant.id)
