"""A fresh CRM tenant per seed, filled from the shared business data set.

Products carry the data set's product numbers as ``product_code`` — the ERP sandbox's
material numbers — and every order uses seeded accounts and products, so both sandboxes
describe one company.
"""

import secrets
from datetime import datetime, time
from decimal import Decimal

from sandbox import clock
from sandbox.fxiaoke import ids, schema
from sandbox.fxiaoke.context import ApiCall
from sandbox.fxiaoke.models import Department, Employee, Tenant
from sandbox.fxiaoke.records import base_data, insert_all
from sandbox.fxiaoke.schema.objects import ACCOUNT_LEVELS, PRODUCT_CATEGORIES, PRODUCT_UNITS
from sandbox.fxiaoke.writes import BEIJING, CENT

BASE_URL = "/sandbox/fxiaoke"
WHOLE_COMPANY = 999999
SALES_DEPARTMENT = 1001
FIRST_USER_ID = 1000


def seed(size, seed, dataset):
    """Create a tenant from ``dataset``; returns what a client needs to connect to it.

    ``size`` and ``seed`` are already reflected in ``dataset``.
    """
    tenant = _new_tenant()
    people = _people(tenant, dataset.employees)
    admin = people[dataset.employees[0]["key"]]
    call = ApiCall(operation="seed", body={}, now=clock.now("fxiaoke"), faults={}, tenant=tenant, user=admin)
    counts = _Seeder(call, people).fill(dataset)
    sales = people[dataset.employees[1]["key"]]
    return {
        "base_url": BASE_URL,
        "tenant": tenant.corp_id,
        "corp_id": tenant.corp_id,
        "app_id": tenant.app_id,
        "app_secret": tenant.app_secret,
        "permanent_code": tenant.permanent_code,
        "open_user_id": admin.open_user_id,
        "mobile": admin.mobile,
        "user_id": admin.user_id,
        "sales_open_user_id": sales.open_user_id,
        "counts": counts,
    }


def reset():
    """Delete every tenant with its people, tokens, records and messages."""
    Tenant.objects.all().delete()


def _new_tenant():
    tenant_id = _unused("tenant_id", lambda: str(secrets.randbelow(900000) + 100000))
    return Tenant.objects.create(
        name=f"沙箱企业{tenant_id}",
        tenant_id=tenant_id,
        corp_id=_unused("corp_id", ids.corp_id),
        app_id=_unused("app_id", ids.app_id),
        app_secret=ids.app_secret(),
        permanent_code=ids.permanent_code(),
    )


def _unused(field, make):
    while True:
        value = make()
        if not Tenant.objects.filter(**{field: value}).exists():
            return value


def _people(tenant, employees):
    """Departments and employees; the first employee is the CRM administrator."""
    Department.objects.bulk_create(
        [
            Department(tenant=tenant, dept_id=WHOLE_COMPANY, name=tenant.name, parent_id=None, order=0),
            Department(tenant=tenant, dept_id=1000, name="总经办", parent_id=WHOLE_COMPANY, order=1),
            Department(
                tenant=tenant, dept_id=SALES_DEPARTMENT, name="销售部", parent_id=WHOLE_COMPANY, order=2
            ),
        ]
    )
    people = {}
    for index, person in enumerate(employees):
        people[person["key"]] = Employee.objects.create(
            tenant=tenant,
            user_id=str(FIRST_USER_ID + index),
            open_user_id=ids.open_user_id(),
            name=person["name"],
            mobile=person["mobile"],
            email=f"{person['key'].lower()}@example.cn",
            position="CRM管理员" if index == 0 else "销售代表",
            main_department_id=1000 if index == 0 else SALES_DEPARTMENT,
            is_crm_admin=index == 0,
        )
    return people


def _ms(day):
    """A date as the platform stores it: ms epoch of Beijing midnight."""
    return int(datetime.combine(day, time(0), tzinfo=BEIJING).timestamp() * 1000)


