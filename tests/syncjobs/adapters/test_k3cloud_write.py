"""The K3Cloud adapter's writes and post-actions over real HTTP against the K3Cloud sandbox."""

import itertools

from connectors.errors import OutcomeUnknownError, PermanentError
from connectors.k3cloud.errors import NotOperableError, ValidationFailedError
from syncjobs.adapters.base import ReadOptions, TargetRef, WriteItem
from tests.syncjobs.adapters.k3cloud_data import customer_model, material_numbers, order_model

ORDER = "SAL_SaleOrder"
CUSTOMER = "BD_Customer"
_names = itertools.count(1)


def an_order(erp, erp_tenant, quantities=(1,), **fields):
    customer = erp_tenant["existing_customers"][0]["number"]
    return {**order_model(customer, material_numbers(erp), list(quantities)), **fields}


def created(erp, obj, payloads):
    results = erp.write(obj, [WriteItem(key=f"src-{i}", payload=p) for i, p in enumerate(payloads)])
    assert all(r.ok for r in results), [str(r.error) for r in results]
    return [r.target for r in results]


def status(erp, obj, ref):
    return erp.fetch_current(obj, [ref.id], ["FDocumentStatus"])[ref.id]["FDocumentStatus"]


def test_a_batch_is_written_with_one_batch_save(erp, erp_tenant, erp_calls):
    items = [WriteItem(key=f"src-{i}", payload=an_order(erp, erp_tenant, [i + 1])) for i in range(5)]
    erp_calls.mark()

    results = erp.write(ORDER, items)

    assert [r.key for r in results] == [item.key for item in items]
    assert all(r.ok and r.target.id and r.target.number.startswith("XSDD") for r in results)
    assert [c["operation"] for c in erp_calls.since_mark()] == ["BatchSave"]
    current = erp.fetch_current(ORDER, [r.target.id for r in results], ["FSaleOrderEntry[].FQty"])
    assert [current[r.target.id]["FSaleOrderEntry"][0]["FQty"] for r in results] == ["1", "2", "3", "4", "5"]


def test_mixed_row_outcomes_reach_the_items_they_belong_to(erp, erp_tenant):
    good = an_order(erp, erp_tenant, FNote="first")
    without_customer = {key: value for key, value in an_order(erp, erp_tenant).items() if key != "FCustId"}
    also_good = an_order(erp, erp_tenant, FNote="third")
    items = [WriteItem("a", good), WriteItem("b", without_customer), WriteItem("c", also_good)]

    results = erp.write(ORDER, items)

    assert [(r.key, r.ok) for r in results] == [("a", True), ("b", False), ("c", True)]
    assert isinstance(results[1].error, ValidationFailedError)
    assert results[1].error.field == "FCustId" and "客户" in results[1].error.message
    notes = erp.fetch_current(ORDER, [results[0].target.id, results[2].target.id], ["FNote"])
    assert notes == {results[0].target.id: {"FNote": "first"}, results[2].target.id: {"FNote": "third"}}


def test_an_update_names_the_primary_key_and_update_fields_limit_what_changes(erp, erp_tenant):
    [order] = created(erp, ORDER, [an_order(erp, erp_tenant, [3], FNote="before")])
    changed = an_order(erp, erp_tenant, [9], FNote="after")

    [result] = erp.write(ORDER, [WriteItem("x", changed, target_id=order.id, update_fields=["FNote"])])

    assert result.ok and result.target == order
    current = erp.fetch_current(ORDER, [order.id], ["FNote", "FSaleOrderEntry[].FQty"])[order.id]
    assert current == {"FNote": "after", "FSaleOrderEntry": [{"FQty": "3"}]}


def test_an_update_keeps_the_entry_rows_it_changes_in_place(erp, erp_tenant, erp_calls):
    [order] = created(erp, ORDER, [an_order(erp, erp_tenant, [1, 2])])
    lines = ["FSaleOrderEntry[].FEntryID", "FSaleOrderEntry[].FQty"]
    before = erp.fetch_current(ORDER, [order.id], lines)[order.id]["FSaleOrderEntry"]
    changed = an_order(erp, erp_tenant, [7, 8, 9])
    erp_calls.mark()

    [result] = erp.write(ORDER, [WriteItem("x", changed, target_id=order.id)])

    # One query for the current entry ids of every update in the batch, then the BatchSave.
    assert [c["operation"] for c in erp_calls.since_mark()] == ["ExecuteBillQuery", "BatchSave"]
    after = erp.fetch_current(ORDER, [order.id], lines)[order.id]["FSaleOrderEntry"]
    assert result.ok and [line["FQty"] for line in after] == ["7", "8", "9"]
    assert [line["FEntryID"] for line in after[:2]] == [line["FEntryID"] for line in before]
    assert after[2]["FEntryID"] not in {line["FEntryID"] for line in before}


