"""钉钉 custom robot client (``robot/send?access_token=…``, optional 加签)."""

from connectors.dingtalk.client import DingtalkRobot, DingtalkRobotConfig
from connectors.dingtalk.signing import sign

__all__ = ["DingtalkRobot", "DingtalkRobotConfig", "sign"]
