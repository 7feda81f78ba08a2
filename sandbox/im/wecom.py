"""企业微信 group robot: ``POST /cgi-bin/webhook/send?key=KEY`` (in place of https://qyapi.weixin.qq.com).

Facts, with their sources:
- The key in the URL is the only credential; an unknown or missing key answers
  ``{"errcode":93000,"errmsg":"invalid webhook url, hint: [...], from ip: ..., more info at
  https://open.work.weixin.qq.com/devtool/query?e=93000"}`` (reply quoted in
  wes-lin/Cloud189Checkin#175 and zema1/watchvuln#146).
- ``markdown.content`` is at most 4096 bytes (UTF-8): longer answers errcode 40058
  "markdown.content exceed max length 4096. invalid Request Parameter, ..." (replies quoted in
  RayWangQvQ/BiliBiliTool#569 and dromara/domain-admin#82). ``text.content`` is documented at
  2048 bytes; its error text is assumed to follow the same pattern [single source: the
  platform's page 91770 as cited by others, not a captured reply].
- 20 messages a minute per robot (document 91770); beyond that errcode 45009 "api freq out of
  limit" [the code is WeChat's general frequency code; no captured robot reply was found].
- An unknown ``msgtype`` answers 40008 and a body that is not JSON 40035 [assumed: WeChat's
  general codes for "invalid message type" and "invalid parameter"; not seen in a capture].
- Success: ``{"errcode":0,"errmsg":"ok"}`` (document 91770, and every capture above).
"""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sandbox.im import inbox
from sandbox.im.models import Platform, Robot

LIMITS = {"markdown": 4096, "text": 2048}
HINT = ", hint: [{hint}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e={code}"


@csrf_exempt
@require_POST
def send(request):
    return inbox.handle(
        request,
        Platform.WECOM,
        find=_robot,
        check=_check,
        reply=_reply,
        too_fast=(45009, "api freq out of limit"),
    )


def _robot(request):
    key = request.GET.get("key", "")
    return Robot.objects.filter(platform=Platform.WECOM, token=key).first() if key else None


def _reply(code, message, now):
    if code:
        message += HINT.format(hint=int(now.timestamp() * 1000), code=code)
    return {"errcode": code, "errmsg": message}


def _check(request, robot, body, now):
    if robot is None:
        raise inbox.Refused(93000, "invalid webhook url")
    if body is None:
        raise inbox.Refused(40035, "invalid parameter: the body is not a JSON object")
    msg_type = body.get("msgtype")
    if msg_type not in LIMITS:
        raise inbox.Refused(40008, f"invalid message type: {msg_type}")
    part = body.get(msg_type)
    content = part.get("content") if isinstance(part, dict) else None
    if not isinstance(content, str) or not content:
        raise inbox.Refused(40035, f"invalid parameter: {msg_type}.content is empty")
    if len(content.encode("utf-8")) > LIMITS[msg_type]:
        raise inbox.Refused(
            40058, f"{msg_type}.content exceed max length {LIMITS[msg_type]}. invalid Request Parameter"
        )
    return msg_type, "", content
