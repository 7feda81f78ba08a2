"""The Fxiaoke (纷享销客) adapter: the engine's protocol over ``FxiaokeClient``.

Reads are ``data/query`` pulls by ``last_modified_time`` with the client's ``_id`` cursor;
the CRM has no bulk write, so writes go one record at a time under the client's shared rate
limit, each with its own outcome.
"""

import logging

from connectors.errors import (
    CircuitOpenError,
    ConnectorError,
    PermanentError,
    QuotaExhaustedError,
    RateLimitedError,
)
from syncjobs.adapters import fxiaoke_notify
from syncjobs.adapters.base import TargetRef, WriteResult, chunks
from syncjobs.adapters.fxiaoke_read import (
    DETAILS,
    MAX_PAGE,
    SYSTEM,
    Projection,
    detail_field,
    only,
    scope_filters,
    source_record,
    to_ms,
)
from syncjobs.adapters.fxiaoke_write import split_details, sync_lines
from syncjobs.adapters.values import for_fxiaoke
from syncjobs.mapping.targets import DECIMAL, TEXT, TargetField

# Field types of the describe whose values are text, and those that are numbers (sent as
# decimal text). Selects, dates, lookups and people are left to the CRM's own checks.
TEXT_TYPES = frozenset({"text", "long_text", "email", "phone_number", "url", "auto_number"})
NUMBER_TYPES = frozenset({"number", "currency", "percentile"})

# After one of these no further call of the batch can succeed now: the remaining items get
# the same error without being sent (so none of them is left with an unknown outcome). Not
# AuthenticationError: the CRM also answers that for a record naming an unknown employee.
STOPPING_ERRORS = (QuotaExhaustedError, CircuitOpenError, RateLimitedError)
logger = logging.getLogger(__name__)


