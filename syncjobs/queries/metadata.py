"""A tenant's metadata: the fields of a CRM object or an ERP form, as the system itself says.

Fxiaoke answers ``object/describe`` (the object's fields and its detail objects' lines, the
tenant's ``…__c`` fields among them). K3Cloud answers ``QueryBusinessInfo``, merged with the
static form catalogue (``syncjobs.adapters.k3cloud_fields``), which keeps the labels, options
and types it knows better; the ERP adds the tenant's own ``F_…`` fields. Answers are kept in
``ObjectMetadata`` for ``MAX_AGE``, so the pickers, the save check and Test connection ask the
system once; ``refresh`` asks again (the console's button, the daily drift check).

Every field is one dict, whichever system it comes from::

    {"path", "label", "type", "kind", "required", "readonly", "options": [{"value", "label"}],
     "ref", "group", "custom"}

``path`` is what a mapping row holds (``FCustId.FNumber``, ``FSaleOrderEntry[].FQty``,
``SalesOrderProductObj[].product_id``); ``kind`` is the family the save check compares
(text, number, date, datetime, bool, ref, select, list, other); ``group`` names the detail
lines a field belongs to.
"""

import logging
import re
from datetime import timedelta

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from connectors.errors import ConnectorError, TransientError
from syncjobs.adapters.clients import build_client
from syncjobs.adapters.fxiaoke_read import DETAILS
from syncjobs.adapters.k3cloud_forms import form_info
from syncjobs.crypto import CredentialDecryptionError
from syncjobs.models import ObjectMetadata, System
from syncjobs.queries import k3cloud_fields

logger = logging.getLogger(__name__)
MAX_AGE = timedelta(days=1)
LOOKUP_TYPES = ("object_reference", "master_detail", "object_reference_many")
PEOPLE_TYPES = ("employee", "department")
HEAD = "FBillHead"
_NUMERIC_TAIL = re.compile(r"(\.\d+)+$")
_POSITION = re.compile(r"\.\d+(?=\.)")
# Fxiaoke describe types by family. Source: the CRM sandbox's schema and public clients' describes.
CRM_KINDS = {
    **dict.fromkeys(("text", "long_text", "email", "phone_number", "url", "auto_number", "location"), "text"),
    **dict.fromkeys(("number", "currency", "percentile"), "number"),
    "date": "date",
    "date_time": "datetime",
    "true_or_false": "bool",
    **dict.fromkeys(("select_one", "record_type"), "select"),
    **dict.fromkeys(("select_many", "employee", "department", "embedded_object_list"), "list"),
    **dict.fromkeys(LOOKUP_TYPES, "ref"),
}
# K3Cloud: the catalogue's types, and QueryBusinessInfo's element types (single source: the
# sandbox's answer, modelled on BOS element names; a real reply is not known).
ERP_KINDS = {
    "text": "text",
    "decimal": "number",
    "int": "number",
    "date": "date",
    "datetime": "datetime",
    "bool": "bool",
    "ref": "ref",
    **dict.fromkeys(("TextField", "MultiLangTextField", "MobileField", "EmailField"), "text"),
    **dict.fromkeys(("IntegerField", "DecimalField", "QtyField", "PriceField", "AmountField"), "number"),
    "DateField": "date",
    "DateTimeField": "datetime",
    "CheckBoxField": "bool",
    **dict.fromkeys(("BaseDataField", "AssistantField", "UserField", "OrgField"), "ref"),
    "ComboField": "select",
}


class MetadataUnavailable(Exception):
    """The system could not be asked for its fields; the message says why and what to do."""


def object_fields(connector, obj, refresh=False):
    """The fields of ``obj`` in ``connector``'s system (see the module docstring), cached.

    Raises ``MetadataUnavailable`` when the system cannot be asked and nothing is kept.
    """
    kept = ObjectMetadata.objects.filter(connector=connector, object_name=obj).first()
    if kept is not None and not refresh and timezone.now() - kept.fetched_at < MAX_AGE:
        return kept.fields
    fields = _asked(connector, obj)
    _keep(connector, obj, fields)
    return fields


def _keep(connector, obj, fields):
    """Store the answer. The editor asks for both sides at once; when the other request holds the
    table (SQLite locks it whole), this answer is served without being kept: a later question
    asks again, which costs one call, while failing the page would cost the user's work."""
    try:
        with transaction.atomic():
            ObjectMetadata.objects.update_or_create(
                connector=connector,
                object_name=obj,
                defaults={"fields": fields, "fetched_at": timezone.now()},
            )
    except OperationalError:
        logger.warning(
            "The fields of %s of connector %s were not kept: the table was busy", obj, connector.pk
        )


def kept_fields(connector, obj):
    """The fields last read for ``obj`` (None when never read), without asking the system."""
    kept = ObjectMetadata.objects.filter(connector=connector, object_name=obj).first()
    return None if kept is None else kept.fields


def by_path(fields):
    """``{path (lower case): field}``: K3Cloud keys are case-insensitive, CRM names never clash by case."""
    return {field["path"].lower(): field for field in fields}