class _Seeder:
    def __init__(self, call, people):
        self.call = call
        self.people = people
        self.rows = []
        self.ids = {}  # (object, data set key) -> _id

    def fill(self, dataset):
        for department in self.call.tenant.departments.all():
            self._add("DepartmentObj", department.dept_id, self._department(department))
        for key, person in self.people.items():
            self._add("PersonnelObj", key, self._person(person))
        for product in dataset.products:
            self._add("ProductObj", product["number"], self._product(product))
        for customer in dataset.customers:
            self._add("AccountObj", customer["key"], self._account(customer), customer["owner"])
        for contact in dataset.contacts:
            self._add("ContactObj", contact["key"], self._contact(contact))
        for contact in dataset.contacts[: max(3, len(dataset.contacts) // 10)]:
            self._add("LeadsObj", contact["key"], self._lead(contact, dataset))
        for order in dataset.orders:
            self._order(order)
        insert_all(self.call.tenant, self.rows)
        counts = {}
        for api_name, _data in self.rows:
            counts[api_name] = counts.get(api_name, 0) + 1
        return counts

    def _add(self, api_name, key, values, owner_key=None):
        owner = self.people[owner_key] if owner_key else self.call.user
        data = base_data(self.call, schema.get(api_name), [owner.open_user_id])
        data.update(values)
        self.rows.append((api_name, data))
        self.ids[(api_name, key)] = data["_id"]
        return data

    def _department(self, department):
        values = {"name": department.name, "dept_id": str(department.dept_id), "status": "0"}
        if department.parent_id:
            values["parent_id"] = [str(department.parent_id)]
        return values

    def _person(self, person):
        return {
            "name": person.name,
            "user_id": person.user_id,
            "phone": person.mobile,
            "email": person.email,
            "position": person.position,
            "main_department": [str(person.main_department_id)],
            "status": "1" if person.is_stop else "0",
        }

    def _product(self, product):
        category = int(product["category_code"]) - 1
        return {
            "name": product["name"],
            "product_code": product["number"],
            "product_spec": product["spec"],
            "unit": _option_for(PRODUCT_UNITS, product["unit_name"]),
            "price": str(product["price"]),
            "category": PRODUCT_CATEGORIES[category][0],
            "product_status": "1",
        }

    def _account(self, customer):
        level = "ABC".index(customer["level"])
        return {
            "name": customer["name"],
            "account_no": customer["key"],
            "account_type": customer.get("account_type", "1"),
            "account_level": ACCOUNT_LEVELS[level][0],
            "tel": customer["tel"],
            "country": "中国",
            "province": customer["province"],
            "city": customer["city"],
            "address": customer["address"],
            "field_x2Tax__c": customer["tax_code"],
        }

    def _contact(self, contact):
        return {
            "name": contact["name"],
            "account_id": self.ids[("AccountObj", contact["customer_key"])],
            "mobile1": contact["mobile"],
            "email": contact["email"],
            "job_title": contact["title"],
        }

    def _lead(self, contact, dataset):
        company = next(c["name"] for c in dataset.customers if c["key"] == contact["customer_key"])
        return {"name": contact["name"], "company": company, "mobile": contact["mobile"], "leads_status": "2"}

    def _order(self, order):
        lines = [self._line(line) for line in order["lines"]]
        amount = sum((Decimal(line["subtotal"]) for line in lines), Decimal(0))
        master = self._add(
            "SalesOrderObj",
            order["key"],
            {
                "name": order["key"],
                "account_id": self.ids[("AccountObj", order["customer_key"])],
                "order_time": _ms(order["order_date"]),
                "delivery_date": _ms(order["delivery_date"]),
                "order_status": "7",
                "discount": "100",
                "product_amount": str(amount),
                "order_amount": str(amount),
            },
            order["owner"],
        )
        for index, line in enumerate(lines):
            line.update(order_id=master["_id"], name=f"{order['key']}-{index + 1}")
            self._add("SalesOrderProductObj", f"{order['key']}-{index + 1}", line, order["owner"])

    def _line(self, line):
        product_id = self.ids[("ProductObj", line["product_number"])]
        return {
            "product_id": product_id,
            "quantity": str(line["qty"]),
            "product_price": str(line["price"]),
            "sales_price": str(line["price"]),
            "discount": "100",
            "subtotal": str((line["qty"] * line["price"]).quantize(CENT)),
        }


def _option_for(options, label):
    return next(value for value, option_label in options if option_label == label)
