"""Channels and rules on the simulated robots, for the notification tests."""

from syncjobs.models import AlertRule, ChannelKind, NotificationChannel, Severity


def channel(sandbox, robots, kind=ChannelKind.WECOM, name=None, **fields):
    details = robots.get(kind, {})
    values = {"webhook_url": sandbox.base_url + details["path"]} if details else {}
    if details.get("secret"):
        values["secret"] = details["secret"]
    if details.get("keywords"):
        values["keywords"] = ",".join(details["keywords"])
    values.update(fields)
    return NotificationChannel.objects.create(name=name or str(kind), kind=kind, **values)


def rule(*channels, name="everything", flows=(), **fields):
    fields.setdefault("min_severity", Severity.INFO)
    made = AlertRule.objects.create(name=name, **fields)
    made.channels.set(channels)
    made.flows.set(flows)
    return made


def received(sandbox, robots, platform, **params):
    """What this test's robot of ``platform`` was sent, oldest first, refused messages included."""
    params = {"platform": platform, "robot": robots[platform]["token"], **params}
    response = sandbox.http.get(f"{sandbox.base_url}/sandbox/im/messages", params=params, timeout=30)
    response.raise_for_status()
    return response.json()["messages"]


def robot_messages(sandbox, robots, platform):
    """The content of the messages this test's robot of ``platform`` accepted, oldest first."""
    return [message["content"] for message in received(sandbox, robots, platform, code=0)]