def test_an_update_whose_lines_were_all_removed_clears_the_entry_table(erp):
    contacts = [{"FNAME1": "仓一"}, {"FNAME1": "仓二"}]
    [customer] = created(
        erp, CUSTOMER, [customer_model(f"清空地址{next(_names)}", FT_BD_CUSTCONTACT=contacts)]
    )
    emptied = customer_model("清空地址后", FT_BD_CUSTCONTACT=[])

    [result] = erp.write(CUSTOMER, [WriteItem("x", emptied, target_id=customer.id)])

    assert result.ok, result.error
    current = erp.fetch_current(CUSTOMER, [customer.id], ["FName", "FT_BD_CUSTCONTACT[].FNAME1"])[customer.id]
    assert current["FName"] == "清空地址后" and not current.get("FT_BD_CUSTCONTACT")


def test_an_update_that_leaves_an_order_without_lines_is_refused_by_the_erp(erp, erp_tenant):
    [order] = created(erp, ORDER, [an_order(erp, erp_tenant, [1, 2])])

    [result] = erp.write(
        ORDER, [WriteItem("x", an_order(erp, erp_tenant, FSaleOrderEntry=[]), target_id=order.id)]
    )

    assert isinstance(result.error, ValidationFailedError) and result.error.field == "FSaleOrderEntry"
    lines = erp.fetch_current(ORDER, [order.id], ["FSaleOrderEntry[].FQty"])[order.id]["FSaleOrderEntry"]
    assert [line["FQty"] for line in lines] == ["1", "2"]


def test_a_create_with_no_lines_sends_none(erp):
    [customer] = created(erp, CUSTOMER, [customer_model(f"无地址{next(_names)}", FT_BD_CUSTCONTACT=[])])
    current = erp.fetch_current(CUSTOMER, [customer.id], ["FT_BD_CUSTCONTACT[].FNAME1"])[customer.id]
    assert not current.get("FT_BD_CUSTCONTACT")


def test_a_line_field_mapped_onto_the_header_fails_its_item_and_not_the_batch(erp, erp_tenant):
    misplaced = an_order(erp, erp_tenant, FQty="1")  # a mapping mistake: FQty belongs to the lines
    items = [WriteItem("good", an_order(erp, erp_tenant)), WriteItem("bad", misplaced)]

    good, bad = erp.write(ORDER, items)

    assert good.ok and not bad.ok and isinstance(bad.error, ValidationFailedError)
    assert "ResolveFiled_InnerEx" in bad.error.message and "Key:FQty" in bad.error.message


def test_a_lost_batch_save_answer_is_an_unknown_outcome_for_every_item(erp, erp_tenant, sandbox):
    notes = [f"lost answer {next(_names)}" for _ in range(3)]
    items = [WriteItem(f"k{i}", an_order(erp, erp_tenant, FNote=note)) for i, note in enumerate(notes)]
    sandbox.set_faults("k3cloud", drop_after_commit_rate=1.0, operations=["BatchSave"])

    results = erp.write(ORDER, items)

    assert [r.ok for r in results] == [False, False, False]
    assert all(isinstance(r.error, OutcomeUnknownError) for r in results)
    sandbox.clear_faults("k3cloud")
    # The ERP did save them: looking them up is how the engine settles the outcome.
    found = erp.find_by(ORDER, "FNote", notes)
    assert sorted(found) == sorted(notes) and all(len(refs) == 1 for refs in found.values())


def test_submit_and_audit_post_actions_audit_the_written_documents(erp, erp_tenant):
    refs = created(erp, ORDER, [an_order(erp, erp_tenant), an_order(erp, erp_tenant)])

    assert erp.post_action(ORDER, {"action": "submit"}, refs) == {ref.id: None for ref in refs}
    assert erp.post_action(ORDER, {"action": "audit"}, refs) == {ref.id: None for ref in refs}

    assert [status(erp, ORDER, ref) for ref in refs] == ["C", "C"]


def test_post_action_refusals_are_reported_per_document(erp, erp_tenant):
    submitted, saved = created(erp, ORDER, [an_order(erp, erp_tenant), an_order(erp, erp_tenant)])
    erp.post_action(ORDER, {"action": "submit"}, [submitted])

    outcome = erp.post_action(ORDER, {"action": "audit"}, [submitted, saved])

    assert outcome[submitted.id] is None
    assert isinstance(outcome[saved.id], NotOperableError)
    assert saved.number in outcome[saved.id].message
    assert status(erp, ORDER, submitted) == "C" and status(erp, ORDER, saved) == "A"


