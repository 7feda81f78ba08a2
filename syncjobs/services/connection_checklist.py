"""Test connection as a checklist of what the enabled flows need from one connector.

Beyond signing in: every object or form the enabled flows read or write is reachable with
this user (its metadata is read again, and a K3Cloud form is queried for one row, which needs
the right to view it); the organisations the flows name exist in the ERP (the connector's own
and those an ``allocate`` post-action names); each value-map target a flow writes into a
K3Cloud base-data reference exists as that base data; and every mapped field exists in the
metadata (a tenant's own fields too). Each line says what was checked and, when it failed,
what to do.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from connectors.errors import ConnectorError
from connectors.k3cloud.query import in_condition
from syncjobs.adapters.clients import build_client
from syncjobs.adapters.k3cloud_forms import form_info
from syncjobs.crypto import CredentialDecryptionError
from syncjobs.models import SyncFlow, System, ValueMap
from syncjobs.models.flow import confirmed_unlisted_fields, snapshot_rows
from syncjobs.queries import metadata
from syncjobs.services.connections import test_connection
from syncjobs.services.mapping_checks import SOURCE, TARGET, mapped_paths

ORGANISATIONS = "ORG_Organizations"


@dataclass(frozen=True)
class CheckLine:
    """One thing checked: ``ok``, what (``label``), and for a failure what to do (``fix``)."""

    ok: bool
    label: str
    fix: str = ""


@dataclass
class Checklist:
    lines: list = field(default_factory=list)

    @property
    def ok(self):
        return all(line.ok for line in self.lines)

    @property
    def failed(self):
        return [line for line in self.lines if not line.ok]

    def summary(self):
        """One sentence for the page's message: all passed, or how many failed (or why the sign-in did)."""
        failed = self.failed
        if not failed:
            return _("All %(count)s checks passed.") % {"count": len(self.lines)}
        if failed[0] is self.lines[0]:
            return failed[0].label
        return _("%(failed)s of %(count)s checks failed; each says what to do.") % {
            "failed": len(failed),
            "count": len(self.lines),
        }

    def add(self, ok, label, fix=""):
        self.lines.append(CheckLine(bool(ok), label, "" if ok else fix))


def check_connector(connector):
    """The checklist of ``connector`` for the enabled flows that use it (see the module docstring)."""
    checklist = Checklist()
    signed_in = test_connection(connector)
    checklist.add(
        signed_in.ok, signed_in.message, _("Correct the connector's address and credentials above.")
    )
    if not signed_in.ok:
        return checklist
    flows = list(
        SyncFlow.objects.filter(Q(source_connector=connector) | Q(target_connector=connector), enabled=True)
        .select_related("source_connector", "target_connector")
        .order_by("name")
    )
    if not flows:
        checklist.add(True, _("No enabled flow uses this connector yet; only the sign-in was checked."))
        return checklist
    try:
        client = build_client(connector)
    except CredentialDecryptionError as exc:  # test_connection said so already; keep the page whole
        checklist.add(False, str(exc))
        return checklist
    try:
        _check_flows(checklist, connector, client, flows)
    finally:
        client.close()
    return checklist


def _check_flows(checklist, connector, client, flows):
    fields_of = {}
    for flow, side, obj in _objects(connector, flows):
        if obj not in fields_of:
            fields_of[obj] = _reachable(checklist, connector, client, obj)
        if fields_of[obj] is not None:
            _mapped_fields(checklist, flow, side, obj, fields_of[obj])
    if connector.system == System.K3CLOUD:
        _organisations(checklist, connector, client, flows)
        _value_map_targets(checklist, connector, client, flows, fields_of)


def _objects(connector, flows):
    for flow in flows:
        if flow.source_connector_id == connector.pk:
            yield flow, SOURCE, flow.source_object
        if flow.target_connector_id == connector.pk:
            yield flow, TARGET, flow.target_object


