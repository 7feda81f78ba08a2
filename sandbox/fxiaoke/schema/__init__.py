"""Object describes of the simulated CRM, built once from ``objects.OBJECTS``."""

from dataclasses import dataclass, replace

from sandbox.fxiaoke.errors import READ_ONLY_OBJECT, UNKNOWN_OBJECT, WRONG_PATH_FAMILY, ApiError
from sandbox.fxiaoke.schema.fields import SYSTEM_FIELDS
from sandbox.fxiaoke.schema.objects import OBJECTS

ADMIN_USER = "-10000"  # the id the platform uses for "the system" in audit fields


@dataclass(frozen=True)
class ObjectDescribe:
    """One object: its fields (business fields first, then the system ones) and relations."""

    api_name: str
    display_name: str
    fields: dict
    details: tuple = ()
    duplicate_keys: tuple = ("name",)
    auto_prefix: str = ""
    master_api: str = ""
    master_field: str = ""
    read_only: bool = False

    @property
    def is_custom(self):
        return self.api_name.endswith("__c")

    @property
    def define_type(self):
        return "custom" if self.is_custom else "package"

    def describe(self):
        """The object as ``object/describe`` reports it under ``data.describe``."""
        return {
            "api_name": self.api_name,
            "display_name": self.display_name,
            "define_type": self.define_type,
            "is_active": True,
            "fields": {name: f.describe() for name, f in self.fields.items()},
        }

    def list_entry(self):
        """The object as ``object/list`` reports it under ``data.objects``."""
        return {
            "describeApiName": self.api_name,
            "describeDisplayName": self.display_name,
            "defineType": self.define_type,
            "isActive": True,
        }


def _build():
    describes = {}
    for api_name, spec in OBJECTS.items():
        fields = {f.api_name: f for f in spec["fields"]}
        fields.update({f.api_name: f for f in SYSTEM_FIELDS if f.api_name not in fields})
        describes[api_name] = ObjectDescribe(
            api_name=api_name,
            display_name=spec["display_name"],
            fields=fields,
            details=spec.get("details", ()),
            duplicate_keys=spec.get("duplicate_keys", ("name",)),
            auto_prefix=spec.get("auto_prefix", ""),
            read_only=spec.get("read_only", False),
        )
    for master in list(describes.values()):
        for detail_api in master.details:
            detail = describes[detail_api]
            master_field = next(f.api_name for f in detail.fields.values() if f.type == "master_detail")
            describes[detail_api] = replace(detail, master_api=master.api_name, master_field=master_field)
    return describes


DESCRIBES = _build()


def get(api_name):
    """The describe of ``api_name``; an unknown object is an error answer."""
    try:
        return DESCRIBES[api_name]
    except (KeyError, TypeError):
        # [invented] the platform documents no code for an unknown object.
        raise ApiError(
            UNKNOWN_OBJECT, f"对象不存在: {api_name}", f"object {api_name!r} does not exist in this tenant"
        ) from None


def for_write(describe):
    """``describe``, refusing writes to objects the address book maintains."""
    if describe.read_only:
        # [invented] the platform documents no code for this.
        raise ApiError(
            READ_ONLY_OBJECT,
            f"该对象不支持通过接口写入: {describe.api_name}",
            f"{describe.api_name} is maintained in the address book and cannot be written through the Open API",
        )
    return describe


def for_path(api_name, custom_path):
    """The describe of ``api_name``, refusing the wrong path family for it.

    Preset objects live under ``/cgi/crm/v2/``, ``__c`` objects under ``/cgi/crm/custom/v2/``.
    """
    describe = get(api_name)
    if describe.is_custom != custom_path:
        family = "/cgi/crm/custom/v2/" if describe.is_custom else "/cgi/crm/v2/"
        # [invented] code; the rule itself is documented.
        raise ApiError(
            WRONG_PATH_FAMILY,
            f"接口路径与对象类型不匹配: {api_name} 请使用 {family}",
            f"{api_name} must be called under {family}",
        )
    return describe
