"""Objects, fields and options of a connected system, as the mapping editor's pickers offer them.

Fields come from the tenant's metadata (``syncjobs.queries.metadata``: Fxiaoke describe,
K3Cloud QueryBusinessInfo merged with the form catalogue), so a tenant's own ``…__c`` and
``F_…`` fields are offered too; the editor's "Refresh fields" asks the systems again. Object
lists and a reference field's options (read from the referenced base data) are kept a while in
the connectors' shared state, so opening an editor does not spend the call budget again.

Every field is described the same way, whichever system it comes from::

    {"path", "label", "type", "required", "readonly", "options": [{"value", "label"}],
     "ref", "group", "kind", "custom"}

``path`` is what a mapping row holds; ``group`` names the detail lines it belongs to.
"""

from itertools import islice

from django.utils.translation import gettext as _

from connectors.errors import ConnectorError
from connectors.state import get_state
from syncjobs.adapters.base import ReadOptions
from syncjobs.adapters.clients import adapter_for, build_client
from syncjobs.crypto import CredentialDecryptionError
from syncjobs.models import System
from syncjobs.queries import k3cloud_fields, metadata

CACHE_SECONDS = 600
MAX_OPTIONS = 200


class PickerUnavailable(Exception):
    """The connected system could not be asked; the message says why and what to do."""


def object_choices(connector):
    """``[{"name", "label"}]``: the objects (CRM) or forms (ERP) a flow may read or write."""
    if connector.system == System.K3CLOUD:
        return [{"name": form_id, "label": str(label)} for form_id, label in k3cloud_fields.forms()]
    objects = _cached(connector, "objects", "", lambda client: client.list_objects())
    return [{"name": o["api_name"], "label": o["label"]} for o in objects if o.get("active", True)]


def field_choices(connector, obj, refresh=False):
    """Every field of ``obj`` a mapping row may name, detail lines and the tenant's own fields included.

    From the tenant's metadata (``syncjobs.queries.metadata``: Fxiaoke describe, K3Cloud
    QueryBusinessInfo merged with the form catalogue), kept a day; ``refresh`` asks again.
    A K3Cloud form the ERP will not describe offers the catalogue's fields, or its keys.
    """
    try:
        return metadata.object_fields(connector, obj, refresh=refresh)
    except metadata.MetadataUnavailable as exc:
        if connector.system == System.K3CLOUD and not refresh:
            return [metadata.listed_field(field) for field in k3cloud_fields.form_fields(obj)]
        raise PickerUnavailable(
            _("%(problem)s. Check the connector, then reload.") % {"problem": str(exc).rstrip(".")}
        ) from exc


def reference_options(connector, form_id):
    """``[{"value", "label"}]``: the numbers and names of a K3Cloud base-data form (first 200)."""
    if connector.system != System.K3CLOUD or not form_id:
        return []
    name = k3cloud_fields.name_key(form_id)

    def ask(client):
        rows = client.query(form_id, ["FNumber", name], order_string="FNumber ASC", max_rows=MAX_OPTIONS)
        return [
            {"value": str(r["FNumber"]), "label": str(r.get(name) or "")} for r in islice(rows, MAX_OPTIONS)
        ]

    return _cached(connector, "options", form_id, ask)


def sample_records(flow, limit=20):
    """``[{"id", "number"}]``: the first records the flow's source holds, to preview a mapping with.

    Read straight from the source (the flow's filter applies), one page, nothing stored.
    """
    options = ReadOptions(fields=[], page_size=limit, source_filter=flow.source_filter or [])
    try:
        pages = adapter_for(flow.source_connector).read_changed(flow.source_object, None, options)
        page = next(iter(pages), [])
    except CredentialDecryptionError as exc:
        raise PickerUnavailable(str(exc)) from exc
    except ConnectorError as exc:
        raise PickerUnavailable(
            _("%(connector)s could not list its records: %(error)s")
            % {"connector": flow.source_connector.name, "error": exc.message}
        ) from exc
    return [{"id": str(record.id), "number": record.number or ""} for record in page[:limit]]


def _cached(connector, kind, name, ask):
    """``ask(client)``'s answer, kept in shared state for ``CACHE_SECONDS``."""
    state = get_state()
    key = f"console:picker:{connector.pk}:{connector.updated_at.timestamp():.0f}:{kind}:{name}"
    found = state.get(key)
    if found is not None:
        return found
    try:
        answer = _asked(connector, ask)
    except CredentialDecryptionError as exc:
        raise PickerUnavailable(str(exc)) from exc
    except ConnectorError as exc:
        raise PickerUnavailable(
            _("%(connector)s could not be asked for its fields: %(error)s. Check the connector, then reload.")
            % {"connector": connector.name, "error": exc.message}
        ) from exc
    state.set(key, answer, ttl_seconds=CACHE_SECONDS)
    return answer


def _asked(connector, ask):
    client = build_client(connector)
    try:
        return ask(client)
    finally:
        client.close()
