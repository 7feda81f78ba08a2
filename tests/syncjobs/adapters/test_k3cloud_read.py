"""The K3Cloud adapter's reads over real HTTP against the K3Cloud sandbox."""

from datetime import timedelta

from syncjobs.adapters.base import ReadOptions, TargetRef
from syncjobs.adapters.k3cloud_read import QueryShape, saved_by
from tests.syncjobs.adapters.k3cloud_data import material_numbers, order_model, save_orders

ORDER = "SAL_SaleOrder"
ORDER_FIELDS = [
    "FBillNo",
    "FCustId.FNumber",
    "FNote",
    "FSaleOrderEntry[].FQty",
    "FSaleOrderEntry[].FMaterialId.FNumber",
]


def only(ids):
    return [f"FID in ({','.join(ids)})"]


def orders(erp, erp_tenant, quantities_per_order):
    customer = erp_tenant["existing_customers"][0]["number"]
    materials = material_numbers(erp)
    models = [order_model(customer, materials, quantities) for quantities in quantities_per_order]
    return save_orders(erp, models), customer, materials


def test_read_changed_includes_a_document_audited_after_its_last_save(erp, sandbox, erp_tenant):
    [(audited, _a), (untouched, _b)], _c, _m = orders(erp, erp_tenant, [[1], [2]])
    saved_at = erp.read_ids(ORDER, [untouched], ReadOptions(fields=["FBillNo"]))[0].modified_at
    sandbox.advance_clock("k3cloud", 2)
    erp.client.submit(ORDER, ids=[int(audited)])
    erp.client.audit(ORDER, ids=[int(audited)])
    since = saved_at.replace(microsecond=0) + timedelta(seconds=1)

    pages = list(erp.read_changed(ORDER, since, ReadOptions(fields=ORDER_FIELDS)))

    found = {record.id: record for page in pages for record in page}
    assert audited in found and untouched not in found
    # Audit stamps FApproveDate and leaves FModifyDate: the record's change time is the audit.
    assert found[audited].modified_at >= since > saved_at
    assert found[audited].modified_at.utcoffset() == timedelta(hours=8)


def test_entry_rows_straddling_query_pages_group_into_one_record_each(erp, erp_tenant, erp_calls):
    saved, customer, materials = orders(erp, erp_tenant, [[1, 2, 3], [4, 5], [6], [7, 8, 9, 10, 11]])
    ids = [record_id for record_id, _number in saved]
    erp_calls.mark()

    # One document a page: query pages of four rows, so documents straddle them.
    options = ReadOptions(fields=ORDER_FIELDS, page_size=1, source_filter=only(ids))
    pages = list(erp.read_changed(ORDER, None, options))

    assert [[record.id for record in page] for page in pages] == [[record_id] for record_id in ids]
    records = [page[0] for page in pages]
    assert [[line["FQty"] for line in r.data["FSaleOrderEntry"]] for r in records] == [
        ["1", "2", "3"],
        ["4", "5"],
        ["6"],
        ["7", "8", "9", "10", "11"],
    ]
    assert records[0].data["FSaleOrderEntry"][1]["FMaterialId.FNumber"] == materials[1]
    assert records[3].data["FCustId.FNumber"] == customer
    assert [r.number for r in records] == [number for _id, number in saved]
    # Each full page ends with a document whose rows may go on: the next page starts with it
    # again; the five-row document fills a page alone and is read by itself.
    assert [c["rows"] for c in erp_calls.since_mark("ExecuteBillQuery")] == [4, 4, 4, 4, 1, 0]


def test_audited_only_reads_audited_documents_only(erp, erp_tenant):
    [(draft, _a), (audited, _b)], _c, _m = orders(erp, erp_tenant, [[1], [2]])
    erp.client.submit(ORDER, ids=[int(audited)])
    erp.client.audit(ORDER, ids=[int(audited)])

    options = ReadOptions(fields=["FBillNo"], audited_only=True, source_filter=only([draft, audited]))
    pages = list(erp.read_changed(ORDER, None, options))

    assert [record.id for page in pages for record in page] == [audited]


def test_base_data_reads_the_original_of_each_allocated_material_once(erp, erp_tenant):
    pages = list(
        erp.read_changed("BD_MATERIAL", None, ReadOptions(fields=["FNumber", "FName"], page_size=50))
    )

    numbers = [record.number for page in pages for record in page]
    assert len(numbers) == erp_tenant["materials"] == len(set(numbers))
    assert all(record.data["FName"] for page in pages for record in page)


def test_fetch_current_is_shaped_like_a_save_model(erp, erp_tenant):
    [(order_id, number)], customer, materials = orders(erp, erp_tenant, [[2.5, 1]])

    current = erp.fetch_current(ORDER, [order_id, "999999999"], ORDER_FIELDS)

    assert current == {
        order_id: {
            "FBillNo": number,
            "FCustId": {"FNumber": customer},
            "FNote": current[order_id]["FNote"],
            "FSaleOrderEntry": [
                {"FQty": "2.5", "FMaterialId": {"FNumber": materials[0]}},
                {"FQty": "1", "FMaterialId": {"FNumber": materials[1]}},
            ],
        }
    }


def test_find_by_looks_all_values_up_in_one_query(erp, erp_tenant, erp_calls):
    saved, _c, _m = orders(erp, erp_tenant, [[1], [1], [1]])
    numbers = [number for _id, number in saved]
    erp_calls.mark()

    found = erp.find_by(ORDER, "FBillNo", [*numbers, "NO-SUCH-ORDER"])

    assert found == {number: [TargetRef(record_id, number)] for record_id, number in saved}
    assert len(erp_calls.since_mark("ExecuteBillQuery")) == 1


def test_find_by_ignores_allocated_copies_and_letter_case(erp):
    number = material_numbers(erp, 1)[0]

    found = erp.find_by("BD_MATERIAL", "FNumber", [number.lower()])

    assert [ref.number for ref in found[number.lower()]] == [number]


def test_a_read_reports_the_connectors_own_save_by_its_modifier(erp, erp_tenant):
    [(saved, _number)], _c, _m = orders(erp, erp_tenant, [[1]])

    [record] = erp.read_ids(ORDER, [saved], ReadOptions(fields=["FBillNo"]))

    assert record.saved_by_hub is True


def test_the_modifier_is_judged_only_when_the_connectors_user_and_the_modifier_are_known():
    assert saved_by(100008, 100008) is True and saved_by({"Id": 100008}, "100008") is True
    assert saved_by(100009, 100008) is False
    assert saved_by(0, 100008) is None and saved_by(None, 100008) is None  # 0: nobody
    assert saved_by(100008, None) is None  # signed headers: no login reply to learn the user from
    # A form outside the catalog is not asked for FModifierId: it might refuse the query.
    assert "FModifierId" not in QueryShape("PUR_PurchaseOrder", ["FBillNo"], api_user_id=1).keys
    assert "FModifierId" in QueryShape(ORDER, ["FBillNo"], api_user_id=1).keys