def find_field(fields_by_path, path):
    """The field of ``by_path(...)`` that ``path`` names, or None.

    Paths are read as the engine reads records: a list position names its lines
    (``FEntity.0.FQty`` is ``FEntity[].FQty``, ``owner.0`` is ``owner``); a K3Cloud sub-head
    field may be named without its sub-head (``FBaseUnitId.FNumber`` for
    ``SubHeadEntity.FBaseUnitId.FNumber``), as queries name it; and a sub-field of a reference
    (``FCustId.FName``, ``owner__r.id``) names the reference, whose own fields are the
    referenced object's.
    """
    lower = _POSITION.sub("[]", _NUMERIC_TAIL.sub("", path.strip().lower()))
    found = _named(fields_by_path, lower)
    if found is not None:
        return found
    head = lower.rpartition(".")[0]
    while head:
        for candidate in (head, f"{head}.fnumber"):
            found = _named(fields_by_path, candidate)
            if found is not None and found["kind"] in ("ref", "list", "other"):
                return found
        head = head.rpartition(".")[0]
    return None


def _named(fields_by_path, lower):
    return fields_by_path.get(lower) or _under_subhead(fields_by_path, lower)


def _under_subhead(fields_by_path, lower):
    depth = lower.count(".") + 1
    for key, found in fields_by_path.items():
        first = key.partition(".")[0]
        if key.endswith("." + lower) and key.count(".") == depth and "[]" not in first:
            return found
    return None


def _asked(connector, obj):
    try:
        client = build_client(connector)
    except CredentialDecryptionError as exc:
        raise MetadataUnavailable(str(exc)) from exc
    try:
        if connector.system == System.K3CLOUD:
            return _erp_fields(obj, client.business_info(obj))
        return _crm_fields(client, obj)
    except ConnectorError as exc:
        raise MetadataUnavailable(
            _("%(connector)s could not be asked for its fields (%(object)s): %(error)s")
            % {"connector": connector.name, "object": obj, "error": _reason(exc)}
        ) from exc
    finally:
        client.close()


def _reason(exc):
    """Why the system could not be asked: the connectors speak English, the reader may not."""
    if isinstance(exc, TransientError):
        return _("it cannot be reached now (%(detail)s)") % {"detail": exc.message}
    return exc.message


# --- Fxiaoke ------------------------------------------------------------------------------
def _crm_fields(client, obj):
    describe = client.describe(obj)
    fields = _described(describe, prefix="", group="")
    details = [d["api_name"] for d in describe.get("details") or []] or list(DETAILS.get(obj, {}))
    for detail in details:
        master_field = DETAILS.get(obj, {}).get(detail)
        lines = _described(client.describe(detail), f"{detail}[].", detail)
        fields += [f for f in lines if f["path"] != f"{detail}[].{master_field}"]
    return fields


def _described(describe, prefix, group):
    found = []
    for field in describe.get("fields") or []:
        if not field.get("active", True):
            continue
        kind = CRM_KINDS.get(field.get("type") or "", "other")
        entry = {
            "path": prefix + field["api_name"],
            "label": field["label"],
            "type": field.get("type") or "",
            "kind": kind,
            "required": bool(field.get("required")),
            "readonly": bool(field.get("readonly")),
            "options": list(field.get("options") or []),
            "ref": field.get("target_api_name") or "",
            "group": group,
            "custom": bool(field.get("custom")),
        }
        found.append(entry)
        if field.get("type") in LOOKUP_TYPES:
            found.append(_companion(entry))
        elif field.get("type") in PEOPLE_TYPES:
            # The CRM answers ``owner__r`` as the employee's record ({id, name, ...}).
            found.append({**_companion(entry), "type": field["type"], "kind": "other"})
    return found


def _companion(entry):
    """A lookup's ``__r`` companion: the referenced record's name, readable, never written."""
    return {
        **entry,
        "path": entry["path"] + "__r",
        "label": _("%(label)s (name)") % {"label": entry["label"]},
        "type": "text",
        "kind": "text",
        "required": False,
        "readonly": True,
        "options": [],
        "ref": "",
    }


# --- K3Cloud ------------------------------------------------------------------------------
def _erp_fields(form_id, business_fields):
    """The catalogue's fields of ``form_id``, then the ERP's fields it lacks (custom ``F_…`` ones)."""
    listed = [listed_field(field) for field in k3cloud_fields.listed_fields(form_id) or ()]
    known = by_path(listed)
    info = form_info(form_id)
    for business in business_fields:
        entry = _business(business, info)
        kept = known.get(entry["path"].lower())
        if kept is not None:
            kept["readonly"] = kept["readonly"] or entry["readonly"]
            continue
        listed.append(entry)
        known[entry["path"].lower()] = entry
    return listed


def listed_field(field):
    """A catalogue ``FormField`` as a metadata field dict."""
    return {
        "path": field.path,
        "label": str(field.label),
        "type": field.type,
        "kind": ERP_KINDS.get(field.type, "other"),
        "required": field.required,
        "readonly": field.readonly,
        "options": [{"value": value, "label": str(label)} for value, label in field.options],
        "ref": field.ref,
        "group": field.entry,
        "custom": field.key.upper().startswith("F_"),
    }


def _business(field, info):
    kind = "ref" if field.ref_form else ERP_KINDS.get(field.type, "other")
    if field.entity == HEAD or not field.entity:
        path, group = field.key, ""
    elif field.entity in info.subheads:
        path, group = f"{field.entity}.{field.key}", ""
    else:
        path, group = f"{field.entity}[].{field.key}", field.entity
    return {
        "path": f"{path}.FNumber" if kind == "ref" else path,
        "label": field.name or field.key,
        "type": field.type,
        "kind": kind,
        "required": field.required,
        "readonly": field.readonly,
        "options": [],
        "ref": field.ref_form or "",
        "group": group,
        "custom": field.key.upper().startswith("F_"),
    }
