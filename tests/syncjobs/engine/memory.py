"""An in-memory system speaking the engine's adapter protocol (a test double of our own protocol).

Records live in dicts; every method call is logged so tests can count calls the way the
sandboxes' call logs count HTTP requests. Faults are queued per record key and operation.
"""

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

from syncjobs.adapters.base import SourceRecord, TargetRef, WriteResult
from syncjobs.engine.payloads import value_at

T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


class MemorySystem:
    """One connected system: ``records[obj][id] = {"data", "modified_at", "deleted", "status"}``."""

    system = "memory"

    def __init__(self, name, number_field="number"):
        self.name = name
        self.number_field = number_field
        self.records = {}
        self.calls = []
        self.faults = {}  # (operation, key) -> [error, ...] raised/reported in order
        self.call_faults = {}  # operation -> [error, ...] raised for the whole call
        self.sequence = itertools.count(1)
        self.now = T0
        self.since = []  # where each read_changed started
        self.fields = {}  # obj -> {mapping path (lower case): TargetField}, what the adapter knows

    # --- test helpers -----------------------------------------------------------------
    def add(self, obj, record_id, data, modified_at=None, number=None, deleted=False):
        self.records.setdefault(obj, {})[str(record_id)] = {
            "data": dict(data),
            "modified_at": modified_at or self.tick(),
            "number": number if number is not None else data.get(self.number_field, ""),
            "deleted": deleted,
            "status": "",
            "actions": [],
        }

    def tick(self, seconds=1):
        self.now += timedelta(seconds=seconds)
        return self.now

    def data(self, obj):
        return {rid: rec["data"] for rid, rec in self.records.get(obj, {}).items()}

    def fail(self, operation, key, *errors):
        self.faults.setdefault((operation, str(key)), []).extend(errors)

    def fail_call(self, operation, *errors):
        self.call_faults.setdefault(operation, []).extend(errors)

    def count(self, operation):
        return sum(1 for op, *_ in self.calls if op == operation)

    def _call(self, operation, obj):
        self.calls.append((operation, obj))
        queued = self.call_faults.get(operation)
        if queued:
            raise queued.pop(0)

    def _fault(self, operation, key):
        queued = self.faults.get((operation, str(key)))
        return queued.pop(0) if queued else None

    def _source(self, obj, record_id):
        rec = self.records[obj][record_id]
        data = dict(rec["data"])
        # A test stamps "saved_by_hub" on a record to play a system that reports its modifier.
        saved_by_hub = rec.get("saved_by_hub")
        return SourceRecord(record_id, rec["number"], rec["modified_at"], data, rec["deleted"], saved_by_hub)


class MemoryAdapter:
    """The ``SystemAdapter`` of one ``MemorySystem``."""

    def __init__(self, store):
        self.store = store
        self.system = store.system

    def read_changed(self, obj, since, options):
        self.store.since.append(since)
        rows = [
            (rec["modified_at"], rid)
            for rid, rec in self.store.records.get(obj, {}).items()
            if (since is None or rec["modified_at"] >= since)
            and (options.include_deleted or not rec["deleted"])
        ]
        rows.sort()
        size = options.page_size
        for start in range(0, max(len(rows), 1), size):
            self.store._call("read", obj)
            page = rows[start : start + size]
            if page:
                yield [self.store._source(obj, rid) for _stamp, rid in page]

    def read_ids(self, obj, ids, options):
        self.store._call("read_ids", obj)
        found = self.store.records.get(obj, {})
        return [self.store._source(obj, rid) for rid in ids if rid in found]

    def find_by(self, obj, field_path, values):
        self.store._call("find", obj)
        found = {}
        for rid, rec in self.store.records.get(obj, {}).items():
            value = value_at(rec["data"], field_path)
            if value is not None and str(value) in values:
                found.setdefault(str(value), []).append(TargetRef(rid, rec["number"]))
        return found

    def fetch_current(self, obj, ids, fields):
        self.store._call("fetch", obj)
        records = self.store.records.get(obj, {})
        return {rid: {f: value_at(records[rid]["data"], f) for f in fields} for rid in ids if rid in records}

    def write(self, obj, items):
        self.store._call("write", obj)
        return [self._write_one(obj, item) for item in items]

    def _write_one(self, obj, item):
        error = self.store._fault("write", item.key)
        if error is not None and not getattr(error, "applied", False):
            return WriteResult(item.key, ok=False, error=error)
        records = self.store.records.setdefault(obj, {})
        if item.target_id:
            rec = records[item.target_id]
            if rec["status"] == "audited":
                from connectors.k3cloud.errors import NotOperableError

                return WriteResult(item.key, ok=False, error=NotOperableError("already audited", code=12))
            rec["data"] = {**rec["data"], **item.payload}
            rec["modified_at"] = self.store.tick()
            rid = item.target_id
        else:
            rid = f"{self.store.name}-{next(self.store.sequence)}"
            number = value_at(item.payload, self.store.number_field) or f"N{rid}"
            self.store.add(obj, rid, item.payload, number=number)
        if error is not None:  # applied, then the answer was lost
            return WriteResult(item.key, ok=False, error=error)
        return WriteResult(
            item.key, ok=True, target=TargetRef(rid, records[rid]["number"]), response={"id": rid}
        )

    def post_action(self, obj, action, refs):
        name = action["action"]
        self.store._call(f"post:{name}", obj)
        outcome = {}
        for ref in refs:
            error = self.store._fault(f"post:{name}", ref.id)
            outcome[ref.id] = error
            if error is None:
                rec = self.store.records[obj][ref.id]
                rec["actions"].append(name)
                rec["status"] = {"audit": "audited", "unaudit": "draft"}.get(name, rec["status"])
        return outcome

    def update_fields(self, obj, record_id, values):
        self.store._call("update_fields", obj)
        error = self.store._fault("update_fields", record_id)
        if error is not None:
            raise error
        rec = self.store.records[obj][record_id]
        rec["data"] = {**rec["data"], **values}
        rec["modified_at"] = self.store.tick()

    def void(self, obj, ref):
        self.store._call("void", obj)
        self.store.records[obj][ref.id]["status"] = "void"

    def call_counts(self):
        return dict(Counter(op for op, _obj in self.store.calls))

    def target_fields(self, obj):
        return dict(self.store.fields.get(obj, {}))
