"""Reading requests the way the ERP does: both body forms, keys in any case.

A service takes named arguments (``{"formid": ..., "data": ...}``, ``data`` an object or a
JSON string) or positional ones (``{"parameters": [...]}``, the Java SDK and the C# doc).
Form-encoded bodies (``FormId=...&Data=...``) are read too, as the real IIS service does.
"""

import json
from urllib.parse import parse_qsl


class BodyError(ValueError):
    """The request body cannot be read as a call."""


def ci_get(mapping, name, default=None):
    """``mapping[name]`` ignoring case (exact match first)."""
    if not isinstance(mapping, dict):
        return default
    if name in mapping:
        return mapping[name]
    lowered = name.lower()
    for key, value in mapping.items():
        if str(key).lower() == lowered:
            return value
    return default


def _decode(text):
    try:
        return json.loads(text)
    except ValueError as error:
        raise BodyError(f"JSON 无效（{error.msg}，第 {error.pos} 个字符）") from error


def _body(request):
    text = request.body.decode("utf-8-sig", errors="replace")
    if "application/x-www-form-urlencoded" in request.content_type and not text.lstrip().startswith("{"):
        return dict(parse_qsl(text, keep_blank_values=True))
    body = _decode(text) if text.strip() else {}
    if not isinstance(body, dict):
        raise BodyError("请求体必须是 JSON 对象")
    return body


def read_arguments(request, names):
    """The service's arguments by name (as given in ``names``), from either body form."""
    body = _body(request)
    positional = ci_get(body, "parameters")
    if positional is not None:
        if isinstance(positional, str):
            positional = _decode(positional)
        if not isinstance(positional, list):
            raise BodyError("parameters 必须是数组")
        arguments = dict(zip(names, positional, strict=False))
    else:
        arguments = {name: ci_get(body, name) for name in names if ci_get(body, name) is not None}
    if "data" in arguments:
        arguments["data"] = read_data(arguments["data"])
    return arguments


def read_data(value):
    """``data`` as a dict or list: an object, or a JSON string of one."""
    if isinstance(value, str):
        value = _decode(value) if value.strip() else {}
    if not isinstance(value, (dict, list)):
        raise BodyError("data 必须是 JSON 对象")
    return value


def as_int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return default


def as_flag(value, default):
    """A boolean option: true/false, "true"/"false", 1/0."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def id_list(value):
    """Ids given as "1,2", [1, 2], 1 or "1"."""
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [as_int(item) for item in items if str(item).strip() and as_int(item)]


def text_list(value):
    """Numbers given as ["A", "B"], "A,B" or "A"."""
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]
