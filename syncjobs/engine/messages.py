"""What people read about a record's outcome: the record, the field, the reason, what to do.

A record's messages are ``Message``s: stored with their id and parameters beside the text,
they are read in the reader's language (``syncjobs.stored_messages``). ``gettext_noop`` marks their
ids for the catalogue; a target system's own words stay as it sent them.
"""

from django.utils.translation import gettext_noop

from connectors.errors import ConnectorError
from connectors.state import unreachable_server
from syncjobs.mapping.errors import shown
from syncjobs.stored_messages import Message


def record_error(item, reason):
    """``Record X: reason`` in the reader's language."""
    return Message(gettext_noop("Record %(record)s: %(reason)s"), record=item.label, reason=reason)


def mapping_failed(item, exc):
    """A mapping failure: every field that could not be mapped, and why."""
    return record_error(item, exc)


def connector_failed(item, error, system):
    """An error the target system reported, in its own words, with its field when known."""
    if isinstance(error, ConnectorError):
        reason = error.message
        if error.field:
            reason = Message(gettext_noop("%(message)s (field %(field)s)"), message=reason, field=error.field)
    else:
        reason = str(error)
    return record_error(
        item, Message(gettext_noop("%(system)s refused the write: %(reason)s"), system=system, reason=reason)
    )


def gave_up(item, error, attempts):
    return record_error(
        item,
        Message(
            gettext_noop(
                "gave up after %(attempts)s attempts; the last error was: %(error)s. Re-run the record once the target system is reachable."
            ),
            attempts=attempts,
            error=getattr(error, "message", str(error)),
        ),
    )


def several_matches(item, key, value, refs):
    found = ", ".join(ref.number or ref.id for ref in refs[:5])
    return record_error(
        item,
        Message(
            gettext_noop(
                "several target records have %(key)s “%(value)s” (%(found)s); make that field unique in "
                "the target or add a more specific match key to the flow"
            ),
            key=key,
            value=value,
            found=found,
        ),
    )


def target_taken(item, target, other):
    return record_error(
        item,
        Message(
            gettext_noop(
                "the target record %(target)s matched by the flow's match keys is already linked to "
                "source record %(other)s; correct the data so each target record matches one source record"
            ),
            target=target,
            other=other,
        ),
    )


def unsettled_create(item):
    return record_error(
        item,
        Message(
            gettext_noop(
                "an earlier attempt to create this record got no answer, and the flow has no match keys "
                "to find out whether the record exists. Check the target system, delete the record there "
                "if it exists twice, then re-run this record."
            )
        ),
    )


def in_flight(item):
    return record_error(
        item,
        Message(
            gettext_noop(
                "another worker is creating this record right now; it is picked up again once that finishes"
            )
        ),
    )


def audited_refused(item, target):
    return record_error(
        item,
        Message(
            gettext_noop(
                "the target document %(target)s is audited and this flow does not change audited documents "
                "(option audited_update = fail). Un-audit it in K3Cloud, or set audited_update to "
                "“unaudit”, then re-run this record."
            ),
            target=target,
        ),
    )


def post_action_failed(item, action, error):
    return record_error(
        item,
        Message(
            gettext_noop(
                "the record was written, but %(action)s failed: %(error)s. A re-run resumes from this step."
            ),
            action=action,
            error=getattr(error, "message", str(error)),
        ),
    )


def missing_target_for_update(item):
    return record_error(
        item,
        Message(
            gettext_noop(
                "no target record is linked or matches it, and this flow only updates existing records"
            )
        ),
    )


def exists_for_create_only(item):
    return record_error(
        item, Message(gettext_noop("the target record exists already, and this flow only creates records"))
    )


def source_deleted(item):
    return record_error(
        item, Message(gettext_noop("the source record was deleted or voided; the flow ignores deletions"))
    )


def waiting(item, parents):
    return record_error(
        item,
        Message(
            gettext_noop(
                "waiting for %(parents)s to be synced first; it is synced automatically once the parent is"
            ),
            parents=parents,
        ),
    )


