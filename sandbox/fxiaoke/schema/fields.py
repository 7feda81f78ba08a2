"""Field definitions: what each field of an object accepts and how describe reports it."""

from dataclasses import dataclass

# Field types whose value is a list (owner and every other employee/department field, too).
LIST_TYPES = frozenset({"employee", "department", "select_many"})
NUMBER_TYPES = frozenset({"number", "currency", "percentile"})
TIME_TYPES = frozenset({"date", "date_time"})
REFERENCE_TYPES = frozenset({"object_reference", "master_detail"})
TEXT_TYPES = frozenset({"text", "long_text", "email", "phone_number", "url", "auto_number"})


@dataclass(frozen=True)
class Field:
    """One field of an object.

    ``writable`` is False for fields the platform maintains itself (ids, audit fields,
    statuses); writes that carry them are accepted and the values ignored, because clients
    often echo back records they read.
    """

    api_name: str
    label: str
    type: str
    required: bool = False
    options: tuple = ()  # ((value, label), ...) for select_one / select_many / record_type
    target: str = ""  # the object an object_reference / master_detail points to
    decimal_places: int = 2
    writable: bool = True
    define_type: str = "package"  # "system", "package" or "custom"

    @property
    def is_list(self):
        return self.type in LIST_TYPES

    @property
    def option_values(self):
        return {value for value, _label in self.options}

    def describe(self):
        """The field as ``object/describe`` reports it under ``data.describe.fields``."""
        out = {
            "api_name": self.api_name,
            "label": self.label,
            "type": self.type,
            "define_type": self.define_type,
            "is_required": self.required,
            "is_readonly": not self.writable,
            "is_active": True,
        }
        if self.options:
            out["options"] = [
                {"label": label, "value": value, "not_usable": False} for value, label in self.options
            ]
        if self.target:
            out["target_api_name"] = self.target
        if self.type in NUMBER_TYPES:
            out["decimal_places"] = self.decimal_places
        if self.type in TIME_TYPES:
            out["time_zone"] = "GMT+8"
            out["date_format"] = "yyyy-MM-dd" if self.type == "date" else "yyyy-MM-dd HH:mm"
        return out


def _custom(api_name):
    return "custom" if api_name.endswith("__c") else "package"


def text(api_name, label, required=False, kind="text"):
    return Field(api_name, label, kind, required=required, define_type=_custom(api_name))


def number(api_name, label, required=False, kind="number", decimal_places=2):
    return Field(
        api_name, label, kind, required, decimal_places=decimal_places, define_type=_custom(api_name)
    )


def money(api_name, label, required=False):
    return number(api_name, label, required, kind="currency")


def date(api_name, label, required=False, kind="date"):
    return Field(api_name, label, kind, required=required, define_type=_custom(api_name))


def boolean(api_name, label):
    return Field(api_name, label, "true_or_false", define_type=_custom(api_name))


def select(api_name, label, options, required=False, many=False):
    kind = "select_many" if many else "select_one"
    return Field(api_name, label, kind, required, options=tuple(options), define_type=_custom(api_name))


def employee(api_name, label, required=False):
    return Field(api_name, label, "employee", required=required, define_type=_custom(api_name))


def lookup(api_name, label, target, required=False):
    return Field(api_name, label, "object_reference", required, target=target, define_type=_custom(api_name))


def master(api_name, label, target):
    # The server fills it from the master the details are created with.
    return Field(api_name, label, "master_detail", target=target, writable=False)


def auto_number(api_name, label):
    # Generated when absent; a client may still set it (some tenants allow manual numbers).
    return Field(api_name, label, "auto_number")


def system(api_name, label, kind, options=()):
    return Field(api_name, label, kind, options=tuple(options), writable=False, define_type="system")


LIFE_STATUSES = (
    ("ineffective", "未生效"),
    ("under_review", "审核中"),
    ("normal", "正常"),
    ("in_change", "变更中"),
    ("invalid", "作废"),
)

# Present on every object, maintained by the platform (owner and data_own_department aside).
SYSTEM_FIELDS = (
    system("_id", "_id", "text"),
    Field("owner", "负责人", "employee", define_type="system"),
    system("owner_department", "负责人主属部门", "text"),
    Field("data_own_department", "归属部门", "department", define_type="system"),
    system("created_by", "创建人", "employee"),
    system("create_time", "创建时间", "date_time"),
    system("last_modified_by", "最后修改人", "employee"),
    system("last_modified_time", "最后修改时间", "date_time"),
    system("life_status", "生命状态", "select_one", LIFE_STATUSES),
    system("lock_status", "锁定状态", "select_one", (("0", "未锁定"), ("1", "锁定"))),
    Field(
        "record_type",
        "业务类型",
        "record_type",
        options=(("default__c", "预设业务类型"),),
        define_type="system",
    ),
    system("is_deleted", "is_deleted", "true_or_false"),
    system("version", "version", "number"),
    system("relevant_team", "相关团队", "embedded_object_list"),
    system("tenant_id", "tenant_id", "text"),
    system("object_describe_api_name", "object_describe_api_name", "text"),
)
