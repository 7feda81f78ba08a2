"""Reading K3Cloud forms for the mapping: field keys from paths, filters, rows back into records.

ExecuteBillQuery answers one flat row per entry row. A ``QueryShape`` says which field keys
to ask for (the mapping's source paths plus the keys the engine needs) and turns the rows of
one primary key back into one record: header values under the path the mapping reads
(``FCustId.FNumber``), entry lines as lists under the entry key (``FSaleOrderEntry``), each
line keyed by the rest of the path (``FMaterialId.FNumber``).
"""

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from connectors.errors import PermanentError
from connectors.k3cloud.query import in_condition, quote
from connectors.k3cloud.results import get_key
from syncjobs.adapters.base import SourceRecord
from syncjobs.adapters.k3cloud_forms import form_info
from syncjobs.adapters.values import business_zone

SYSTEM = "k3cloud"
COMPARE = {"EQ": "=", "N": "<>", "GT": ">", "GTE": ">=", "LT": "<", "LTE": "<="}
# How many values one ``in (...)`` condition lists; long lists are split into several queries.
IN_CHUNK = 200


def erp_moment(text):
    """An aware datetime from a K3Cloud date text (``2025-01-02T12:00:45.053``), or None."""
    if not text:
        return None
    moment = datetime.fromisoformat(str(text).replace(" ", "T", 1))
    return moment if moment.tzinfo else moment.replace(tzinfo=business_zone())


def erp_literal(moment):
    """A FilterString date literal in ERP local time. Seconds are floored: ``>=`` then errs
    on reading a boundary record again, never on missing one."""
    return moment.astimezone(business_zone()).strftime("%Y-%m-%d %H:%M:%S")


def plain(value):
    """Query values as the mapping wants them: amounts as exact decimal text, never floats."""
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return value


class Column:
    """One requested value: the field key sent, and where the value goes in the record."""

    def __init__(self, key, name, entry=None):
        self.key = key
        self.name = name
        self.entry = entry


class QueryShape:
    """The field keys of one query of ``form_id`` and how its rows become records."""

    def __init__(self, form_id, paths, *, with_status=False, api_user_id=None):
        paths = [str(p).strip() for p in paths or () if str(p).strip()]
        self.form = form_info(form_id).with_entries(_entry_names(paths))
        self.columns = [self._column(path) for path in dict.fromkeys(paths)]
        self.entries = list(dict.fromkeys(c.entry for c in self.columns if c.entry))
        self.with_status = with_status
        # The connector's own user (``Context.UserId``): set, the modifier is read and judged.
        self.api_user_id = api_user_id if self.form.modifier_key else None

    @property
    def keys(self):
        """FieldKeys: primary key, number, dates, statuses, entry ids, then the mapping's fields."""
        form = self.form
        keys = [form.pk, form.number_key, form.modify_date_key]
        if form.approve_date_key:
            keys.append(form.approve_date_key)
        if self.with_status:
            keys.append(form.deleted_key)
        if self.api_user_id:
            keys.append(form.modifier_key)
        keys += [form.entry_id_key(entry) for entry in self.entries]
        keys += [column.key for column in self.columns]
        return list(dict.fromkeys(keys))

    @property
    def order(self):
        """Primary key, then entry ids: rows of one record are adjacent and pages never shift."""
        keys = [self.form.pk] + [self.form.entry_id_key(entry) for entry in self.entries]
        return ", ".join(f"{key} ASC" for key in keys)

    def _column(self, path):
        line = _line_path(path)
        if line is not None:
            # "FEntity.0.FSoorDerno": one line's field (a header value taken from the first
            # line) is read as an entry column; the mapping picks the line by its position.
            return self._column(line)
        if "[]" not in path:
            return Column(self._header_key(path), path)
        entry, _sep, rest = path.partition("[].")
        if not rest or "[]" in rest:
            raise PermanentError(
                _(
                    "The K3Cloud field path “%(path)s” cannot be read: use “Entry[].Field” for an entry "
                    "field (entries inside entries are not read)."
                )
                % {"path": path},
                system=SYSTEM,
                field=path,
            )
        key = self.form.entry_id_key(entry) if rest.lower() == _entry_pk(self.form, entry).lower() else rest
        return Column(key, rest, entry)

    def _header_key(self, path):
        # Sub-head fields (FSaleOrderFinance.FBillAllAmount) are plain header keys in queries.
        head, dot, rest = path.partition(".")
        if dot and head.lower() in {s.lower() for s in self.form.subheads}:
            return rest
        return path

    # --- rows -> records -----------------------------------------------------------------
    def records(self, rows):
        """Group consecutive rows by primary key into ``SourceRecord``s, lazily.

        Rows come ordered by primary key, so a record's rows are adjacent even when they
        straddle a query page: the group in progress is simply carried on into the next page.
        """
        bucket, current = [], None
        for row in rows:
            pk = row.get(self.form.pk)
            if bucket and pk != current:
                yield self.record(bucket)
                bucket = []
            current = pk
            bucket.append(row)
        if bucket:
            yield self.record(bucket)

    def record(self, rows):
        """The ``SourceRecord`` of the rows of one primary key."""
        head, form = rows[0], self.form
        data = {c.name: plain(head.get(c.key)) for c in self.columns if c.entry is None}
        for entry in self.entries:
            data[entry] = self._lines(entry, rows)
        return SourceRecord(
            id=str(head.get(form.pk)),
            number=str(head.get(form.number_key) or ""),
            modified_at=_latest(head.get(form.modify_date_key), head.get(form.approve_date_key)),
            data=data,
            deleted=self.with_status and str(head.get(form.deleted_key) or "").upper() == "B",
            saved_by_hub=saved_by(head.get(form.modifier_key), self.api_user_id),
        )

    def _lines(self, entry, rows):
        # With two entry tables the ERP answers their cross product: each line is kept once.
        id_key, columns = self.form.entry_id_key(entry), [c for c in self.columns if c.entry == entry]
        lines = {}
        for row in rows:
            entry_id = row.get(id_key)
            if entry_id and entry_id not in lines:
                lines[entry_id] = {c.name: plain(row.get(c.key)) for c in columns}
        return list(lines.values())


