"""Which filter conditions SQL answers (and so are not evaluated again) — pure, no HTTP."""

from django.db.models import Q
from django.utils import timezone

from sandbox.k3cloud.filters import parse
from sandbox.k3cloud.metadata import get_form
from sandbox.k3cloud.query.reading import split_filter
from sandbox.k3cloud.values import parse_moment

CUSTOMER = get_form("BD_Customer")


def moment(text):
    return timezone.make_aware(parse_moment(text))


def test_indexed_columns_go_to_sql_and_the_rest_stays():
    query, rest = split_filter(CUSTOMER, parse("FModifyDate >= '2025-01-01' and FName like '上海%'"))
    assert query == Q(modified_at__gte=moment("2025-01-01"))
    assert rest == parse("FName like '上海%'")


def test_status_and_primary_key_conditions_are_answered_whole():
    query, rest = split_filter(CUSTOMER, parse("FDocumentStatus in ('a', 'C') and FCUSTID > 10"))
    assert query == Q(document_status__in=["A", "C"]) & Q(id__gt=10)
    assert rest is None


def test_conditions_sql_cannot_take_stay_in_python():
    for text in (
        "FModifyDate >= 'not a date'",  # its conversion error is Python's to report
        "FCUSTID = 1.5",
        "FDocumentStatus <> 'C'",
        "FApproveDate > '2025-01-01' or FModifyDate > '2025-01-01'",
        "FDocumentStatus not in ('C')",
        "FCUSTID = FMASTERID",
    ):
        query, rest = split_filter(CUSTOMER, parse(text))
        assert (query, rest) == (Q(), parse(text)), text


def test_no_filter_selects_everything():
    assert split_filter(CUSTOMER, None) == (Q(), None)
