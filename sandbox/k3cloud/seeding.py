"""Seeding a fresh account set: organisations, base data, materials, a few ERP customers.

Every seed makes a new tenant with its own credentials, so tests isolate themselves by
tenant. The business comes from the shared ``sandbox.dataset``: its products are this
ERP's materials (numbers equal the CRM's product codes); its customers belong to the CRM,
except a few that already exist here (to be matched, not created, by the hub).
"""

import base64
import secrets
from dataclasses import dataclass

from sandbox import clock
from sandbox.dataset import CUSTOMER_TYPES
from sandbox.k3cloud import store
from sandbox.k3cloud.context import SYSTEM
from sandbox.k3cloud.metadata import FORMS, get_form
from sandbox.k3cloud.models import Counter, Record, Tenant
from sandbox.k3cloud.signing import encode_app_id
from sandbox.k3cloud.values import cut_to_millis, moment_text

ORGS = [("100", "总部", "公司"), ("101", "华东销售公司", "公司"), ("102", "华南销售公司", "公司")]
SALES_ORGS = ("101", "102")
CURRENCIES = [("PRE001", "人民币", "CNY"), ("PRE002", "香港元", "HKD"), ("PRE007", "美元", "USD")]
UNITS = [("Pcs", "Pcs"), ("m", "米"), ("kg", "千克"), ("box", "箱")]
PROVINCES = {
    "北京市": "110000",
    "天津市": "120000",
    "上海市": "310000",
    "江苏省": "320000",
    "浙江省": "330000",
    "安徽省": "340000",
    "福建省": "350000",
    "山东省": "370000",
    "河南省": "410000",
    "湖北省": "420000",
    "湖南省": "430000",
    "广东省": "440000",
    "重庆市": "500000",
    "四川省": "510000",
    "陕西省": "610000",
}
SIMPLE = {
    "BD_SETTLETYPE": [
        ("JSFS01_SYS", "现金"),
        ("JSFS02_SYS", "现金支票"),
        ("JSFS03_SYS", "转账支票"),
        ("JSFS04_SYS", "电汇"),
    ],
    "BD_RecCondition": [("SKTJ01_SYS", "货到收款"), ("SKTJ02_SYS", "月结30天")],
    "BD_RateType": [("HLTX01_SYS", "固定汇率")],
    "BD_Department": [("BM000001", "销售部"), ("BM000002", "财务部"), ("BM000003", "仓储部")],
    "BD_STOCK": [("CK001", "成品仓"), ("CK002", "华东仓"), ("CK003", "华南仓")],
    "CN_RECPAYPURPOSE": [("SFKYT01_SYS", "销售收款"), ("SFKYT02_SYS", "预收款")],
    "CN_BANKACNT": [("YHZH001", "工商银行基本户")],
    "BD_CustomerGroup": [("KHFZ01", "华东客户"), ("KHFZ02", "华南客户")],
}
BILL_TYPES = [
    ("XSDD01_SYS", "标准销售订单", "SAL_SaleOrder"),
    ("FHTZD01_SYS", "标准发货通知单", "SAL_DELIVERYNOTICE"),
    ("XSCKD01_SYS", "标准销售出库单", "SAL_OUTSTOCK"),
    ("SKDLX01_SYS", "销售收款单", "AR_RECEIVEBILL"),
]
# The clerk the business simulation works as: a person, never the hub's API user.
CLERK = ("clerk01", "销售内勤")
STOCKED_CATEGORIES = ("01", "02", "03")  # their materials have a default stock; the rest do not


