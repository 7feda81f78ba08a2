"""``GET /sandbox/im/messages``: what the robots were sent, for tests and the demo (not a platform API)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from sandbox.im.models import ReceivedMessage


@require_GET
def messages(request):
    """Messages oldest first, after ``after_id``, optionally of one ``platform``, ``robot`` (token) or ``code``."""
    rows = ReceivedMessage.objects.filter(id__gt=int(request.GET.get("after_id", 0))).order_by("id")
    if request.GET.get("platform"):
        rows = rows.filter(platform=request.GET["platform"])
    if request.GET.get("robot"):
        rows = rows.filter(robot__token=request.GET["robot"])
    if request.GET.get("code"):
        rows = rows.filter(code=int(request.GET["code"]))
    return JsonResponse({"messages": [_row(message) for message in rows[:1000]]})


def _row(message):
    return {
        "id": message.id,
        "platform": message.platform,
        "robot": message.robot.token if message.robot else None,
        "received_at": message.received_at.isoformat(),
        "msg_type": message.msg_type,
        "title": message.title,
        "content": message.content,
        "code": message.code,
        "answer": message.answer,
    }
