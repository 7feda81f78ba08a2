"""Reading Fxiaoke objects for the mapping: projections from paths, records, detail lines.

A record reaches the mapping as the CRM returns it (with its ``x__r`` companions), and a
master-detail record carries its lines as a list under the detail object's api name
(``SalesOrderProductObj``), fetched for a whole page with one ``IN`` query on the master ids.
"""

from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _

from connectors.errors import PermanentError
from syncjobs.adapters.base import SourceRecord, chunks

SYSTEM = "fxiaoke"
# The CRM answers at most 100 records a page and takes at most 100 values per IN we send.
MAX_PAGE = 100
# master object -> {detail object: the detail's field holding the master's _id}
DETAILS = {
    "SalesOrderObj": {"SalesOrderProductObj": "order_id"},
    "PaymentObj": {"OrderPaymentObj": "payment_id"},
    "DeliveryNoteObj": {"DeliveryNoteProductObj": "delivery_note_id"},
}
# Fields every read asks for, whatever the mapping reads: identity, change time and who made
# it, voided or not.
ALWAYS = ("_id", "name", "last_modified_time", "last_modified_by", "life_status")
DETAIL_ALWAYS = ("_id", "name")
OPEN_USER_PREFIX = "FSUID_"
SYSTEM_USER = "-10000"  # the CRM's own changes (workflows, approvals' field updates)
LIFE_STATUSES = ("ineffective", "under_review", "normal", "in_change", "invalid")
COMPANION_SUFFIXES = ("__r", "__l")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_ms(moment):
    """An aware datetime as the CRM's ms epoch."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def from_ms(value):
    """The aware (UTC) datetime of a ms epoch value, or None."""
    try:
        return _EPOCH + timedelta(milliseconds=int(value))
    except (TypeError, ValueError):
        return None


def field_name(segment):
    """The stored field a path segment reads: ``account_id__r`` is read with ``account_id``."""
    for suffix in COMPANION_SUFFIXES:
        if segment.endswith(suffix):
            return segment[: -len(suffix)]
    return segment


def detail_field(obj, detail):
    """The field of ``detail`` lines holding their ``obj`` master's ``_id``."""
    master_field = DETAILS.get(obj, {}).get(detail)
    if master_field is None:
        raise PermanentError(
            _(
                "%(detail)s is not a detail object of %(object)s known to the hub; detail lines can be "
                "read for %(known)s."
            )
            % {
                "detail": detail,
                "object": obj,
                "known": ", ".join(f"{m} → {', '.join(d)}" for m, d in DETAILS.items()),
            },
            system=SYSTEM,
            field=detail,
        )
    return master_field


class Projection:
    """Which fields to ask for, of the object and of each detail object, for some paths.

    No paths means everything: every field and every detail object's lines.
    """

    def __init__(self, obj, paths):
        self.obj = obj
        paths = [str(p).strip() for p in paths or () if str(p).strip()]
        self.everything = not paths
        self.fields, self.details = list(ALWAYS), {}
        for path in paths:
            head, _sep, rest = path.partition(".")
            if head.endswith("[]"):
                detail = head[:-2]
                names = self.details.setdefault(detail, [*DETAIL_ALWAYS, detail_field(obj, detail)])
                names.append(field_name(rest.split(".", 1)[0]) if rest else "_id")
            else:
                self.fields.append(field_name(head))
        if self.everything:
            self.details = {detail: None for detail in DETAILS.get(obj, {})}

    @property
    def master_fields(self):
        return None if self.everything else list(dict.fromkeys(self.fields))

    def detail_fields(self, detail):
        names = self.details[detail]
        return None if names is None else list(dict.fromkeys(names))

    def attach_details(self, client, records):
        """Put each detail object's lines on ``records`` (raw dicts): one IN query per detail."""
        ids = [record["_id"] for record in records if record.get("_id")]
        for detail in self.details:
            master_field = detail_field(self.obj, detail)
            lines = {}
            for chunk in chunks(ids, MAX_PAGE):
                query = client.query(
                    detail, [(master_field, "IN", chunk)], field_projection=self.detail_fields(detail)
                )
                for line in query:
                    lines.setdefault(line.get(master_field), []).append(line)
            for record in records:
                record[detail] = lines.get(record.get("_id"), [])


def source_record(data, api_user=None):
    """The ``SourceRecord`` of a CRM record (``data`` as returned, lines attached); ``api_user``
    is the openUserId the hub calls as."""
    return SourceRecord(
        id=str(data.get("_id")),
        number=str(data.get("name") or ""),
        modified_at=from_ms(data.get("last_modified_time")),
        data=data,
        deleted=data.get("life_status") == "invalid" or data.get("is_deleted") is True,
        saved_by_hub=saved_by(data.get("last_modified_by"), api_user),
    )


def saved_by(modifiers, api_user):
    """Whether ``last_modified_by`` names ``api_user``: True, False, or None when it cannot say.

    The field is a list of employee ids [D]. Legacy (corpAccessToken) calls, the hub's, see
    openUserIds (``FSUID_…``) there and "-10000" for the system; the spec has that from one
    source, and a captured record of the newer style carries CRM user ids ("1007") instead,
    which the hub cannot tie to its openUserId. So only a list of openUserIds and the system
    id is judged; any other id leaves the question open, and the echo is judged by its values
    alone, as when the field is missing. A bare string is read as a list of one.
    """
    if isinstance(modifiers, str):
        modifiers = [modifiers]
    if not api_user or not isinstance(modifiers, list) or not modifiers:
        return None
    ids = {str(modifier) for modifier in modifiers}
    if api_user in ids:
        return True
    comparable = all(i.startswith(OPEN_USER_PREFIX) or i == SYSTEM_USER for i in ids)
    return False if comparable else None


def scope_filters(options):
    """The flow's filter conditions, and (for reads that want voided records) every life status.

    The CRM leaves voided records out of a query unless a filter names ``life_status``.
    """
    filters = [dict(item) for item in options.source_filter or [] if isinstance(item, dict)]
    if options.include_deleted:
        filters.append({"field_name": "life_status", "operator": "IN", "field_values": list(LIFE_STATUSES)})
    return filters


def only(values, paths):
    """``values`` cut down to what ``paths`` name, in the shape of a mapped payload."""
    kept = {}
    for path in paths:
        head, _sep, rest = str(path).strip().partition(".")
        if head.endswith("[]"):
            detail = head[:-2]
            name = field_name(rest.split(".", 1)[0])
            lines = values.get(detail) or []
            existing = kept.setdefault(detail, [{} for _line in lines])
            for line, out in zip(lines, existing, strict=True):
                if name in line:
                    out[name] = line[name]
        elif head in values:
            kept[head] = values[head]
    return kept
