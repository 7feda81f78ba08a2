"""Sending one message through one channel: the only place that knows each kind's client."""

from django.utils.translation import gettext

from connectors.dingtalk import DingtalkRobot, DingtalkRobotConfig
from connectors.errors import PermanentError
from connectors.feishu import FeishuBot, FeishuBotConfig
from connectors.hubhook import HubWebhook, HubWebhookConfig
from connectors.wecom import WecomRobot, WecomRobotConfig
from syncjobs.models import ChannelKind
from syncjobs.operations import mail


def send(channel, title, text, event, tone="info"):
    """Send through ``channel``; raises the clients' typed errors (or the mail backend's)."""
    if channel.kind == ChannelKind.MAIL:
        return _mail(channel, title, text)
    if channel.kind == ChannelKind.WEBHOOK:
        return _closing(
            HubWebhook(HubWebhookConfig(url=channel.webhook_url, secret=channel.secret)), "send_event", event
        )
    robot = robot_for(channel)
    if channel.kind == ChannelKind.FEISHU:
        return _closing(robot, "send_markdown", title, text, tone)
    return _closing(robot, "send_markdown", title, text)


def robot_for(channel):
    """The robot client configured from ``channel`` (secrets decrypted only here)."""
    keywords = channel.keyword_list()
    if channel.kind == ChannelKind.WECOM:
        return WecomRobot(WecomRobotConfig(webhook_url=channel.webhook_url))
    if channel.kind == ChannelKind.DINGTALK:
        return DingtalkRobot(
            DingtalkRobotConfig(channel.webhook_url, secret=channel.secret, keywords=keywords)
        )
    if channel.kind == ChannelKind.FEISHU:
        return FeishuBot(FeishuBotConfig(channel.webhook_url, secret=channel.secret, keywords=keywords))
    raise PermanentError(gettext("This kind of channel has no robot."), system="notify")


def _mail(channel, title, text):
    to = channel.recipient_list() or mail.admin_recipients()
    if not mail.send(title, text, to):
        raise PermanentError(
            gettext("No recipient has an e-mail address: add recipients to the channel."), system="mail"
        )
    return len(to)


def _closing(client, method, *args):
    try:
        return getattr(client, method)(*args)
    finally:
        client.close()
