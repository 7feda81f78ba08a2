"""What the admin's search boxes find among records and cross-references."""

from django.db.models import Q

from syncjobs.models import RecordStatus

# Statuses whose records carry an error text worth searching.
_SEARCHABLE_ERROR_STATUSES = (
    RecordStatus.FAILED,
    RecordStatus.DEAD,
    RecordStatus.WAITING,
    RecordStatus.SUPERSEDED,
    RecordStatus.IGNORED,
    RecordStatus.RESOLVED,
)


def search_records(queryset, term):
    """Records whose ids or numbers start with ``term``, or whose error text contains it.

    People type the first digits of a number (``CUST0001``), so ids and numbers match by
    prefix: a ``LIKE 'term%'`` each index can still serve (PostgreSQL under the C collation
    or with a pattern index; SQLite with its LIKE optimisation). Error text is only searched
    among records that can carry one, which keeps the scan off successful rows.
    """
    term = term.strip()
    if not term:
        return queryset
    return queryset.filter(
        Q(source_id__startswith=term)
        | Q(source_number__startswith=term)
        | Q(target_id__startswith=term)
        | Q(target_number__startswith=term)
        | Q(status__in=_SEARCHABLE_ERROR_STATUSES, error_message__icontains=term)
    )


def search_cross_references(queryset, term):
    """Cross-references whose id or number on either side equals ``term``."""
    term = term.strip()
    if not term:
        return queryset
    return queryset.filter(
        Q(source_id=term) | Q(source_number=term) | Q(target_id=term) | Q(target_number=term)
    )
