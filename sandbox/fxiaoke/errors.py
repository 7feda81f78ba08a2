"""The error answers of the simulated Fxiaoke Open API.

Every error comes back with HTTP 200 and an ``errorCode``. Codes marked [D] come from the
platform's documentation, [P] were seen live, [C] are what public clients handle. Codes marked
**[invented]** stand where the platform documents nothing (a missing record, a missing required
field, an unknown field, a duplicate, an unknown object, a query the platform refuses for a
reason other than the offset, a record in a state that forbids the operation, data permission,
a write to an address-book object, the token endpoint called too often): they are plausible choices of this sandbox, kept in one
place, and clients must treat them as ordinary permanent errors.

Where the live platform and its code table disagree, the live answer wins. The one public
capture of live answers is a probe with fake credentials against ``open.fxiaoke.com``
(repository fxp/skillify, ``skills/fxiaoke/data/probe-log.md`` P2–P6, summarised in
``skills/fxiaoke/references/errors-and-limits.md`` §2); every [P] fact below is single-source:

- The token endpoint answered a fake appId with a fake secret ``{"errorCode":10006,
  "errorMessage":"the parameter appSecret is missing or illegal","errorDescription":
  "缺少参数或参数不合法","traceId":"open-api-gateway-web/…"}`` (P2). The code table's 20006
  ("appId or appSecret wrong") was never seen, so the sandbox answers an unknown or missing
  appId and a wrong or missing appSecret with that 10006 answer, and never answers 20006;
  clients still read both as wrong credentials. Token-endpoint errors carry the gateway's
  ``open-api-gateway-web/…`` traceId (the capture elides what follows the slash).
- Business calls: no corpAccessToken at all → ``{"traceId":"E-O.null.-1000-…","errorMessage":
  "corpAccessToken为必填项，不能为空","errorCode":20017}`` (P3; the table says 20017 is
  "corpId not found"); a forged token → the same three keys with 20016 and "the cropId,
  cropAccessToken or authorization is error" (P4, P6). Neither carries ``errorDescription``.

Messages imitate the platform's own (it answers in English and Chinese); they are remote data,
not console text, so they are not translated.
"""

BUSY = -1  # [D] system busy: retry with backoff
SYSTEM_TIMEOUT = 50009  # [D] platform-side timeout: retry with backoff
EMPTY_POST = 12004  # [D] empty POST body
MISSING_PARAMETER = 10001  # [D] range 10001–10015: a required parameter is missing or illegal
# [P] "the parameter appSecret is missing or illegal": live answer to a fake appId + secret
APP_CREDENTIALS_ILLEGAL = 10006
OFFSET_OUT_OF_RANGE = 10013  # [D] paging page: "offset out of range 10000"
TO_USER_MISSING = 10015  # [D] message: toUser missing
TO_USER_ILLEGAL = 11016  # [D] message: toUser illegal
MSG_TYPE_ILLEGAL = 11017  # [D] message: msgType illegal
MSG_TYPE_UNSUPPORTED = 12003  # [D] message: type not supported
EMPTY_TEXT = 12005  # [D] message: empty text
APP_ILLEGAL = 20006  # [D] appId or appSecret wrong; never seen live, so never answered here
OPEN_USER_NOT_FOUND = 20012  # [D] openUserId not found
PERMANENT_CODE_ILLEGAL = 20015  # [D] permanentCode illegal
TOKEN_INVALID = 20016  # [D,P] corpAccessToken expired or unknown: refresh once; no errorDescription
TOKEN_MISSING = 20017  # [P] no corpAccessToken sent (the table says "corpId not found"); no errorDescription
RATE_LIMITED = 14001  # [C] "接口调用超过限制": the per-interface limit
QUOTA_EXHAUSTED = 30002  # [D] daily Open API quota used up; resets at 00:00 Beijing time
NO_QUOTA = 30003  # [D] no Open API quota bought
DEPARTMENT_NOT_FOUND = 30007  # [D] department does not exist

# [invented] — the platform documents none of these; see the module docstring.
RECORD_NOT_FOUND = 32101
REQUIRED_FIELD_MISSING = 32102
UNKNOWN_FIELD = 32103
DUPLICATE_RECORD = 32104
ILLEGAL_FIELD_VALUE = 32105
RECORD_STATE_FORBIDS = 32106
UNKNOWN_OBJECT = 32107
WRONG_PATH_FAMILY = 32108
ILLEGAL_QUERY = 32109
NO_DATA_PERMISSION = 32110
READ_ONLY_OBJECT = 32111


class ApiError(Exception):
    """An error answer: ``errorCode``, ``errorMessage`` and, unless ``description`` is None,
    ``errorDescription``."""

    def __init__(self, code, message, description=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.description = description

    def envelope(self):
        """The answer's error fields; ``errorDescription`` only where the platform sends one."""
        answer = {"errorCode": self.code, "errorMessage": self.message}
        if self.description is not None:
            answer["errorDescription"] = self.description
        return answer


def busy():
    return ApiError(BUSY, "系统繁忙，请稍后再试", "system busy")


def system_timeout():
    return ApiError(SYSTEM_TIMEOUT, "系统超时，请稍后再试", "system timeout")


def missing(parameter):
    return ApiError(
        MISSING_PARAMETER, f"the parameter {parameter} is missing or illegal", f"缺少参数{parameter}"
    )


def not_found(api_name, object_id):
    return ApiError(
        RECORD_NOT_FOUND,
        f"数据不存在或已被删除: {api_name} {object_id}",
        f"{api_name} record {object_id} does not exist or was deleted",
    )


def illegal_value(field, value, reason):
    return ApiError(
        ILLEGAL_FIELD_VALUE,
        f"字段值不合法: {field}={value!r}: {reason}",
        f"field {field} has an illegal value {value!r}: {reason}",
    )


def state_forbids(api_name, object_id, reason):
    return ApiError(
        RECORD_STATE_FORBIDS,
        f"当前数据状态不允许此操作: {api_name} {object_id}: {reason}",
        f"{api_name} record {object_id}: {reason}",
    )


def illegal_query(reason):
    return ApiError(ILLEGAL_QUERY, f"查询条件不合法: {reason}", reason)


def no_permission(api_name, object_id):
    return ApiError(
        NO_DATA_PERMISSION,
        "无此操作的数据权限",
        f"the current user may not act on {api_name} record {object_id}",
    )


def bad_app_credentials():
    """The live answer to an unknown appId or a wrong appSecret (probe P2, single-source)."""
    return ApiError(
        APP_CREDENTIALS_ILLEGAL, "the parameter appSecret is missing or illegal", "缺少参数或参数不合法"
    )


def token_missing():
    """No corpAccessToken in a business call: 20017 without errorDescription (probe P3)."""
    return ApiError(TOKEN_MISSING, "corpAccessToken为必填项，不能为空")


def token_invalid():
    """A forged, expired or foreign corpAccessToken: 20016 without errorDescription (P4, P6)."""
    return ApiError(TOKEN_INVALID, "the cropId,cropAccessToken or authorization is error")
