"""What the three robots share: the call log, the per-robot rate limit and the message record.

Each platform module checks its own URL, signature, keywords and body, and raises
``Refused(code, message)`` with the platform's own code; ``receive`` records the message
either way, so the sandbox admin lists the refused ones beside the accepted ones.
"""

import json
from datetime import timedelta

from django.http import JsonResponse

from sandbox import clock, faults
from sandbox.im.models import ReceivedMessage

SYSTEM = "im"


class Refused(Exception):
    """The platform refuses the message with ``code`` and its own ``message`` text."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def decode(request):
    """The JSON object sent, or ``None`` when the body is not one."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def within_rate(robot, per_minute, now):
    """Whether ``robot`` may accept one more message: fewer than ``per_minute`` in the last minute."""
    recent = ReceivedMessage.objects.filter(robot=robot, code=0, received_at__gt=now - timedelta(minutes=1))
    return recent.count() < per_minute


def record(platform, robot, now, body, code, answer, parsed=("", "", "")):
    msg_type, title, content = parsed
    ReceivedMessage.objects.create(
        robot=robot,
        platform=platform,
        received_at=now,
        msg_type=str(msg_type)[:20],
        title=str(title)[:200],
        content=str(content),
        body=body if isinstance(body, dict) else {},
        code=code,
        answer=str(answer)[:300],
    )


def call(request, operation):
    """The call context (fault switches, call log) and the simulated clock's time."""
    context = faults.CallContext(request, SYSTEM, operation)
    return context, clock.now(SYSTEM, context.switches)


def limit(context, name):
    return int(faults.current_faults(SYSTEM, context.switches)[name])


def handle(request, platform, *, find, check, reply, too_fast):
    """One robot call: faults, the robot from the URL, the platform's checks, the rate limit.

    ``find(request)`` returns the robot or ``None``; ``check(request, robot, body, now)`` raises
    ``Refused`` or returns ``(msg_type, title, content)``; ``reply(code, message, now)`` is the
    platform's answer; ``too_fast`` is its ``(code, message)`` past the per-minute limit.
    """
    context, now = call(request, f"{platform}.send")
    early = context.before()
    if early:
        return early
    body, robot = decode(request), find(request)
    try:
        parsed = check(request, robot, body, now)
        if not within_rate(robot, limit(context, f"{platform}_per_minute"), now):
            raise Refused(*too_fast)
    except Refused as refused:
        record(platform, robot, now, body, refused.code, refused.message)
        context.tenant = robot.token[:8] if robot else ""
        return context.respond(
            JsonResponse(reply(refused.code, refused.message, now)), f"code_{refused.code}"
        )
    record(platform, robot, now, body, 0, "ok", parsed)
    context.tenant = robot.token[:8]
    return context.respond(JsonResponse(reply(0, "ok", now)), "ok", rows=1, detail=parsed[2][:200])
