"""Replies parsed into typed results, from the spec's literal replies (§8)."""

from connectors.k3cloud.results import BatchSaveResult, OperationResult, find_status, has_row_outcomes


def test_save_success_gives_id_number_and_success_entity(load_fixture):
    payload = load_fixture("save_success.json")
    status = find_status(payload)

    result = OperationResult.parse("Save", payload, status)

    assert status.is_success and status.msg_code == 0 and status.error_code is None
    assert (result.id, result.number) == (100029, "FKSQ000004")
    assert result.entities[0].id == 100029 and result.entities[0].dindex == 0
    assert result.need_return_data == ({},)


def test_audit_success_has_messages_and_takes_id_from_the_entity(load_fixture):
    payload = load_fixture("audit_success.json")
    result = OperationResult.parse("Audit", payload, find_status(payload))

    assert result.numbers == ["AR00004867"]
    assert result.id == 100029
    assert result.messages == ["单据编号为“AR00004867”的应收单，审核成功！"]


def test_errors_carry_field_message_and_dindex(load_fixture):
    status = find_status(load_fixture("required_field.json"))

    assert not status.is_success and status.msg_code == 11 and status.error_code == 500
    assert [(e.field_name, e.dindex) for e in status.errors] == [("FCustomerID", 0), ("FStockID", 0)]
    assert status.errors[0].message == "字段“客户”是必填项"


def test_query_error_wrapped_in_two_lists_is_found(load_fixture):
    status = find_status(load_fixture("unknown_field_query.json"))
    assert status.msg_code == 9
    assert status.errors[0].message == "元数据中标识为FIssueType的字段不存在"


def test_session_lost_is_found_in_both_forms(load_fixture):
    assert find_status(load_fixture("session_lost.json")).msg_code == 1
    assert find_status(load_fixture("session_lost_query.json")).msg_code == 1


def test_query_rows_and_bill_query_rows_carry_no_status(load_fixture):
    assert find_status(load_fixture("query_rows.json")) is None
    assert find_status([{"FNumber": "C0001", "FName": "x"}]) is None
    assert find_status([]) is None


def test_null_response_status_counts_as_success(load_fixture):
    status = find_status(load_fixture("view_customer.json"))
    assert status.is_success


def test_keys_are_read_regardless_of_case():
    payload = {
        "result": {"responseStatus": {"isSuccess": False, "msgCode": 13, "errors": [{"message": "冲突"}]}}
    }
    status = find_status(payload)
    assert status.msg_code == 13 and status.errors[0].message == "冲突"


def test_batch_save_outcomes_are_mapped_back_to_rows_by_dindex(load_fixture):
    # Shape inferred from the spec: errors and entities of one reply share the DIndex space.
    status = find_status(load_fixture("batch_save_mixed.json"))

    result = BatchSaveResult.parse(status, 5)

    assert [r.ok for r in result.rows] == [True, False, True, False, False]
    assert result.rows[0].entity.number == "CUST0101"
    assert result.rows[1].errors[0].field_name == "FNumber"
    assert len(result.rows[3].errors) == 2
    assert "客户名称" in result.rows[3].message
    assert [r.index for r in result.unreported] == [4]
    assert [r.index for r in result.saved] == [0, 2]
    assert [r.index for r in result.failed] == [1, 3]
    assert has_row_outcomes(status, 5)