@dataclass
class Seeder:
    """Writes audited, enabled records straight into a tenant (no validation: seed data)."""

    tenant: Tenant
    now_text: str

    def add(self, form_id, rows, org_id=None, masters=None):
        """Create ``rows`` ({number, name, **fields}) of ``form_id``; returns {number: id}.

        ``masters`` ({number: id}) makes the rows allocated copies of those records.
        """
        form = get_form(form_id)
        records = [
            store.fill_record(
                form, Record(tenant=self.tenant, form=form.form_id), self.doc(form, row, org_id)
            )
            for row in rows
        ]
        for record in records if masters else ():
            record.master_id = masters[record.number]
        Record.objects.bulk_create(records, batch_size=500)
        return {record.number: record.id for record in records}

    def doc(self, form, row, org_id):
        doc = {key: value for key, value in row.items() if key not in ("number", "name")}
        doc[form.number_key] = row["number"]
        if form.name_key:
            doc[form.name_key] = row["name"]
        stamp = {
            "FDocumentStatus": "C",
            "FForbidStatus": "A",
            "FCreateDate": self.now_text,
            "FModifyDate": self.now_text,
            "FApproveDate": self.now_text,
            "FCreatorId": self.tenant.user_id,
            "FModifierId": self.tenant.user_id,
            "FApproverId": self.tenant.user_id,
        }
        if org_id is not None:
            stamp.update(FCreateOrgId=org_id, FUseOrgId=org_id)
        return {**stamp, **doc}


def new_tenant():
    acct_id = secrets.token_hex(7)
    client_secret = secrets.token_bytes(24)
    app_id = encode_app_id(
        str(secrets.randbelow(900000) + 100000), base64.b64encode(client_secret).decode("ascii")
    )
    return Tenant.objects.create(
        acct_id=acct_id,
        name=f"模拟账套{acct_id[-4:].upper()}",
        username="api_user",
        password=secrets.token_urlsafe(12),
        app_id=app_id,
        app_secret=secrets.token_hex(16),
    )


