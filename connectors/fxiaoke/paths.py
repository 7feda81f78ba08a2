"""Open API paths. Preset objects (``AccountObj``) and custom objects (``object_x__c``) live
under different path families; the api name alone decides which."""

TOKEN = "/cgi/corpAccessToken/get/V2"
USER_BY_MOBILE = "/cgi/user/getByMobile"
MESSAGE_SEND = "/cgi/message/send"
# Object list and describe are shared by both families (v2 only).
OBJECT_LIST = "/cgi/crm/v2/object/list"
OBJECT_DESCRIBE = "/cgi/crm/v2/object/describe"

PRESET_DATA = "/cgi/crm/v2/data/"
CUSTOM_DATA = "/cgi/crm/custom/v2/data/"
CUSTOM_SUFFIX = "__c"

# The data actions this client uses, as the path's last segment.
DATA_ACTIONS = frozenset({"query", "get", "create", "update", "invalid", "delete", "recover", "changeOwner"})


def is_custom(api_name):
    """True for custom objects, whose api names end in ``__c``."""
    return api_name.endswith(CUSTOM_SUFFIX)


def data_path(api_name, action):
    """The data path for ``action`` on the object ``api_name``, e.g. ``/cgi/crm/v2/data/get``."""
    if action not in DATA_ACTIONS:
        raise ValueError(f"unknown Fxiaoke data action {action!r}")
    if not api_name:
        raise ValueError("an object api name is required")
    return (CUSTOM_DATA if is_custom(api_name) else PRESET_DATA) + action
