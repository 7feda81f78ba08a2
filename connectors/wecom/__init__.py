"""企业微信 group robot client (``cgi-bin/webhook/send?key=…``)."""

from connectors.wecom.client import WecomRobot, WecomRobotConfig

__all__ = ["WecomRobot", "WecomRobotConfig"]