def seed(size=50, seed=42, dataset=None):
    """Create a tenant seeded from ``dataset``; returns its connection details."""
    tenant = new_tenant()
    _create_counters(tenant)
    seeder = Seeder(tenant, moment_text(cut_to_millis(clock.now(SYSTEM))))
    orgs = seeder.add(
        "ORG_Organizations", [{"number": n, "name": name, "FOrgFormID": kind} for n, name, kind in ORGS]
    )
    tenant.org_id = orgs["100"]
    tenant.user_id = seeder.add("SEC_User", [{"number": tenant.username, "name": "集成接口用户"}])[
        tenant.username
    ]
    tenant.save(update_fields=["org_id", "user_id"])
    seeder.add("SEC_User", [{"number": CLERK[0], "name": CLERK[1]}])
    refs = _base_data(seeder, dataset)
    materials = _materials(seeder, dataset, refs, orgs)
    customers = _customers(seeder, dataset, refs, max(1, min(20, size // 10)))
    return {
        "server_url": "/sandbox/k3cloud/",
        "acct_id": tenant.acct_id,
        "username": tenant.username,
        "password": tenant.password,
        "app_id": tenant.app_id,
        "app_secret": tenant.app_secret,
        "lcid": 2052,
        "org_number": "100",
        "org_id": orgs["100"],
        "sales_orgs": [
            {"number": n, "id": orgs[n], "name": dict((o[0], o[1]) for o in ORGS)[n]} for n in SALES_ORGS
        ],
        "currency": "PRE001",
        "materials": len(materials),
        "existing_customers": customers,
    }


def _create_counters(tenant):
    """Every sequence the tenant will use, created up front so that concurrent first uses
    only ever UPDATE them (never race to INSERT the same row)."""
    names = ["entry"] + [f"number:{form.form_id}" for form in FORMS.values()]
    Counter.objects.bulk_create(
        [Counter(tenant=tenant, name=name, value=100000 if name == "entry" else 0) for name in names]
    )


def _base_data(seeder, dataset):
    """Every small base-data form; returns {form: {number: id}}."""
    refs = {
        "BD_Currency": seeder.add(
            "BD_Currency", [{"number": n, "name": name, "FCode": code} for n, name, code in CURRENCIES]
        )
    }
    units = dict(UNITS)
    for product in dataset.products if dataset else []:
        units.setdefault(product["unit_number"], product["unit_name"])
    refs["BD_UNIT"] = seeder.add("BD_UNIT", [{"number": n, "name": name} for n, name in units.items()])
    for form_id, rows in SIMPLE.items():
        refs[form_id] = seeder.add(form_id, [{"number": n, "name": name} for n, name in rows])
    refs["BOS_BillType"] = seeder.add(
        "BOS_BillType", [{"number": n, "name": name, "FBillFormID": form} for n, name, form in BILL_TYPES]
    )
    refs["BOS_ASSISTANTDATA_DETAIL"] = seeder.add("BOS_ASSISTANTDATA_DETAIL", _assistant_rows())
    employees = dataset.employees if dataset else []
    refs["BD_Saler"] = seeder.add(
        "BD_Saler", [{"number": e["key"], "name": e["name"], "FMobile": e["mobile"]} for e in employees]
    )
    groups = {(p["category_code"], p["category"]) for p in (dataset.products if dataset else [])}
    refs["BD_MaterialGroup"] = seeder.add(
        "BD_MaterialGroup", [{"number": c, "name": n} for c, n in sorted(groups)]
    )
    return refs


def _assistant_rows():
    rows = [{"number": n, "name": name, "FGroupNumber": "CustomerType"} for n, name in CUSTOMER_TYPES]
    rows.append({"number": "China", "name": "中国", "FGroupNumber": "Country"})
    rows += [{"number": code, "name": name, "FGroupNumber": "Province"} for name, code in PROVINCES.items()]
    return rows


def _materials(seeder, dataset, refs, orgs):
    """The dataset's products as materials of 总部, allocated to both sales organisations.

    Products the CRM made on its own (``crm_only``) have no material.
    """
    products = [p for p in (dataset.products if dataset else []) if not p.get("crm_only")]
    rows = [_material_row(product, refs) for product in products]
    masters = seeder.add("BD_MATERIAL", rows, org_id=orgs["100"])
    for number in SALES_ORGS:
        seeder.add("BD_MATERIAL", rows, org_id=orgs[number], masters=masters)
    return masters


def _material_row(product, refs):
    unit = refs["BD_UNIT"][product["unit_number"]]
    stocked = product["category_code"] in STOCKED_CATEGORIES
    return {
        "number": product["number"],
        "name": product["name"],
        "FSpecification": product["spec"],
        "FMaterialGroup": refs["BD_MaterialGroup"].get(product["category_code"]),
        "FErpClsID": "1",
        "FBaseUnitId": unit,
        "FStoreUnitID": unit,
        "FSaleUnitId": unit,
        "FStockId": refs["BD_STOCK"]["CK001"] if stocked else None,
        "F_PAEZ_SalePrice": str(product["price"]),
    }


def _customers(seeder, dataset, refs, count):
    """A few of the dataset's customers that already exist in the ERP (audited, in 总部)."""
    tenant = seeder.tenant
    chosen = (dataset.customers if dataset else [])[:count]
    numbers = store.next_numbers(tenant.id, get_form("BD_Customer"), len(chosen))
    assistant = refs["BOS_ASSISTANTDATA_DETAIL"]
    rows = [
        {
            "number": number,
            "name": customer["name"],
            "FShortName": customer["short_name"],
            "FCOUNTRY": assistant["China"],
            "FPROVINCIAL": assistant.get(PROVINCES.get(customer["province"], "")),
            "FADDRESS": customer["address"],
            "FTEL": customer["tel"],
            "FSOCIALCRECODE": customer["tax_code"],
            "FTAXREGISTERCODE": customer["tax_code"],
            "FCustTypeId": assistant.get(customer["customer_type"]),
            "FTRADINGCURRID": refs["BD_Currency"]["PRE001"],
            "FSELLER": refs["BD_Saler"].get(customer["owner"]),
        }
        for number, customer in zip(numbers, chosen, strict=True)
    ]
    seeder.add("BD_Customer", rows, org_id=tenant.org_id)
    return [
        {"number": row["number"], "name": row["name"], "tax_code": row["FSOCIALCRECODE"], "key": c["key"]}
        for row, c in zip(rows, chosen, strict=True)
    ]


def reset():
    """Delete every simulated account set with all its sessions and records."""
    Tenant.objects.all().delete()
