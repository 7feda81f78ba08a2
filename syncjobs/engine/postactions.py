"""Post-actions (Submit, Audit, Allocate, a message to the owner) with per-record resume.

What each target record has been through is kept on its cross-reference
(``post_actions_done``), stored after every step, so a run that stops half-way resumes at
the first step not done, and a once-only step (allocate, a message to a person) never
repeats, even after later updates of the record.
"""

from connectors.k3cloud.errors import NotOperableError
from syncjobs.engine import messages, retry, xrefs
from syncjobs.engine.writer import post_action_call
from syncjobs.models import RecordAction, RecordStatus

# Putting an un-audited document back the way it was, when the flow has no such steps.
REAUDIT_STEPS = ({"action": "submit"}, {"action": "audit"})
# Status changes that a document refuses once it went past them (submitted, audited).
_STATUS_STEPS = ("submit", "audit")
_DONE_ACTIONS = (RecordAction.CREATE, RecordAction.UPDATE, RecordAction.UNCHANGED)


def run_post_actions(ctx, items, beat=lambda: None):
    """Run every step the flow lists, in order, on the records that have not had it yet."""
    steps = list(ctx.flow.post_actions or [])
    names = {step.get("action") for step in steps}
    for step in steps:
        _run_step(ctx, step, [item for item in items if _due(item, step["action"])], beat)
    reaudit = [item for item in items if item.unaudited]
    for step in REAUDIT_STEPS:
        if step["action"] not in names:
            _run_step(ctx, step, [item for item in reaudit if _due(item, step["action"])], beat)


def _due(item, name):
    return (
        item.status == RecordStatus.SUCCEEDED
        and item.action in _DONE_ACTIONS
        and item.xref is not None
        and bool(item.xref.target_id)
        and name not in (item.xref.post_actions_done or [])
        and xrefs.ADOPTED not in (item.xref.post_actions_done or [])
    )


def _run_step(ctx, step, items, beat):
    name = step["action"]

    def round_(attempt):
        nonlocal items
        errors = post_action_call(ctx, step, [item.target for item in items])
        items = _record_round(ctx, name, items, errors, attempt)
        if not items:
            return None
        return getattr(errors.get(items[0].target.id), "retry_after", None) or 0

    if items:
        retry.policy(ctx).rounds(round_, before_sleep=beat)


def _record_round(ctx, name, items, errors, attempt):
    """Store what one call of step ``name`` did to each record; the records to try again."""
    again = []
    for item in items:
        error = errors.get(item.target.id)
        if error is None or _done_before(item, name, error):
            item.xref.post_actions_done = [*item.xref.post_actions_done, name]
        elif retry.classify(error) == retry.RETRY and attempt < ctx.options.max_attempts:
            again.append(item)
        else:
            _step_failed(item, name, error, attempt)
    xrefs.save(ctx, items, xrefs.ACTIONS_FIELD)
    return again


def _done_before(item, name, error):
    """A status step refused by a record we did not write now: an earlier attempt did it.

    A worker killed after Submit but before storing that it ran leaves the step undone in
    our books; the document, already submitted, now refuses Submit. For a record written
    in this attempt the same refusal is a real failure.
    """
    return not item.written and name in _STATUS_STEPS and isinstance(error, NotOperableError)


def _step_failed(item, name, error, attempt):
    status = RecordStatus.DEAD if retry.classify(error) == retry.RETRY else RecordStatus.FAILED
    item.fail(
        messages.post_action_failed(item, name, error),
        code=getattr(error, "code", "") or type(error).__name__,
        field=getattr(error, "field", "") or "",
        status=status,
    )
    item.attempts = max(item.attempts, attempt)
