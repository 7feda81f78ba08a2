"""Shared pieces for the admin: bounded counting for big tables, read-only audit admins, exports."""

import json

from django.contrib.admin.views.main import PAGE_VAR
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.html import format_html

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


def pretty_json(value):
    """JSON shown in a monospace block (escaped)."""
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2, default=str))
