"""K3Cloud replies turned into the shared typed errors (``connectors.errors``).

The ERP says what went wrong with a MsgCode; where one code covers several causes (an unknown
field, an unknown form and a duplicate number all come back as "validation" or "exception"),
the ERP's well-known message texts refine the type here, once, so that nobody downstream has
to read message text. The ERP's own words stay in ``message``, its field key in ``field``.
"""

import re

from django.utils.translation import gettext as _

from connectors.errors import (
    AuthenticationError,
    AuthExpiredError,
    NotFoundError,
    OutcomeUnknownError,
    PermanentError,
    RateLimitedError,
    TransientError,
)

SYSTEM = "k3cloud"


class SessionLostError(AuthExpiredError):
    """MsgCode 1: the login session is gone (expired, logged out, or the server restarted)."""


class LockConflictError(TransientError):
    """MsgCode 13: another user or job holds the record; try again shortly."""


class CallLimitError(RateLimitedError):
    """MsgCode 14: the ERP's call limit was reached; slow down."""


class LoginFailedError(AuthenticationError):
    """The login call was refused; ``code`` is the LoginResultType."""


class PermissionDeniedError(PermanentError):
    """MsgCode 2: the API user may not do this on this form or organisation."""


class AdminLoginForbiddenError(AuthenticationError):
    """MsgCode 15: the administrator account may not be used through the Web API."""


class LicenceError(PermanentError):
    """MsgCode 7: the ERP's licence does not cover this call."""


class InvalidRequestError(PermanentError):
    """MsgCode 3, 5, 8: the request itself is malformed (missing form id, bad parameter)."""


class UnknownFormError(InvalidRequestError):
    """The form id (business object) does not exist in this account set."""


class UnknownFieldError(InvalidRequestError):
    """A field key in FieldKeys, FilterString or the model does not exist on the form."""


class ValidationFailedError(PermanentError):
    """MsgCode 9 / 11: the ERP's validation refused the data (required field, bad value)."""


class DuplicateNumberError(ValidationFailedError):
    """The number (FNumber / FBillNo) is already used by another record."""


class MissingReferenceError(ValidationFailedError):
    """A referenced base-data record (customer, material, unit...) is missing or forbidden."""


class DocumentNotFoundError(NotFoundError):
    """MsgCode 10: no record with that number or id."""


class UnprocessedDocumentsError(DocumentNotFoundError):
    """The ERP answered success but left out some of the documents it was asked to act on.

    A real server passes over a number that names no record and still answers
    ``IsSuccess: true`` (spec §9, single source). ``details`` name each left-out document by
    its position in the request (``dindex``); the others were processed.
    """


class NotOperableError(PermanentError):
    """MsgCode 12 and status refusals: the document's status does not allow the operation."""


class ErpFailureError(PermanentError):
    """MsgCode 4 / 6 or an unclassified refusal: the ERP failed on this request.

    Treated as permanent: on K3Cloud these are usually deterministic (a plug-in exception, a
    filter the database rejects); repeating the same request gives the same answer.
    """


MSGCODE_ERRORS = {
    1: SessionLostError,
    2: PermissionDeniedError,
    3: InvalidRequestError,
    4: ErpFailureError,
    5: InvalidRequestError,
    6: ErpFailureError,
    7: LicenceError,
    8: InvalidRequestError,
    9: ValidationFailedError,
    10: DocumentNotFoundError,
    11: ValidationFailedError,
    12: NotOperableError,
    13: LockConflictError,
    14: CallLimitError,
    15: AdminLoginForbiddenError,
}
SESSION_LOST = 1
# Refusals that mean "the ERP did nothing; try again shortly": lock conflict, call limit.
TRY_AGAIN_CODES = frozenset({13, 14})
# MsgCodes whose errors describe input rows (BatchSave reports them per row instead of raising).
ROW_LEVEL_CODES = frozenset({0, 9, 10, 11, 12})

