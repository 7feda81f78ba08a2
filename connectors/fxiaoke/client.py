"""The Fxiaoke (ShareCRM) Open API client: CRM objects, messages and the connection check."""

from django.utils.translation import gettext, gettext_noop

from connectors.errors import NotFoundError, OutcomeUnknownError
from connectors.fxiaoke import paths
from connectors.fxiaoke.api import FxiaokeApi
from connectors.fxiaoke.connection import check_connection
from connectors.fxiaoke.describe import parse_describe, parse_object_list
from connectors.fxiaoke.errors import SYSTEM
from connectors.fxiaoke.query import QueryPlan
from connectors.fxiaoke.users import IntegrationUser
from connectors.retrying import RetryPolicy
from connectors.state import get_state

# The message endpoint takes 1–500 recipients per call.
MAX_RECIPIENTS = 500


class FxiaokeClient:
    """Calls one company's CRM as the configured integration user.

    Tokens, rate budgets, the resolved user and call counters live in the shared connector
    state (``state``), so every process and worker of the connector shares them.
    """

    def __init__(self, config, *, state=None, retry_policy=None):
        self.config = config
        self.state = state if state is not None else get_state()
        self._api = FxiaokeApi(config, self.state, retry_policy or RetryPolicy())
        self._user = IntegrationUser(config, self.state, self._api)

    def resolve_open_user_id(self):
        """The openUserId calls are made as: configured, or found once by mobile number."""
        return self._user.open_user_id()

    # --- records -----------------------------------------------------------------------
    def query(self, api_name, filters=None, orders=None, field_projection=None, page_size=100):
        """Yield the records of ``api_name`` matching every filter, page after page.

        ``filters``: ``(field, operator, values)`` tuples or the CRM's filter dicts (AND).
        ``orders``: ``"field"``/``"-field"``, ``(field, ascending)`` or the CRM's dicts; by
        default records come in ``_id`` order, read by cursor, which has no size limit.
        ``field_projection``: the fields to return (``_id`` is always added).
        """
        plan = QueryPlan(filters, orders, field_projection, page_size)
        path = paths.data_path(api_name, "query")
        while (info := plan.next_query()) is not None:
            body = {
                "dataObjectApiName": api_name,
                "search_query_info": info,
                "find_explicit_total_num": False,
            }
            reply = self._call(path, body, context=gettext("the query of %(object)s") % {"object": api_name})
            yield from plan.take(_rows(reply))

    def get(self, api_name, data_id):
        """The record ``data_id`` of ``api_name`` as a dict."""
        body = {"dataObjectApiName": api_name, "objectDataId": data_id}
        context = gettext("reading %(object)s %(id)s") % {"object": api_name, "id": data_id}
        record = _unwrap_record(
            self._call(paths.data_path(api_name, "get"), body, context=context).get("data")
        )
        if not record:
            raise NotFoundError(
                gettext("Fxiaoke has no %(object)s record with the id %(id)s.")
                % {"object": api_name, "id": data_id},
                system=SYSTEM,
            )
        return record

    def create(self, api_name, data, details=None):
        """Create a record (with its detail lines, atomically) and return its ``_id``.

        ``details`` maps a detail object to its lines, e.g.
        ``{"SalesOrderProductObj": [{"product_id": ..., "quantity": "2"}]}``; the CRM fills in
        each line's master field. A create is not idempotent: when its answer is lost this
        raises ``OutcomeUnknownError`` instead of sending it again.
        """
        body = {"object_data": {"dataObjectApiName": api_name, **data}}
        if details:
            body["details"] = {detail: list(lines) for detail, lines in details.items()}
        context = gettext("creating %(object)s") % {"object": api_name}
        reply = self._call(paths.data_path(api_name, "create"), body, context=context, is_write=True)
        data_id = _data_id(reply)
        if not data_id:
            raise OutcomeUnknownError(
                gettext(
                    "Fxiaoke accepted %(context)s but returned no record id. Look the record up by "
                    "its business number before creating it again."
                )
                % {"context": context},
                system=SYSTEM,
                trace_id=reply.get("traceId"),
            )
        return data_id

    def update(self, api_name, data_id, data):
        """Change the given fields of record ``data_id`` (not ``owner``: see ``change_owner``)."""
        body = {"object_data": {"_id": data_id, "dataObjectApiName": api_name, **data}}
        context = gettext("updating %(object)s %(id)s") % {"object": api_name, "id": data_id}
        reply = self._call(paths.data_path(api_name, "update"), body, context=context, is_write=True)
        return _data_id(reply) or data_id

    def invalid(self, api_name, data_id):
        """Void (作废) the record ``data_id``; it must be voided before it can be deleted."""
        body = {"dataObjectApiName": api_name, "object_data_id": data_id}
        context = gettext("voiding %(object)s %(id)s") % {"object": api_name, "id": data_id}
        self._call(paths.data_path(api_name, "invalid"), body, context=context, is_write=True)

    def delete(self, api_name, data_ids):
        """Delete voided records (one id or a list of ids)."""
        self._write_ids(api_name, data_ids, "delete", gettext_noop("deleting %(object)s %(id)s"))

    def recover(self, api_name, data_ids):
        """Bring voided records (one id or a list of ids) back to life."""
        self._write_ids(api_name, data_ids, "recover", gettext_noop("recovering %(object)s %(id)s"))

    def _write_ids(self, api_name, data_ids, operation, doing):
        body = {"dataObjectApiName": api_name, "idList": _id_list(data_ids)}
        context = gettext(doing) % {"object": api_name, "id": ", ".join(body["idList"])}
        self._call(paths.data_path(api_name, operation), body, context=context, is_write=True)

    def change_owner(self, api_name, data_id, owner_id):
        """Make the employee ``owner_id`` (e.g. ``"1000"``) the owner of record ``data_id``."""
        owners = [str(o) for o in owner_id] if isinstance(owner_id, list | tuple) else [str(owner_id)]
        body = {"dataObjectApiName": api_name, "Data": [{"objectDataId": data_id, "ownerId": owners}]}
        context = gettext("changing the owner of %(object)s %(id)s") % {"object": api_name, "id": data_id}
        self._call(paths.data_path(api_name, "changeOwner"), body, context=context, is_write=True)

    # --- metadata ----------------------------------------------------------------------
    def list_objects(self):
        """The CRM objects: ``[{api_name, label, custom, define_type, active}]``."""
        reply = self._call(paths.OBJECT_LIST, None, context=gettext("the object list"))
        return parse_object_list(reply)

    def describe(self, api_name):
        """The fields of ``api_name`` with labels, types, options and lookup targets.

        See ``connectors.fxiaoke.describe.parse_describe`` for the structure.
        """
        body = {"apiName": api_name}
        reply = self._call(
            paths.OBJECT_DESCRIBE,
            body,
            context=gettext("describing %(object)s") % {"object": api_name},
            extra={"includeDetail": True},
        )
        return parse_describe(reply)

    # --- messages ----------------------------------------------------------------------
    def send_text(self, open_user_ids, content):
        """Send a text message to employees (openUserIds), e.g. to tell an owner an order shipped."""
        if isinstance(open_user_ids, str):
            open_user_ids = [open_user_ids]
        recipients = list(dict.fromkeys(open_user_ids))
        if not recipients or not content:
            raise ValueError("send_text needs at least one openUserId and a non-empty text")
        for start in range(0, len(recipients), MAX_RECIPIENTS):
            body = {
                "toUser": recipients[start : start + MAX_RECIPIENTS],
                "msgType": "text",
                "text": {"content": content},
            }
            self._api.call(paths.MESSAGE_SEND, body, context=gettext("sending a text message"), is_write=True)

    # --- operations --------------------------------------------------------------------
    def call_counts(self, day=None):
        """Calls made by this connector on ``day`` (default today), per interface path."""
        return self.state.call_counts(self.config.connector_key, day=day)

    def test_connection(self):
        """Check credentials, user and CRM access; a ``ConnectionCheck`` in plain words."""
        steps = (
            ("token", self._api.tokens.fetch_new),
            ("user", self.resolve_open_user_id),
            ("crm", self.list_objects),
        )
        return check_connection(self.config, steps)

    def close(self):
        self._api.close()

    def _call(self, path, data, *, context, is_write=False, extra=None):
        """A CRM call as the integration user: ``data`` goes under ``data``, ``extra`` on top."""
        body = {"currentOpenUserId": self.resolve_open_user_id(), **(extra or {})}
        if data is not None:
            body["data"] = data
        return self._api.call(path, body, context=context, is_write=is_write)


def _payload(reply):
    data = reply.get("data")
    return data if isinstance(data, dict) else reply


def _rows(reply):
    return _payload(reply).get("dataList") or []


def _unwrap_record(data):
    # Some answers nest the record once more under "data".
    if isinstance(data, dict) and "_id" not in data and isinstance(data.get("data"), dict):
        return data["data"]
    return data


def _data_id(reply):
    """The new record's id: top-level ``dataId`` (documented) or under ``data``."""
    payload = _payload(reply)
    return reply.get("dataId") or payload.get("dataId") or payload.get("_id")


def _id_list(data_ids):
    return [data_ids] if isinstance(data_ids, str) else [str(i) for i in data_ids]
