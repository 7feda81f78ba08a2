"""One coherent, deterministic business that both sandboxes are seeded from.

The CRM gets the customers, contacts, products and orders; the ERP gets the materials (the
ERP is the master of products) and its base data. Product codes in the CRM equal material
numbers in the ERP, and every order uses seeded customers and products, so the two
simulated systems describe the same company.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

CITIES = [
    ("上海", "上海市"),
    ("北京", "北京市"),
    ("广州", "广东省"),
    ("深圳", "广东省"),
    ("杭州", "浙江省"),
    ("南京", "江苏省"),
    ("苏州", "江苏省"),
    ("成都", "四川省"),
    ("武汉", "湖北省"),
    ("西安", "陕西省"),
    ("天津", "天津市"),
    ("重庆", "重庆市"),
    ("青岛", "山东省"),
    ("厦门", "福建省"),
    ("宁波", "浙江省"),
    ("合肥", "安徽省"),
    ("长沙", "湖南省"),
    ("郑州", "河南省"),
    ("济南", "山东省"),
    ("福州", "福建省"),
]
BRANDS = [
    "华信",
    "恒通",
    "鑫达",
    "博远",
    "中联",
    "瑞丰",
    "天成",
    "宏图",
    "嘉禾",
    "永盛",
    "金桥",
    "东方",
    "海纳",
    "卓越",
    "新锐",
    "正和",
    "百川",
    "长青",
    "汇丰",
    "启明",
]
TRADES = ["科技", "贸易", "机电", "电子", "医疗器械", "化工", "物流", "建材", "食品", "包装"]
STREETS = [
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "和平路",
    "长江路",
    "黄河路",
    "科技园路",
    "工业大道",
    "滨江大道",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "强",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "志强",
    "海燕",
]
TITLES = ["采购经理", "总经理", "财务主管", "技术总监", "销售代表", "仓库主管"]

# (category code, category name, item names, spec pattern, unit number, unit name, base price)
PRODUCT_LINES = [
    ("01", "电机", ["三相异步电机", "伺服电机", "步进电机", "直流无刷电机"], "{}kW", "Pcs", "台", 1800),
    ("02", "传感器", ["温度传感器", "压力传感器", "光电开关", "接近开关"], "量程{}", "Pcs", "个", 260),
    ("03", "控制器", ["PLC控制器", "变频器", "触摸屏", "温控仪"], "型号{}", "Pcs", "台", 3200),
    ("04", "线缆", ["电力电缆", "控制电缆", "屏蔽网线", "光纤跳线"], "{}mm²", "m", "米", 18),
    ("05", "五金", ["不锈钢螺栓", "轴承", "联轴器", "密封圈"], "M{}", "Pcs", "个", 6),
]
CUSTOMER_TYPES = [
    ("KHLB001_SYS", "普通销售客户"),
    ("KHLB002_SYS", "寄售客户"),
    ("KHLB003_SYS", "内部结算客户"),
]
ACCOUNT_LEVELS = [("A", "重要客户"), ("B", "普通客户"), ("C", "潜在客户")]
TAX_RATES = [Decimal("13"), Decimal("13"), Decimal("13"), Decimal("9"), Decimal("6")]


@dataclass
class Dataset:
    customers: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    products: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    employees: list = field(default_factory=list)


def build_dataset(size=50, seed=42, start=date(2026, 9, 1), flaws=False, orders=None, lines=None):
    """Build the business for ``size`` customers (products, contacts and orders scale with it).

    ``flaws`` adds the few bad records every real CRM holds (see ``add_flaws``). ``orders``
    (default ``size``) and ``lines`` per order (default 1 to 3 at random) shape a workload
    for volume tests and the benchmark.
    """
    rng = random.Random(seed)
    data = Dataset()
    data.employees = _employees(rng)
    data.products = _products(max(12, size // 4), rng)
    data.customers = [_customer(i, rng, data.employees) for i in range(size)]
    for customer in data.customers:
        for n in range(1 + (rng.random() < 0.5)):
            data.contacts.append(_contact(customer, n, rng))
    for i in range(size if orders is None else orders):
        data.orders.append(_order(i, rng, data, start, lines))
    if flaws:
        add_flaws(data, start)
    return data


def _employees(rng):
    names = ["张伟", "王芳", "李娜", "刘强", "陈静", "杨磊"]
    return [
        {"key": f"E{i + 1:03d}", "name": name, "mobile": f"1380000{i + 1:04d}", "department": "销售部"}
        for i, name in enumerate(names)
    ]


def _products(count, rng):
    products = []
    for i in range(count):
        code, category, items, spec, unit, unit_name, base = PRODUCT_LINES[i % len(PRODUCT_LINES)]
        serial = i // len(PRODUCT_LINES) + 1
        item = items[serial % len(items)]
        price = Decimal(base) * (Decimal(80 + rng.randint(0, 60)) / 100)
        products.append(
            {
                "number": f"{code}.{serial:04d}",
                "name": f"{item} {code}{serial:03d}",
                "spec": spec.format(rng.choice([1, 2, 4, 5, 7, 10, 15, 22])),
                "category_code": code,
                "category": category,
                "unit_number": unit,
                "unit_name": unit_name,
                "price": price.quantize(Decimal("0.01")),
                "tax_rate": rng.choice(TAX_RATES),
            }
        )
    return products


def _customer(i, rng, employees):
    city, province = CITIES[i % len(CITIES)]
    brand = BRANDS[(i // len(CITIES)) % len(BRANDS)]
    trade = TRADES[(i // (len(CITIES) * len(BRANDS))) % len(TRADES)]
    lap = i // (len(CITIES) * len(BRANDS) * len(TRADES))
    name = f"{city}{brand}{trade}有限公司" + (f"（第{lap + 1}分公司）" if lap else "")
    return {
        "key": f"CUST{i + 1:05d}",
        "name": name,
        "short_name": f"{city}{brand}",
        "province": province,
        "city": city,
        "address": f"{province}{city}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
        "tel": f"0{rng.randint(10, 999)}-{rng.randint(20000000, 89999999)}",
        "tax_code": _uscc(rng),
        "level": ACCOUNT_LEVELS[i % len(ACCOUNT_LEVELS)][0],
        "customer_type": CUSTOMER_TYPES[0][0],
        "owner": employees[i % len(employees)]["key"],
    }


def _uscc(rng):
    """An 18-character unified social credit code shaped like a real one (not checksummed)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "91" + str(rng.randint(110000, 659999)) + "".join(rng.choice(alphabet) for _ in range(10))