# Only the codes that several causes share are refined by the ERP's message text.
REFINABLE = (ValidationFailedError, InvalidRequestError, ErpFailureError)
# The session-loss text of Chinese and English servers (spec §2a, §9: "会话信息已丢失，请重新
# 登录" / "Session information is lost…"). MsgCode 1 decides first; the text only catches a
# reply that carries it under another code (a proxy or plug-in rewrapping the refusal).
SESSION_LOST_TEXT = re.compile(r"会话信息已丢失|(?i:session information is lost)")
# Known ERP texts (Chinese and English servers) that tell apart causes sharing one MsgCode.
_REFINEMENTS = (
    (SessionLostError, SESSION_LOST_TEXT),
    (
        UnknownFieldError,
        re.compile(
            r"元数据中标识为\s*(?P<field>\S+?)\s*的字段不存在|(?i:field\s+\S+\s+(?:does not|doesn't) exist)"
        ),
    ),
    (UnknownFormError, re.compile(r"业务对象不存在|(?i:business object\b.*\bnot exist)")),
    (DuplicateNumberError, re.compile(r"唯一性|已经被使用|(?i:\bunique\b|already (?:been )?used)")),
    (
        MissingReferenceError,
        re.compile(
            r"基础资料.*(?:不存在|禁用|未分配)|在系统中不存在|未分配到当前组织"
            r"|(?i:base data\b.*\b(?:not exist|forbidden|not allocated))"
        ),
    ),
    (
        NotOperableError,
        re.compile(r"已经审核|才允许|不允许|(?i:already (?:been )?audited|only .* allowed|not allowed)"),
    ),
)


def is_session_lost(status):
    """Whether a reply's ResponseStatus says the login session is gone, in either language.

    By MsgCode 1 first; a refusal under another code counts only when its text is the ERP's
    own session-loss sentence (Chinese or English).
    """
    if status is None or status.is_success:
        return False
    if status.msg_code == SESSION_LOST:
        return True
    return _classify(status, [e.message for e in status.errors if e.message])[0] is SessionLostError


def error_from_status(status, operation):
    """The typed error for a reply whose ``ResponseStatus.IsSuccess`` is false."""
    texts = [e.message for e in status.errors if e.message]
    message = "; ".join(dict.fromkeys(texts)) or _(
        "K3Cloud refused %(operation)s (MsgCode %(code)s) without giving a reason."
    ) % {"operation": operation, "code": status.msg_code}
    error_class, field = _classify(status, texts)
    return error_class(
        message,
        system=SYSTEM,
        code=status.msg_code,
        field=field,
        details=[e.as_dict() for e in status.errors],
    )


def _classify(status, texts):
    base = MSGCODE_ERRORS.get(status.msg_code, ErpFailureError)
    field = next((e.field_name for e in status.errors if e.field_name), None)
    if base not in REFINABLE:
        return base, field
    for refined, pattern in _REFINEMENTS:
        for text in texts:
            match = pattern.search(text)
            if match:
                return refined, field or match.groupdict().get("field")
    return base, field


def transport_failure(text, operation, is_write):
    """A ``response_error:`` body or a reply that is not JSON: the server failed mid-call.

    A read may be repeated; a write may or may not have been applied, so its outcome is unknown.
    """
    detail = text.strip()[:200]
    if is_write:
        return OutcomeUnknownError(
            _("K3Cloud failed while handling %(operation)s (%(detail)s); the write may have been applied.")
            % {"operation": operation, "detail": detail},
            system=SYSTEM,
        )
    return TransientError(
        _("K3Cloud failed while handling %(operation)s: %(detail)s")
        % {"operation": operation, "detail": detail},
        system=SYSTEM,
    )


def http_refusal(status_code, operation, url):
    """An HTTP 4xx: a proxy or a server that is not K3Cloud's Web API answered."""
    return PermanentError(
        _(
            "The server answered HTTP %(status)s to %(operation)s at %(url)s; check that the server "
            "address points at the K3Cloud site (it usually ends with /k3cloud/)."
        )
        % {"status": status_code, "operation": operation, "url": url},
        system=SYSTEM,
        code=status_code,
    )
