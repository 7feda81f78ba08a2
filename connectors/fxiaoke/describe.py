"""Clean structures from ``object/list`` and ``object/describe`` replies, for field and
option pickers.

Replies come in more than one shape: the payload under ``data`` or at the top level, the
describe under ``data.describe`` or directly in ``data``, fields as a dict keyed by api name
or as a list. Every shape seen in public clients is accepted.
"""

from connectors.fxiaoke.paths import is_custom


def parse_object_list(reply):
    """``[{api_name, label, custom, define_type, active}]`` from an ``object/list`` reply."""
    payload = _payload(reply)
    objects = payload.get("objects") if isinstance(payload, dict) else payload
    return [_object(item) for item in objects or [] if _object_api_name(item)]


def parse_describe(reply):
    """``{api_name, label, fields: [...], details: [...]}`` from an ``object/describe`` reply.

    Each field is ``{api_name, label, type, required, readonly, custom, active, options,
    target_api_name, decimal_places}`` (``decimal_places``: a number's kept decimals, None where
    not given; ``readonly``: the platform maintains it, from ``is_readonly`` [single source: the
    CRM sandbox; a field marked ``define_type: system`` is taken as read-only too only when
    ``is_readonly`` says so]; ``custom``: a tenant's own ``…__c`` field or ``define_type: custom``);
    ``options`` lists ``{label, value}`` (the value is what the CRM stores) and
    ``target_api_name`` names the object a lookup or master-detail field points to.
    ``details`` lists the detail objects (master-detail) when the reply includes them.
    """
    payload = _payload(reply)
    describe = payload.get("describe") or payload.get("objectDescribe") or payload
    return {
        "api_name": describe.get("api_name") or describe.get("apiName") or "",
        "label": describe.get("display_name") or describe.get("displayName") or "",
        "fields": [_field(name, spec) for name, spec in _field_items(describe.get("fields"))],
        "details": _details(payload),
    }


def _payload(reply):
    data = reply.get("data")
    return data if data is not None else reply


def _object_api_name(item):
    return item.get("describeApiName") or item.get("apiName") or item.get("api_name")


def _object(item):
    api_name = _object_api_name(item)
    return {
        "api_name": api_name,
        "label": item.get("describeDisplayName") or item.get("displayName") or api_name,
        "custom": is_custom(api_name),
        "define_type": item.get("defineType") or item.get("define_type") or "",
        "active": bool(item.get("isActive", item.get("is_active", True))),
    }


def _field_items(fields):
    if isinstance(fields, dict):
        return list(fields.items())
    return [(spec.get("api_name") or spec.get("apiName"), spec) for spec in fields or []]


def _field(name, spec):
    return {
        "api_name": spec.get("api_name") or spec.get("apiName") or name,
        "label": spec.get("label") or name,
        "type": spec.get("type") or spec.get("data_type") or "",
        "required": bool(spec.get("is_required", False)),
        "readonly": bool(spec.get("is_readonly", False)),
        "custom": spec.get("define_type") == "custom" or is_custom(spec.get("api_name") or name or ""),
        "active": bool(spec.get("is_active", True)),
        "options": _options(spec.get("options")),
        "target_api_name": spec.get("target_api_name") or None,
        "decimal_places": _places(spec.get("decimal_places")),
    }


def _places(value):
    # Number and currency fields say how many decimals they keep; other fields say nothing.
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _options(options):
    # Options marked not usable are switched off by the administrator: no picker offers them.
    return [
        {"label": str(option.get("label", "")), "value": str(option.get("value", ""))}
        for option in options or []
        if isinstance(option, dict) and not option.get("not_usable", False)
    ]


def _details(payload):
    """Detail objects of a master-detail describe (``includeDetail: true``), if present."""
    details = payload.get("details") or payload.get("detailObjectList") or []
    parsed = []
    for item in details:
        inner = item.get("objectDescribe") or item.get("describe") or item
        api_name = inner.get("api_name") or inner.get("apiName")
        if api_name:
            parsed.append({"api_name": api_name, "label": inner.get("display_name") or api_name})
    return parsed