def unreported(item):
    return record_error(
        item,
        Message(
            gettext_noop(
                "the target system's answer did not mention this record; it is looked up before the next attempt"
            )
        ),
    )


def setup_failed(flow, error):
    return Message(gettext_noop("Flow “%(flow)s” cannot run: %(reason)s"), flow=flow, reason=_reason(error))


def no_mapping(flow):
    return Message(
        gettext_noop("the flow has no field mappings; add at least one mapping row and save the flow")
    )


def read_failed(flow, error):
    return Message(
        gettext_noop(
            "Reading %(object)s from %(connector)s failed: %(reason)s. Nothing after the last stored batch was "
            "synced; the next run reads those records again."
        ),
        object=flow.source_object,
        connector=flow.source_connector,
        reason=infrastructure_reason(error) or _reason(error),
    )


def infrastructure_reason(error):
    """What to tell a person when ``error`` is the hub's own infrastructure failing, else None."""
    server = unreachable_server(error)
    if server is None:
        return None
    return Message(
        gettext_noop(
            "the hub cannot reach Redis at %(server)s (REDIS_URL), where its workers share logins, rate "
            "limits and circuit breakers; start Redis or correct REDIS_URL"
        ),
        server=server,
    )


def paused(flow, error, until):
    return Message(
        gettext_noop("Paused until %(until)s: %(reason)s. The run resumes by itself; no record was failed."),
        until=until,
        reason=_reason(error),
    )


def _reason(error):
    # A setup error raised with a message of ours (no mapping) keeps it, to be read translated;
    # a system's own words stay as it sent them.
    said = error.args[0] if getattr(error, "args", None) else None
    if isinstance(said, Message):
        return said
    return getattr(error, "message", None) or str(error)


def batch_call_failed(item, error, system):
    return record_error(
        item,
        Message(
            gettext_noop(
                "a call to %(system)s for this record's batch failed: %(error)s. Re-run the record."
            ),
            system=system,
            error=getattr(error, "message", None) or str(error),
        ),
    )


def value_map_entries_refused(item, error, system, entries):
    """A refused reference whose value came from value-map entries: the entries to correct.

    ``entries`` are ``RefusedEntry``s; the record is not what needs fixing, so the message
    names each value map and the source value of its entry.
    """
    named = [
        Message(
            gettext_noop("value map “%(map)s”, entry “%(source)s” → “%(target)s”"),
            map=entry.name,
            source=entry.source_value,
            target=entry.target_value,
        )
        for entry in entries
    ]
    fix = Message(
        gettext_noop(
            "The refused value comes from %(entries)s: change the entry's target value to a number "
            "%(system)s has (or add the record to %(system)s), then re-run this record."
        ),
        entries=_Joined(named),
        system=system,
    )
    return Message(
        gettext_noop("%(refused)s. %(fix)s"), refused=connector_failed(item, error, system), fix=fix
    )


def record_step_failed(item, error):
    """A fault while planning one record: that record fails alone, its batch goes on."""
    return record_error(
        item,
        Message(
            gettext_noop(
                "the hub could not process this record's data (%(error)s); its batch went on without it. "
                "Check the record's values, re-run it, and report it if it fails again"
            ),
            error=_fault(error),
        ),
    )


def batch_failed(item, error):
    """A fault of the whole batch (not of this record's data): every open record of it fails."""
    return record_error(
        item,
        Message(
            gettext_noop(
                "a fault that affects the whole batch, not this record's data, stopped the batch before this "
                "record was written (%(error)s); re-run the record, and report it if it fails again"
            ),
            error=_fault(error),
        ),
    )


class _Joined:
    """Several messages read as one parameter, joined by "; "."""

    def __init__(self, parts):
        self.parts = parts

    def as_message_data(self):
        return [part.as_message_data() for part in self.parts]


def _fault(error):
    return infrastructure_reason(error) or shown(f"{type(error).__name__}: {error}")
