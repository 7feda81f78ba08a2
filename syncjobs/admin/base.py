"""Shared pieces for the admin: bounded counting for big tables, read-only audit admins, exports,
date ranges."""

import datetime
import json

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from syncjobs.exports.formats import AuditCSV, AuditXLSX, ConfigCSV, ConfigJSON, ConfigXLSX

CONFIG_FORMATS = [ConfigJSON, ConfigCSV, ConfigXLSX]
AUDIT_FORMATS = [AuditCSV, AuditXLSX]


class BoundedCountPaginator(Paginator):
    """Counts at most a few pages beyond the one asked for, never the whole table.

    A changelist over millions of records would otherwise run ``COUNT(*)`` on every view.
    ``capped`` tells the template to say "more than" instead of a total.
    """

    def __init__(self, object_list, per_page, *, page_hint=1, pages_ahead=10, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.page_hint = max(page_hint, 1)
        self.pages_ahead = pages_ahead
        self.capped = False

    @cached_property
    def count(self):
        limit = (self.page_hint + self.pages_ahead) * self.per_page
        counted = self.object_list.order_by()[: limit + 1].count()
        self.capped = counted > limit
        return min(counted, limit)


class LargeTableMixin:
    """For changelists over very large tables: no full count, a bounded paginator."""

    show_full_result_count = False
    paginator = BoundedCountPaginator
    list_per_page = 50

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        try:
            page_hint = int(request.GET.get(PAGE_VAR, 1))
        except ValueError:
            page_hint = 1
        return self.paginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            page_hint=page_hint,
        )


class ReadOnlyMixin:
    """Audit data: viewed and exported, never added, edited or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlainLinksMixin:
    """Related objects the user may not open are shown as plain text, not as links to a 403.

    The admin links every read-only foreign key to its change page whatever the reader may
    see; a finance reviewer reading a run would land on the flow's forbidden page.
    """

    # field → the permission its link needs
    links_need = {
        "flow": "syncjobs.view_syncflow",
        "run": "syncjobs.view_syncrun",
        "mapping_version": "syncjobs.view_mappingversion",
        "requested_by": "auth.view_user",
    }

    def get_fieldsets(self, request, obj=None):
        unlinked = {name for name, perm in self.links_need.items() if not request.user.has_perm(perm)}
        if not unlinked:
            return super().get_fieldsets(request, obj)
        return [
            (title, {**options, "fields": _renamed(options["fields"], unlinked)})
            for title, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("flow"))
    def flow_text(self, obj):
        return str(obj.flow)

    @admin.display(description=_("run"))
    def run_text(self, obj):
        return str(obj.run)

    @admin.display(description=_("mapping version"))
    def mapping_version_text(self, obj):
        return str(obj.mapping_version) if obj.mapping_version_id else "–"

    @admin.display(description=_("requested by"))
    def requested_by_text(self, obj):
        return obj.requested_by.get_username() if obj.requested_by_id else "–"


def _renamed(fields, unlinked):
    return [
        tuple(_renamed(field, unlinked)) if isinstance(field, list | tuple) else _text_name(field, unlinked)
        for field in fields
    ]


def _text_name(field, unlinked):
    return f"{field}_text" if field in unlinked else field


def pretty_json(value):
    """JSON shown in a monospace block (escaped)."""
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2, default=str))


class DateRangeFilter(DateFieldListFilter):
    """Django's date presets plus "Last month" and a from–until range of whole days.

    The range's dates are inclusive and read in the console's time zone: "until 30 Nov"
    keeps everything up to midnight that ends the 30th.
    """

    template = "admin/syncjobs/date_range_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_kwarg_from = f"{field_path}__from"
        self.lookup_kwarg_to = f"{field_path}__until"
        self.links = self._with_last_month(self.links)
        self.hidden_params = []
        # The dates typed into the range's boxes, shown there again.
        self.from_value = self.date_params.get(self.lookup_kwarg_from, "")
        self.until_value = self.date_params.get(self.lookup_kwarg_to, "")

    def _with_last_month(self, links):
        this_month = dict(links[3][1])[self.lookup_kwarg_since]
        last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
        link = (_("Last month"), {self.lookup_kwarg_since: last_month, self.lookup_kwarg_until: this_month})
        return (*links[:4], link, *links[4:])

    def expected_parameters(self):
        return [*super().expected_parameters(), f"{self.field_path}__from", f"{self.field_path}__until"]

    def has_output(self):
        return True

    def choices(self, changelist):
        # The range form sends only its two dates; the other filters ride along as hidden fields.
        self.hidden_params = [
            (name, value)
            for name, value in changelist.params.items()
            if not name.startswith(self.field_generic) and name not in (PAGE_VAR, ERROR_FLAG)
        ]
        yield from super().choices(changelist)

    def queryset(self, request, queryset):
        bounds = {}
        for name, lookup, days in ((self.lookup_kwarg_from, "gte", 0), (self.lookup_kwarg_to, "lt", 1)):
            values = self.used_parameters.pop(name, None) or [""]
            if values[-1]:
                bounds[f"{self.field_path}__{lookup}"] = _day_start(values[-1], days)
        return super().queryset(request, queryset).filter(**bounds)


def _day_start(text, days_after):
    """Midnight (console time zone) at the start of the day ``text`` names, plus ``days_after`` days."""
    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise IncorrectLookupParameters(exc) from exc
    start = datetime.datetime.combine(day + datetime.timedelta(days=days_after), datetime.time())
    return timezone.make_aware(start)