def test_allocate_resolves_organisation_numbers_once_per_adapter(erp, erp_calls):
    first, second = created(erp, CUSTOMER, [customer_model(f"分配客户{next(_names)}") for _ in range(2)])
    for action in ("submit", "audit"):
        erp.post_action(CUSTOMER, {"action": action}, [first, second])
    erp_calls.mark()

    assert erp.post_action(CUSTOMER, {"action": "allocate", "organisations": ["101", "102"]}, [first]) == {
        first.id: None
    }
    assert erp.post_action(CUSTOMER, {"action": "allocate", "organisations": ["102"]}, [second]) == {
        second.id: None
    }

    assert [c["operation"] for c in erp_calls.since_mark()] == ["ExecuteBillQuery", "Allocate", "Allocate"]
    copies = list(erp.client.query(CUSTOMER, ["FCUSTID"], f"FNumber = '{first.number}'"))
    assert len(copies) == 3
    assert erp.find_by(CUSTOMER, "FNumber", [first.number]) == {first.number: [first]}


def test_allocate_to_an_unknown_organisation_fails_each_record_with_a_clear_message(erp):
    [customer] = created(erp, CUSTOMER, [customer_model(f"无组织客户{next(_names)}")])

    outcome = erp.post_action(CUSTOMER, {"action": "allocate", "organisations": ["999"]}, [customer])

    assert isinstance(outcome[customer.id], PermanentError)
    assert "999" in outcome[customer.id].message


def test_void_forbids_base_data_and_the_read_marks_it_deleted(erp):
    [customer] = created(erp, CUSTOMER, [customer_model(f"停用客户{next(_names)}")])

    erp.void(CUSTOMER, customer)

    with_deleted = ReadOptions(fields=["FName"], include_deleted=True)
    assert [r.deleted for r in erp.read_ids(CUSTOMER, [customer.id], with_deleted)] == [True]
    assert erp.read_ids(CUSTOMER, [customer.id], ReadOptions(fields=["FName"])) == []


def test_void_cancels_a_bill(erp, erp_tenant):
    [order] = created(erp, ORDER, [an_order(erp, erp_tenant)])

    erp.void(ORDER, order)

    [record] = erp.read_ids(ORDER, [order.id], ReadOptions(include_deleted=True))
    assert record.deleted and record.number == order.number


def test_update_fields_writes_one_field_back(erp):
    [customer] = created(erp, CUSTOMER, [customer_model(f"回写客户{next(_names)}", FTEL="0571-1")])

    erp.update_fields(CUSTOMER, customer.id, {"FTEL": "0571-2"})

    assert erp.fetch_current(CUSTOMER, [customer.id], ["FName", "FTEL"])[customer.id]["FTEL"] == "0571-2"
    assert erp.find_by(CUSTOMER, "FNumber", [customer.number]) == {
        customer.number: [TargetRef(customer.id, customer.number)]
    }


def test_call_counts_come_from_the_shared_counters(erp):
    erp.find_by(CUSTOMER, "FNumber", ["X"])

    counts = erp.call_counts()

    assert counts["ExecuteBillQuery"] == 1 and counts["ValidateUser"] == 1


def test_an_unknown_salesman_is_refused_naming_the_field(erp, erp_tenant):
    # IsVerifyBaseDataField is sent by default, so the ERP refuses instead of blanking. The
    # words of that refusal are the sandbox's own (single source: the real server's text was
    # not found), so only the type family and the field it names are relied on.
    [result] = erp.write(ORDER, [WriteItem("a", an_order(erp, erp_tenant, FSalerId={"FNumber": "E404"}))])

    assert not result.ok
    assert isinstance(result.error, ValidationFailedError)
    assert result.error.field == "FSalerId"


def test_without_verification_an_unknown_salesman_is_left_blank_and_the_order_saved(erp, erp_tenant):
    payload = an_order(erp, erp_tenant, FSalerId={"FNumber": "E404"})

    [result] = erp.write(ORDER, [WriteItem("a", payload, verify_references=False)])

    assert result.ok, result.error
    current = erp.fetch_current(ORDER, [result.target.id], ["FSalerId.FNumber", "FNote"])
    assert current[result.target.id] == {"FSalerId": {"FNumber": None}, "FNote": payload["FNote"]}


def test_an_unknown_customer_type_is_refused_on_an_update_too(erp):
    [customer] = created(erp, CUSTOMER, [customer_model(f"校验客户{next(_names)}")])
    change = {"FCustTypeId": {"FNumber": "KHLB404_SYS"}}

    [result] = erp.write(
        CUSTOMER, [WriteItem("a", change, target_id=customer.id, update_fields=list(change))]
    )

    assert isinstance(result.error, ValidationFailedError) and result.error.field == "FCustTypeId"
    current = erp.fetch_current(CUSTOMER, [customer.id], ["FCustTypeId.FNumber"])
    assert current[customer.id]["FCustTypeId"]["FNumber"] == "KHLB001_SYS"  # the default, kept
