"""飞书 custom bot: ``POST /open-apis/bot/v2/hook/<token>`` (in place of https://open.feishu.cn).

Facts, with their sources:
- A bot with 签名校验 wants ``timestamp`` (seconds) and ``sign`` in the JSON body; a wrong sign
  or a timestamp more than an hour off answers ``{"code":19021,"data":{},"msg":"sign match fail
  or timestamp is not within one hour from current time"}`` (replies quoted in
  feiyu563/PrometheusAlert#422 and apache/dolphinscheduler#16569).
- A bot with keywords refuses a message containing none: code 19024 "Key Words Not Found"
  [single source: the platform's error list as summarised for this project; no capture found].
- Past the frequency limit (100 a minute, 5 a second per bot): code 11232 "frequency limited"
  (openclaw/openclaw#70879 names 11232 as the flow-control code; the exact msg is uncertain).
- A body it cannot read: code 9499 "Bad Request" (kubesphere/notification-manager#126 retries
  it). The body may be at most 20 KB [documented limit; the code past it is assumed to be 9499].
- An unknown hook token: code 19001 "param invalid: incoming webhook access token invalid"
  [recalled, not captured — uncertain].
- Success: ``{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}``
  [the legacy StatusCode fields beside code/msg are recalled; the client accepts either].
"""

import json

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sandbox.im import inbox, signing
from sandbox.im.models import Platform, Robot

MAX_BYTES = 20 * 1024
TYPES = ("text", "post", "interactive")


@csrf_exempt
@require_POST
def send(request, token):
    return inbox.handle(
        request,
        Platform.FEISHU,
        find=lambda request: Robot.objects.filter(platform=Platform.FEISHU, token=token).first(),
        check=_check,
        reply=_reply,
        too_fast=(11232, "frequency limited"),
    )


def _reply(code, message, now):
    if code == 0:
        return {"StatusCode": 0, "StatusMessage": "success", "code": 0, "data": {}, "msg": "success"}
    return {"code": code, "data": {}, "msg": message}


def _check(request, robot, body, now):
    if robot is None:
        raise inbox.Refused(19001, "param invalid: incoming webhook access token invalid")
    if body is None or len(request.body) > MAX_BYTES:
        raise inbox.Refused(9499, "Bad Request")
    if robot.secret:
        _verify(robot.secret, body.get("timestamp"), body.get("sign"), now)
    parsed = _parse(body)
    if robot.keywords and not any(word in parsed[1] + parsed[2] for word in robot.keywords):
        raise inbox.Refused(19024, "Key Words Not Found")
    return parsed


def _verify(secret, timestamp, sign, now):
    failed = inbox.Refused(19021, "sign match fail or timestamp is not within one hour from current time")
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        raise failed from None
    if not signing.fresh(sent, now) or sign != signing.feishu_sign(secret, timestamp):
        raise failed


def _parse(body):
    msg_type = body.get("msg_type")
    if msg_type not in TYPES:
        raise inbox.Refused(9499, "Bad Request")
    if msg_type == "text":
        content = body.get("content") if isinstance(body.get("content"), dict) else {}
        return msg_type, "", str(content.get("text", ""))
    payload = body.get("card") if msg_type == "interactive" else body.get("content")
    if not isinstance(payload, dict | str) or not payload:
        raise inbox.Refused(9499, "Bad Request")
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return msg_type, _card_title(payload), text


def _card_title(payload):
    header = payload.get("header") if isinstance(payload, dict) else None
    title = header.get("title") if isinstance(header, dict) else None
    return str(title.get("content", ""))[:200] if isinstance(title, dict) else ""