class FxiaokeAdapter:
    """One Fxiaoke company, as the sync engine sees it. Not shared between threads."""

    system = SYSTEM

    def __init__(self, client):
        self.client = client
        self._describes = {}

    # --- reading -------------------------------------------------------------------------
    def read_changed(self, obj, since, options):
        """Pages of records with ``last_modified_time`` at or after ``since``, in ``_id`` order.

        The client pages by ``_id`` cursor (no offset cap); each page's detail lines come
        with one ``IN`` query per detail object. Voided records are read only when
        ``options.include_deleted`` (then with ``deleted=True``).
        """
        filters = scope_filters(options)
        if since is not None:
            filters.append(("last_modified_time", "GTE", [str(to_ms(since))]))
        yield from self._pages(obj, filters, Projection(obj, options.fields), options.page_size)

    def read_ids(self, obj, ids, options):
        """The records with these ``_id``s (within the flow's filter); unknown ids are absent."""
        projection = Projection(obj, options.fields)
        records = []
        for chunk in chunks(ids, MAX_PAGE):
            filters = [*scope_filters(options), ("_id", "IN", chunk)]
            for page in self._pages(obj, filters, projection, MAX_PAGE):
                records += page
        return records

    def fetch_current(self, obj, ids, fields):
        """``{id: values}`` of the fields named (detail lines as lists), as a payload is shaped."""
        # No fields named: ask for the id alone rather than for everything.
        projection = Projection(obj, [f for f in fields if f] or ["_id"])
        found = {}
        for chunk in chunks(ids, MAX_PAGE):
            for page in self._pages(obj, [("_id", "IN", chunk)], projection, MAX_PAGE):
                found.update({record.id: only(record.data, fields) for record in page})
        return found

    def find_by(self, obj, field_path, values):
        """``{value: [TargetRef]}``: one ``IN`` query per 100 values (voided records left out)."""
        name = field_path.split(".", 1)[0]
        wanted = [str(v) for v in values if v not in (None, "")]
        found = {}
        for chunk in chunks(wanted, MAX_PAGE):
            query = self.client.query(obj, [(name, "IN", chunk)], field_projection=["_id", "name", name])
            for record in query:
                key = str(record.get(name))
                if key in chunk:
                    found.setdefault(key, []).append(TargetRef(record["_id"], str(record.get("name") or "")))
        return found

    def _pages(self, obj, filters, projection, page_size):
        size = max(1, min(int(page_size), MAX_PAGE))
        rows = self.client.query(obj, filters, field_projection=projection.master_fields, page_size=size)
        page = []
        for row in rows:
            page.append(row)
            if len(page) == size:
                yield self._finish(page, projection)
                page = []
        if page:
            yield self._finish(page, projection)

    def _finish(self, page, projection):
        projection.attach_details(self.client, page)
        api_user = self.client.resolve_open_user_id()  # the configured or cached openUserId
        return [source_record(row, api_user) for row in page]

    # --- writing -------------------------------------------------------------------------
    def write(self, obj, items):
        """Create or update each item on its own; one ``WriteResult`` per item, in order.

        A master-detail payload carries its lines under the detail object's api name: they
        go in ``details`` on create, and are matched line by line on update. One item's
        failure never stops the others, except errors that no call can get past now
        (quota, open circuit, rate budget): the items after it get the same error unsent.
        """
        results, stop = [], None
        for item in items:
            if stop is not None:
                results.append(WriteResult(item.key, False, error=stop, response=_excerpt(stop)))
                continue
            result = self._write_one(obj, item)
            if isinstance(result.error, STOPPING_ERRORS):
                stop = result.error
            results.append(result)
        return self._with_numbers(obj, results)

    def _write_one(self, obj, item):
        data, details = split_details(for_fxiaoke(item.payload), DETAILS.get(obj, {}))
        try:
            if item.target_id:
                target_id = self._update(obj, item, data, details)
            else:
                target_id = self.client.create(obj, data, details or None)
        except ConnectorError as error:
            return WriteResult(item.key, False, error=error, response=_excerpt(error))
        target = TargetRef(str(target_id), str(data.get("name") or ""))
        return WriteResult(item.key, True, target=target, response={"dataId": target_id})

    def _update(self, obj, item, data, details):
        if item.update_fields is not None:
            data = {key: value for key, value in data.items() if key in set(item.update_fields)}
            details = {key: lines for key, lines in details.items() if key in set(item.update_fields)}
        target_id = self.client.update(obj, item.target_id, data) if data else item.target_id
        for detail, lines in details.items():
            sync_lines(self.client, detail, detail_field(obj, detail), item.target_id, lines)
        return target_id

    def _with_numbers(self, obj, results):
        """Fill in the numbers (names) the CRM gave records created without one: one query."""
        unnamed = [r.target.id for r in results if r.ok and not r.target.number]
        if not unnamed:
            return results
        names = {}
        try:
            for chunk in chunks(unnamed, MAX_PAGE):
                query = self.client.query(obj, [("_id", "IN", chunk)], field_projection=["_id", "name"])
                names.update({record["_id"]: str(record.get("name") or "") for record in query})
        except ConnectorError:
            return results  # the writes stand; the numbers are read again with the record later
        for result in results:
            if result.ok and result.target.id in names and not result.target.number:
                result.target = TargetRef(result.target.id, names[result.target.id])
        return results

    def update_fields(self, obj, record_id, values):
        """Update only ``values`` on record ``record_id`` (e.g. the ERP number written back)."""
        self.client.update(obj, record_id, for_fxiaoke(values))

    def post_action(self, obj, action, refs):
        """``{ref id: error or None}``; the one action is ``notify_owner`` (see ``fxiaoke_notify``)."""
        if not refs:
            return {}
        if action.get("action") != "notify_owner":
            error = fxiaoke_notify.unknown_action(action.get("action"))
            return {ref.id: error for ref in refs}
        try:
            return fxiaoke_notify.notify_owner(self, obj, action, refs)
        except ConnectorError as error:
            return {ref.id: error for ref in refs}

    def void(self, obj, ref):
        """Void (作废) the record; raises on failure."""
        self.client.invalid(obj, ref.id)

    def call_counts(self):
        """Calls made today by this connector, per interface path (shared counters)."""
        return self.client.call_counts()

    # --- metadata ------------------------------------------------------------------------
    def describe(self, obj):
        """The object's parsed describe, asked once per adapter."""
        if obj not in self._describes:
            self._describes[obj] = self.client.describe(obj)
        return self._describes[obj]

    def field_names(self, obj):
        return {field["api_name"] for field in self.describe(obj)["fields"]}

    def target_fields(self, obj):
        """``{api name (lower case): TargetField}`` for the text and number fields the describe lists.

        A number's decimal places come from the describe; how many digits it may have before
        the point is not reported there, so only the places are checked. An object the CRM
        refuses to describe (no permission, say) is written unchecked, as before the check
        existed, rather than not at all; a transient failure propagates, to be retried.
        """
        try:
            described = self.describe(obj)["fields"]
        except PermanentError as error:
            logger.warning("No describe of %s (%s): its payloads are sent unchecked", obj, error)
            return {}
        fields = {}
        for field in described:
            kind = field_kind(field)
            if kind is not None:
                fields[field["api_name"].lower()] = kind
        return fields

    def lookup_target(self, obj, field_name):
        """The object a lookup field of ``obj`` points to, or None."""
        found = next((f for f in self.describe(obj)["fields"] if f["api_name"] == field_name), None)
        return found and found.get("target_api_name")


def field_kind(field):
    """The ``TargetField`` of one parsed describe field, or None for a type the hub leaves alone."""
    if field["type"] in TEXT_TYPES:
        return TargetField(TEXT)
    if field["type"] in NUMBER_TYPES:
        return TargetField(DECIMAL, scale=field.get("decimal_places"))
    return None


def _excerpt(error):
    return {"error": type(error).__name__, "code": error.code, "message": str(error)[:500]}
