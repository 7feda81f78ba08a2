"""Helpers of the reliability suite: sites whose connectors never collide, waiting, counting.

Several processes (this test, ``qcluster`` workers, ``ctl`` commands) may share one database
(the suite's PostgreSQL test database); the sandbox connector builders give every connector a
slug of its own.
"""

import time
from collections import Counter

from tests.syncjobs.engine.scenarios import FAST, Hub
from tests.syncjobs.factories import make_flow, make_mapping


class Site(Hub):
    """A ``Hub`` (two seeded tenants and their connectors) with the reliability suite's flows."""

    def leads_from_materials(self, slug="leads", **fields):
        """ERP materials → CRM leads, every one a create: one CRM write call per record."""
        options = {**FAST, **fields.pop("options", {})}
        flow = make_flow(
            slug,
            source=self.erp,
            target=self.crm,
            source_object="BD_MATERIAL",
            target_object="LeadsObj",
            batch_size=fields.pop("batch_size", 4),
            options=options,
            **fields,
        )
        make_mapping(flow, "name", "FName", required=True, position=1)
        make_mapping(flow, "company", "FNumber", position=2)
        return flow

    def erp_contacts(self):
        """How often each (name, mobile) exists among the ERP's common contacts."""
        rows = self.records(self.erp, "BD_COMMONCONTACT", ["FName", "FMobile"]).values()
        return Counter((row["FName"], row["FMobile"]) for row in rows)

    def crm_contacts(self):
        rows = self.records(self.crm, "ContactObj", ["name", "mobile1"]).values()
        return {(row["name"], row["mobile1"]) for row in rows}


def wait_for(condition, timeout=90, every=0.05, what="the condition"):
    """Poll ``condition`` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def busiest_window(stamps, window_seconds):
    """The most calls that fall in any window of ``window_seconds`` (stamps in seconds, sorted)."""
    most, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= window_seconds:
            start += 1
        most = max(most, end - start + 1)
    return most