def keyset_rows(client, shape, condition, limit):
    """The query's rows, page after page, each page taken after the last complete record.

    Pages go by primary key (``FID > last``) rather than by StartRow, so records saved,
    cancelled or deleted during a long pull never shift rows past a page boundary. A full
    page's last record may have more rows beyond it: those rows are asked for again with
    the next page. A record with more rows than a page holds is read alone, page by page.
    """
    pk, last = shape.form.pk, None
    while True:
        bounded = join([condition, f"{pk} > {last}"] if last is not None else [condition])
        rows = list(
            client.query(
                shape.form.form_id, shape.keys, bounded, shape.order, page_size=limit, max_rows=limit
            )
        )
        if len(rows) < limit:
            yield from rows
            return
        tail = rows[-1].get(pk)
        complete = [row for row in rows if row.get(pk) != tail]
        if complete:
            yield from complete
            last = complete[-1].get(pk)
            continue
        single = join([condition, f"{pk} = {tail}"])
        yield from client.query(shape.form.form_id, shape.keys, single, shape.order, page_size=limit)
        last = tail


def saved_by(modifier, api_user_id):
    """Whether FModifierId names the connector's user: True, False, or None when either is unknown.

    A bare reference key answers the user's id in ExecuteBillQuery [spec]; a reference
    object (``{"Id": …}``, as View answers) is read too. 0 is the ERP's "nobody" (its
    columns default to 0), so it says nothing. Audit stamps FApproverId and leaves the
    modifier alone: a clerk's audit of what the hub saved still names the hub, and the new
    status is then told apart by its value.
    """
    if isinstance(modifier, dict):
        modifier = get_key(modifier, "Id")
    if modifier in (None, "", 0, "0") or not api_user_id:
        return None
    return str(modifier) == str(api_user_id)


def _entry_names(paths):
    paths = [_line_path(path) or path for path in paths]
    return [path.split("[]", 1)[0] for path in paths if "[]" in path]


def _line_path(path):
    """``Entry[].Field`` for a path naming one line by position (``Entry.0.Field``), else None."""
    entry, _sep, rest = path.partition(".")
    position, _sep, field = rest.partition(".")
    if "[]" in path or not position.isdigit() or not field:
        return None
    return f"{entry}[].{field}"


def _entry_pk(form, entry):
    return next((pk for key, pk in form.entries.items() if key.lower() == entry.lower()), "FEntryID")


def _latest(*texts):
    moments = [erp_moment(text) for text in texts if text]
    return max(moments) if moments else None


# --- filters ------------------------------------------------------------------------------


def changed_filter(form, since, options):
    """The FilterString of an incremental pull of ``form`` (an instance of ``FormInfo``)."""
    parts = []
    if since is not None:
        literal = quote(erp_literal(since))
        dates = [f"{form.modify_date_key} >= {literal}"]
        if form.approve_date_key:
            # A document audited after its last save has an old FModifyDate: audit does not touch it.
            dates.append(f"{form.approve_date_key} >= {literal}")
        parts.append("(" + " or ".join(dates) + ")")
    return join(parts + scope_conditions(form, options))


def scope_conditions(form, options):
    """Status, original-copy and flow conditions shared by every read of a flow's records."""
    parts = [f"{form.status_key} = 'C'"] if options.audited_only else []
    if options.audited_only and not form.is_bill:
        parts.append("FForbidStatus = 'A'")  # audited and in use
    elif not options.include_deleted:
        parts.append(f"{form.deleted_key} <> 'B'")
    if form.master_key:
        # Allocated copies share the number of their original; only the original is synced.
        parts.append(f"{form.master_key} = {form.pk}")
    parts += flow_conditions(options.source_filter)
    return parts


def flow_conditions(source_filter):
    """A flow's filter as FilterString parts: a string, or a list of strings or conditions."""
    if not source_filter:
        return []
    items = [source_filter] if isinstance(source_filter, str) else list(source_filter)
    return [f"({item})" if isinstance(item, str) else _condition(item) for item in items]


def _condition(item):
    field_name, operator = item.get("field_name"), str(item.get("operator", "")).upper()
    values = item.get("field_values")
    values = values if isinstance(values, list) else [values]
    if operator in ("IN", "NIN"):
        condition = in_condition(field_name, values)
        return condition.replace(" in (", " not in (", 1) if operator == "NIN" else condition
    if operator == "LIKE":
        return f"{field_name} like {quote('%' + str(values[0]) + '%')}"
    if operator in COMPARE and field_name:
        return f"{field_name} {COMPARE[operator]} {quote(values[0])}"
    raise PermanentError(
        _(
            "The flow's source filter condition %(condition)s cannot be sent to K3Cloud: use EQ, N, GT, GTE, "
            "LT, LTE, IN, NIN or LIKE, or write a K3Cloud filter string."
        )
        % {"condition": item},
        system=SYSTEM,
    )


def join(parts):
    return " and ".join(part for part in parts if part)