def _reachable(checklist, connector, client, obj):
    """The object's fields by path when it can be described (and, for K3Cloud, queried); else None."""
    try:
        fields = metadata.by_path(metadata.object_fields(connector, obj, refresh=True))
        if connector.system == System.K3CLOUD:
            list(client.query(obj, [form_info(obj).pk], max_rows=1))
    except (metadata.MetadataUnavailable, ConnectorError) as exc:
        checklist.add(
            False,
            _("%(object)s cannot be reached with this user: %(error)s")
            % {"object": obj, "error": getattr(exc, "message", str(exc))},
            _(
                "Give the connector's user the right to view and save %(object)s in %(connector)s, "
                "or correct the object named by the flows."
            )
            % {"object": obj, "connector": connector.name},
        )
        return None
    checklist.add(True, _("%(object)s is reachable with this user.") % {"object": obj})
    return fields


def _mapped_fields(checklist, flow, side, obj, fields):
    confirmed = confirmed_unlisted_fields(flow)
    missing = []
    for number, row in enumerate(snapshot_rows(flow), start=1):
        path = mapped_paths(row)[side]
        if path and path not in confirmed and metadata.find_field(fields, path) is None:
            missing.append(_("row %(row)s “%(field)s”") % {"row": number, "field": path})
    values = {"flow": flow.name, "object": obj, "fields": ", ".join(missing)}
    checklist.add(
        not missing,
        _("Flow “%(flow)s”: every mapped field exists in %(object)s.") % values
        if not missing
        else _("Flow “%(flow)s” maps fields %(object)s does not have: %(fields)s.") % values,
        _(
            "Correct those rows in the flow's mapping editor (pick the fields from the list), or "
            "create the fields in the system."
        ),
    )


def _organisations(checklist, connector, client, flows):
    numbers = {connector.org_number} if connector.org_number and connector.org_number != "0" else set()
    for flow in flows:
        if flow.target_connector_id == connector.pk:
            for action in flow.post_actions or []:
                if isinstance(action, dict) and str(action.get("action", "")).lower() == "allocate":
                    numbers.update(str(n) for n in action.get("organisations") or [])
    if not numbers:
        return
    found = _existing(client, ORGANISATIONS, numbers)
    missing = sorted(numbers - found)
    checklist.add(
        not missing,
        _("The organisations the flows name exist: %(numbers)s.") % {"numbers": ", ".join(sorted(numbers))}
        if not missing
        else _("No organisation is numbered %(numbers)s in the ERP.") % {"numbers": ", ".join(missing)},
        _(
            "Correct the connector's organisation number or the flows' “allocate” organisations, "
            "or create the organisation in the ERP."
        ),
    )


def _value_map_targets(checklist, connector, client, flows, fields_of):
    """Each value map a flow writes into a base-data reference of this ERP: its targets exist there."""
    wanted = set()
    for flow in flows:
        fields = fields_of.get(flow.target_object) if flow.target_connector_id == connector.pk else None
        for row in snapshot_rows(flow) if fields else ():
            target = metadata.find_field(fields, row["target_path"])
            if row["transform"] == "value_map" and target and target["kind"] == "ref" and target["ref"]:
                wanted.add((row["params"].get("map"), target["ref"]))
    maps = ValueMap.objects.in_bulk([slug for slug, _form in wanted], field_name="slug")
    for slug, form_id in sorted(wanted):
        if slug not in maps:
            continue
        targets = {v for v in maps[slug].as_dict().values() if v}
        missing = sorted(targets - _existing(client, form_id, targets)) if targets else []
        values = {"map": maps[slug].name, "form": form_id, "numbers": ", ".join(missing)}
        checklist.add(
            not missing,
            _("Value map “%(map)s”: every target exists in %(form)s.") % values
            if not missing
            else _("Value map “%(map)s” names numbers %(form)s does not have: %(numbers)s.") % values,
            _("Correct those entries of the value map, or create the base data in the ERP."),
        )


def _existing(client, form_id, numbers):
    """Which of ``numbers`` the ERP has as ``FNumber`` of ``form_id`` (case as the ERP compares)."""
    try:
        rows = client.query(form_id, ["FNumber"], filter_string=in_condition("FNumber", sorted(numbers)))
        found = {str(row["FNumber"]).casefold() for row in rows}
    except ConnectorError:
        return set()
    return {number for number in numbers if number.casefold() in found}
