"""``/cgi/message/send``: messages to employees, recorded so tests and people can see them."""

from sandbox.fxiaoke import errors
from sandbox.fxiaoke.errors import ApiError
from sandbox.fxiaoke.models import Message
from sandbox.fxiaoke.views.base import endpoint

MAX_RECIPIENTS = 500
SUPPORTED_TYPES = ("text", "composite", "articles")
# Types the platform knows for other channels but this interface does not send [I].
UNSUPPORTED_TYPES = ("image", "file", "voice", "video", "link", "card")


@endpoint("corp")
def send(call):
    """Record a message to 1–500 employees; the answer is the envelope only (no message id) [D]."""
    to_users = _recipients(call)
    msg_type = call.body.get("msgType")
    if msg_type in UNSUPPORTED_TYPES:
        raise ApiError(
            errors.MSG_TYPE_UNSUPPORTED, f"不支持的消息类型: {msg_type}", "message type not supported"
        )
    if msg_type not in SUPPORTED_TYPES:
        raise ApiError(errors.MSG_TYPE_ILLEGAL, "msgType不合法", f"msgType {msg_type!r} is illegal")
    content = _content(call.body, msg_type)
    Message.objects.create(
        tenant=call.tenant,
        to_users=to_users,
        msg_type=msg_type,
        content=content,
        body=call.body,
        sent_at=call.now,
    )
    call.rows = len(to_users)
    # Recipients and text in the call log, so a test can tell who was told what.
    call.detail = f"to {','.join(to_users)}: {content}"
    return {}


def _recipients(call):
    to_users = call.body.get("toUser")
    if not to_users:
        raise ApiError(errors.TO_USER_MISSING, "toUser为必填项", "the parameter toUser is missing")
    known = call.directory.by_open_user_id
    if (
        not isinstance(to_users, list)
        or len(to_users) > MAX_RECIPIENTS
        or any(not isinstance(u, str) or u not in known for u in to_users)
    ):
        raise ApiError(
            errors.TO_USER_ILLEGAL,
            "toUser不合法",
            f"toUser must list 1–{MAX_RECIPIENTS} openUserIds of this enterprise's employees",
        )
    return to_users


def _content(body, msg_type):
    if msg_type != "text":
        return str(body.get(msg_type, ""))[:2000]
    text = body.get("text")
    content = text.get("content") if isinstance(text, dict) else None
    if not isinstance(content, str) or not content.strip():
        raise ApiError(errors.EMPTY_TEXT, "消息内容为空", "text.content is empty")
    return content
