"""钉钉 custom robot: ``POST /robot/send?access_token=T[&timestamp=&sign=]`` (in place of
https://oapi.dingtalk.com).

Facts, with their sources:
- A robot with 加签 refuses a missing or wrong sign with errcode 310000 "sign not match"
  (replies quoted in RayWangQvQ/BiliBiliTool#566, x-cold/dingtalk-robot#7; newer servers put a
  longer Chinese description in errmsg, qd-today/qd#510) and an old timestamp with 310000
  "invalid timestamp" (leitingting08/ding-bot-sdk#3).
- A robot with keywords refuses a message containing none of them: 310000 "keywords not in
  content" (timonwong/prometheus-webhook-dingtalk#197, zhuifengshen/DingtalkChatbot#44). Which
  fields count is not documented precisely; here the markdown title and text, or the text content.
- More than 20 messages a minute: errcode 130101 "send too fast, exceed 20 times per minute"
  (ccfos/nightingale#369).
- An unknown access token: errcode 300001 "token is not exist" [from memory of the platform's
  replies; no capture found in the search corpus — uncertain].
- A message over 20000 bytes: 460101 "message too long, exceed 20000 bytes" [uncertain: the limit
  and code are recalled, not captured]. A body that is not JSON or an unknown msgtype: 40035
  "缺少参数 json" [uncertain].
- Success: ``{"errcode":0,"errmsg":"ok"}``.
"""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sandbox.im import inbox, signing
from sandbox.im.models import Platform, Robot

MAX_BYTES = 20000
MORE = ", more: [https://open.dingtalk.com/document/robots/custom-robot-access]"


@csrf_exempt
@require_POST
def send(request):
    return inbox.handle(
        request,
        Platform.DINGTALK,
        find=_robot,
        check=_check,
        reply=_reply,
        too_fast=(130101, "send too fast, exceed 20 times per minute"),
    )


def _robot(request):
    token = request.GET.get("access_token", "")
    return Robot.objects.filter(platform=Platform.DINGTALK, token=token).first() if token else None


def _reply(code, message, now):
    return {"errcode": code, "errmsg": message + (MORE if code == 310000 else "")}


def _check(request, robot, body, now):
    if robot is None:
        raise inbox.Refused(300001, "token is not exist")
    if robot.secret:
        _verify(robot.secret, request.GET.get("timestamp", ""), request.GET.get("sign", ""), now)
    parsed = _parse(body)
    if robot.keywords and not any(word in parsed[1] + parsed[2] for word in robot.keywords):
        raise inbox.Refused(310000, "keywords not in content")
    return parsed


def _verify(secret, timestamp, sign, now):
    try:
        sent_ms = int(timestamp)
    except ValueError:
        raise inbox.Refused(310000, "sign not match") from None
    if not signing.fresh(sent_ms / 1000, now):
        raise inbox.Refused(310000, "invalid timestamp")
    if sign != signing.dingtalk_sign(secret, sent_ms):
        raise inbox.Refused(310000, "sign not match")


def _parse(body):
    if body is None or body.get("msgtype") not in ("text", "markdown"):
        raise inbox.Refused(40035, "缺少参数 json")
    msg_type = body["msgtype"]
    part = body.get(msg_type) if isinstance(body.get(msg_type), dict) else {}
    title = str(part.get("title", "")) if msg_type == "markdown" else ""
    content = str(part.get("text" if msg_type == "markdown" else "content", ""))
    if not content:
        raise inbox.Refused(40035, "缺少参数 json")
    if len((title + content).encode("utf-8")) > MAX_BYTES:
        raise inbox.Refused(460101, f"message too long, exceed {MAX_BYTES} bytes")
    return msg_type, title, content
