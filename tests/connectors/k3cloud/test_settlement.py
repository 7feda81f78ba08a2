"""``settled_call``: what happens around a lost answer, with stand-in calls (no HTTP)."""

import random

import pytest

from connectors.errors import OutcomeUnknownError, TransientError
from connectors.k3cloud.errors import NotOperableError, ValidationFailedError
from connectors.k3cloud.results import OperationResult, ResponseStatus
from connectors.k3cloud.workflow import REACHED, NotAppliedError, settled_call
from connectors.retrying import RetryPolicy

DONE = OperationResult("Audit", ResponseStatus(True, 0, None))


class Api:
    def __init__(self):
        self.sleeps = []
        self.retry_policy = RetryPolicy(
            max_attempts=4, base_seconds=1, cap_seconds=2, sleep=self.sleeps.append, rng=random.Random(1)
        )

    def log_retry(self, operation):
        return None


def scripted(*steps):
    """A call that raises or returns the given steps in turn, counting how often it ran."""
    steps = list(steps)
    calls = []

    def call():
        calls.append(1)
        step = steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    return call, calls


def test_a_call_that_answers_is_not_settled():
    call, calls = scripted(DONE)
    assert settled_call(Api(), "Audit", call, lambda refusal: pytest.fail("no settlement")) is DONE
    assert len(calls) == 1


def test_a_lost_answer_that_took_effect_is_settled_without_repeating():
    call, calls = scripted(OutcomeUnknownError("lost"))
    settled = OperationResult("Audit", ResponseStatus(True, 0, None), settled=True)

    assert settled_call(Api(), "Audit", call, lambda refusal: settled) is settled
    assert len(calls) == 1


def test_a_lost_answer_that_changed_nothing_is_repeated():
    api = Api()
    call, calls = scripted(OutcomeUnknownError("lost"), DONE)

    def settle(refusal):
        raise NotAppliedError("not applied")

    assert settled_call(api, "Audit", call, settle) is DONE
    assert len(calls) == 2 and len(api.sleeps) == 1


def test_a_refused_repeat_after_a_lost_answer_is_settled_by_reading_again():
    # The first call was still running when the documents were read; its repeat is refused.
    call, calls = scripted(OutcomeUnknownError("lost"), NotOperableError("单据已经审核！"))
    reads = iter([NotAppliedError("not applied"), DONE])

    def settle(refusal):
        outcome = next(reads)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert settled_call(Api(), "Audit", call, settle) is DONE
    assert len(calls) == 2


def test_a_refusal_without_a_lost_answer_is_raised_at_once():
    call, calls = scripted(ValidationFailedError("字段“客户”是必填项"))
    with pytest.raises(ValidationFailedError):
        settled_call(Api(), "Audit", call, lambda refusal: pytest.fail("no settlement"))
    assert len(calls) == 1


def test_a_refused_repeat_whose_documents_did_not_change_raises_the_refusal():
    refusal = NotOperableError("只有审核中的数据才允许审核！")
    call, _ = scripted(OutcomeUnknownError("lost"), refusal)
    reads = iter([NotAppliedError("not applied"), refusal])

    def settle(seen):
        raise next(reads) if seen is None else seen

    with pytest.raises(NotOperableError) as raised:
        settled_call(Api(), "Audit", call, settle)
    assert raised.value is refusal


@pytest.mark.parametrize(
    ("operation", "document", "reached"),
    [
        ("Submit", {"DocumentStatus": "B"}, True),
        ("Submit", {"DocumentStatus": "C"}, True),
        ("Submit", {"DocumentStatus": "A"}, False),
        ("Audit", {"DocumentStatus": "C"}, True),
        ("UnAudit", {"DocumentStatus": "D"}, True),
        ("UnAudit", {"DocumentStatus": "C"}, False),
        ("Delete", None, True),
        ("Delete", {"DocumentStatus": "A"}, False),
        ("forbid", {"ForbidStatus": "B"}, True),
        ("enable", {"ForbidStatus": "B"}, False),
        ("cancel", {"CancelStatus": "B"}, True),
    ],
)
def test_what_each_operation_leaves_behind(operation, document, reached):
    assert REACHED[operation](document) is reached


def test_when_reading_back_fails_the_outcome_stays_unknown_and_nothing_is_repeated():
    call, calls = scripted(OutcomeUnknownError("K3Cloud did not answer Audit."))

    def settle(refusal):
        raise TransientError("cannot reach k3cloud")

    with pytest.raises(OutcomeUnknownError) as raised:
        settled_call(Api(), "Audit", call, settle)
    assert len(calls) == 1
    assert "did not answer Audit" in raised.value.message and "cannot reach" in raised.value.message