def _contact(customer, n, rng):
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    return {
        "key": f"{customer['key']}-C{n + 1}",
        "customer_key": customer["key"],
        "name": name,
        "mobile": f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
        "email": f"contact{customer['key'][4:]}{n + 1}@example.cn",
        "title": rng.choice(TITLES),
    }


def _order(i, rng, data, start, line_count=None):
    customer = data.customers[rng.randrange(len(data.customers))]
    lines = []
    count = rng.randint(1, 3) if line_count is None else line_count
    for product in rng.sample(data.products, k=min(len(data.products), count)):
        lines.append(
            {
                "product_number": product["number"],
                "qty": Decimal(rng.choice([1, 2, 3, 5, 10, 20, 50])),
                "price": product["price"],
                "tax_rate": product["tax_rate"],
            }
        )
    order_date = start + timedelta(days=rng.randint(0, 60))
    return {
        "key": f"SO{i + 1:06d}",
        "customer_key": customer["key"],
        "owner": customer["owner"],
        "order_date": order_date,
        "delivery_date": order_date + timedelta(days=rng.randint(3, 20)),
        "lines": lines,
    }


def add_flaws(data, start):
    """Append three records a sync cannot take as they are, after the regular ones.

    A customer with no name; a customer whose account type (合作伙伴, option "3") has no
    counterpart among the ERP's customer types until someone maps it; and an order for a
    non-standard product made only in the CRM (``crm_only``: no ERP material). None of
    them has contacts, and the order belongs to a regular customer, so each fails alone.
    """
    count, customer = len(data.customers), data.customers[0]
    for offset, name, account_type in ((1, "", "1"), (2, "苏州博远合作伙伴有限公司", "3")):
        flawed = {**customer, "key": f"CUST{count + offset:05d}", "name": name, "short_name": name[2:6]}
        flawed.update(tax_code=f"91320500MA0FLAW{offset:02d}X", account_type=account_type)
        data.customers.append(flawed)
    special = {**data.products[2], "number": "99.0001", "name": "非标控制柜 定制", "crm_only": True}
    special["price"] = Decimal("12800.00")
    data.products.append(special)
    regular = data.products[0]
    data.orders.append(
        {
            "key": f"SO{len(data.orders) + 1:06d}",
            "customer_key": customer["key"],
            "owner": customer["owner"],
            "order_date": start + timedelta(days=7),
            "delivery_date": start + timedelta(days=30),
            "lines": [
                {"product_number": regular["number"], "qty": Decimal(2), "price": regular["price"]},
                {"product_number": special["number"], "qty": Decimal(1), "price": special["price"]},
            ],
        }
    )
