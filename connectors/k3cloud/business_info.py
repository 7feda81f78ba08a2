"""QueryBusinessInfo's answer read as a flat list of a form's fields.

No captured reply of a real server is known, so the reading is tolerant: the metadata may sit
in ``Result.NeedReturnData``, ``Result.Result`` or ``Result`` itself (one object or a list of
one); entities under ``Entrys`` or ``Entities``, fields under ``Fields``; a name as plain text
or localised (``[{"Key": 2052, "Value": ...}]``); "required" as ``MustInput`` (0/1 or a flag),
``IsMustInput`` or ``Required``; "read-only" as ``IsLocked``, ``Lock`` or ``ReadOnly``. The
sandbox answers the first of each (see ``sandbox.k3cloud.business_info``).
"""

from dataclasses import dataclass

from connectors.k3cloud.results import get_key

HEAD = "FBillHead"
_CONTAINERS = ("NeedReturnData", "Result")
_ENTITY_LISTS = ("Entrys", "Entities", "EntryList")
_REQUIRED = ("MustInput", "IsMustInput", "Required")
_READONLY = ("IsLocked", "Lock", "ReadOnly", "IsReadOnly")
_TYPES = ("ElementType", "FieldType", "Type")


@dataclass(frozen=True)
class BusinessField:
    """One field of a form as the ERP describes it.

    ``entity`` is the key of the entity holding it (``FBillHead`` for the header, else the
    entry table's key); ``ref_form`` is the form a reference field points at, when given.
    """

    key: str
    name: str
    type: str
    entity: str
    required: bool
    readonly: bool
    ref_form: str | None = None


def parse_business_info(payload, lcid=2052):
    """The fields of a QueryBusinessInfo reply, in the order the ERP lists them."""
    info = _metadata(payload)
    entities = _first_list(info, _ENTITY_LISTS)
    if entities is None:  # a flat reply: the fields straight under the metadata
        return [_field(raw, HEAD, lcid) for raw in get_key(info, "Fields") or () if isinstance(raw, dict)]
    fields = []
    for entity in entities:
        if not isinstance(entity, dict):
            continue
        entity_key = str(get_key(entity, "Key") or get_key(entity, "Id") or HEAD)
        fields += [
            _field(raw, entity_key, lcid) for raw in get_key(entity, "Fields") or () if isinstance(raw, dict)
        ]
    return [f for f in fields if f.key]


def _metadata(payload):
    """The object holding the entities (or the fields): unwrapped from Result/NeedReturnData."""
    current = payload
    for _depth in range(4):
        if isinstance(current, list) and len(current) == 1:
            current = current[0]
        if not isinstance(current, dict) or _first_list(current, (*_ENTITY_LISTS, "Fields")) is not None:
            break
        current = next((get_key(current, name) for name in _CONTAINERS if get_key(current, name)), None)
    return current if isinstance(current, dict) else {}


def _first_list(mapping, names):
    for name in names:
        value = get_key(mapping, name)
        if isinstance(value, list):
            return value
    return None


def _field(raw, entity_key, lcid):
    key = str(get_key(raw, "Key") or get_key(raw, "FieldName") or "")
    return BusinessField(
        key=key,
        name=localised(get_key(raw, "Name"), lcid) or key,
        type=str(_first(raw, _TYPES) or ""),
        entity=str(get_key(raw, "EntityKey") or entity_key),
        required=_flag(_first(raw, _REQUIRED)),
        readonly=_flag(_first(raw, _READONLY)),
        ref_form=get_key(raw, "LookUpObjectFormId") or None,
    )


def _first(raw, names):
    return next((get_key(raw, name) for name in names if get_key(raw, name) is not None), None)


def localised(value, lcid=2052):
    """Text of a plain or localised name, in ``lcid`` when given, else 2052, else the first."""
    if isinstance(value, str) or value is None:
        return value or ""
    if isinstance(value, dict):
        value = [value]
    texts = {}
    for item in value if isinstance(value, list) else ():
        if isinstance(item, dict):
            locale = get_key(item, "Key", get_key(item, "LocaleId"))
            texts.setdefault(str(locale), str(get_key(item, "Value", get_key(item, "Name")) or ""))
    return texts.get(str(lcid)) or texts.get("2052") or next(iter(texts.values()), "")


def _flag(value):
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)
