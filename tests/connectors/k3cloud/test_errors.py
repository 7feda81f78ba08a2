"""MsgCodes and the ERP's messages mapped to typed errors."""

import pytest

from connectors.errors import AuthExpiredError, OutcomeUnknownError, PermanentError, TransientError
from connectors.k3cloud.errors import (
    CallLimitError,
    DocumentNotFoundError,
    DuplicateNumberError,
    ErpFailureError,
    LockConflictError,
    MissingReferenceError,
    NotOperableError,
    PermissionDeniedError,
    SessionLostError,
    UnknownFieldError,
    UnknownFormError,
    ValidationFailedError,
    error_from_status,
    transport_failure,
)
from connectors.k3cloud.results import ResponseStatus, find_status


def status(msg_code, *messages, field=None):
    return ResponseStatus.parse(
        {
            "IsSuccess": False,
            "MsgCode": msg_code,
            "Errors": [{"FieldName": field, "Message": m, "DIndex": 0} for m in messages],
        }
    )


def test_duplicate_number_is_a_permanent_typed_error_with_the_erp_message(load_fixture):
    error = error_from_status(find_status(load_fixture("duplicate_number.json")), "Save")

    assert isinstance(error, DuplicateNumberError) and isinstance(error, PermanentError)
    assert error.message == "违反字段唯一性要求：编码唯一。[test5]在当前系统中已经被使用。"
    assert error.field == "FBillNo" and error.code == 11
    assert error.details[0]["dindex"] == 0


def test_unknown_field_names_the_field_from_the_message(load_fixture):
    error = error_from_status(find_status(load_fixture("unknown_field_query.json")), "ExecuteBillQuery")
    assert isinstance(error, UnknownFieldError)
    assert error.field == "FIssueType"


def test_required_fields_are_validation_errors_with_all_messages(load_fixture):
    error = error_from_status(find_status(load_fixture("required_field.json")), "Save")
    assert type(error) is ValidationFailedError
    assert error.field == "FCustomerID"
    assert "字段“客户”是必填项" in error.message and "【仓库】字段必录" in error.message


def test_already_audited_is_not_operable(load_fixture):
    error = error_from_status(find_status(load_fixture("audit_already_audited.json")), "Audit")
    assert isinstance(error, NotOperableError)


@pytest.mark.parametrize(
    ("msg_code", "message", "expected"),
    [
        (1, "会话信息已丢失，请重新登录", SessionLostError),
        (2, "没有权限", PermissionDeniedError),
        (4, "业务对象不存在", UnknownFormError),
        (4, "Object reference not set", ErpFailureError),
        (13, "数据被锁定，冲突，请稍候再使用", LockConflictError),
        (14, "调用次数超出限制", CallLimitError),
        (11, "字段“客户”的值“NOPE”在系统中不存在、已禁用或未分配到当前组织", MissingReferenceError),
        (10, "客户“C9”不存在，可能已被删除", DocumentNotFoundError),
        (12, "单据编号为“SO1”的销售订单，单据已经审核！", NotOperableError),
        (99, "something new", ErpFailureError),
    ],
)
def test_msgcodes_map_to_types(msg_code, message, expected):
    assert type(error_from_status(status(msg_code, message), "Save")) is expected


def test_transient_and_session_types_are_retryable_or_renewable():
    assert issubclass(LockConflictError, TransientError)
    assert issubclass(CallLimitError, TransientError)
    assert issubclass(SessionLostError, AuthExpiredError)


def test_a_refusal_without_messages_still_says_what_happened():
    error = error_from_status(status(11), "Save")
    assert "Save" in error.message and "11" in error.message


def test_response_error_body_is_transient_for_reads_and_unknown_for_writes():
    assert type(transport_failure("timeout in plugin", "View", is_write=False)) is TransientError
    error = transport_failure("timeout in plugin", "Save", is_write=True)
    assert isinstance(error, OutcomeUnknownError)
    assert "timeout in plugin" in error.message
