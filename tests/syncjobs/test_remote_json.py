"""Remote JSON keeps any text, NUL included, on every database (PostgreSQL's jsonb refuses U+0000)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncjobs.fields import ESCAPE, escape_nul, unescape_nul
from syncjobs.models import SyncBatch
from tests.syncjobs.factories import make_flow, make_run

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.sampled_from("a\x00\ue000e0字")),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet=st.sampled_from("k\x00\ue0000"), max_size=3), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(derandomize=True, database=None, max_examples=200)
@given(json_values)
def test_escaping_round_trips_any_value_and_leaves_no_nul(value):
    escaped = escape_nul(value)
    assert "\x00" not in json.dumps(escaped, ensure_ascii=False)
    assert unescape_nul(escaped) == value


def test_a_text_without_nul_or_the_escape_is_stored_as_it_is():
    assert escape_nul({"name": "上海", "n": [1, "a"]}) == {"name": "上海", "n": [1, "a"]}
    assert escape_nul("a\x00b") == f"a{ESCAPE}0b"
    assert escape_nul(f"a{ESCAPE}0") == f"a{ESCAPE}e0"


@pytest.mark.engine
@pytest.mark.django_db
def test_a_batch_stores_and_reads_back_a_record_holding_nul():
    run = make_run(make_flow())
    record = {"id": "1", "name": "上海\x00号", "lines": [{"\x00key": "x\x00"}]}
    batch = SyncBatch.objects.create(run=run, seq=1, records=[record], source_ids=["1"])
    assert SyncBatch.objects.get(pk=batch.pk).records == [record]
