"""Sends markdown to one 钉钉 custom robot over the shared HTTP transport.

Body: ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}``. With a secret the URL
carries ``timestamp`` and ``sign``; with keywords the text is made to contain one (the robot
refuses it otherwise). The access token and secret are never logged nor put in errors.
"""

import time
from dataclasses import dataclass, field

from connectors.dingtalk import errors
from connectors.dingtalk.signing import signed_url
from connectors.http import HttpTransport
from connectors.robots import fit, json_answer, with_keyword

# The documented limit is on the message; 20000 bytes is recalled, not verified [uncertain],
# so stay well under it.
MAX_TEXT_BYTES = 18000


@dataclass(frozen=True)
class DingtalkRobotConfig:
    webhook_url: str  # https://oapi.dingtalk.com/robot/send?access_token=… (or the sandbox's)
    secret: str = ""  # 加签 secret (SEC…); empty when the robot does not sign
    keywords: tuple = ()
    timeout: float = 10.0
    clock: callable = field(default=time.time, compare=False)

    def __repr__(self):
        return (
            f"DingtalkRobotConfig(webhook_url=<hidden>, signed={bool(self.secret)}, keywords={self.keywords})"
        )


class DingtalkRobot:
    """One robot; ``send_markdown`` raises the typed errors of ``connectors.dingtalk.errors``."""

    def __init__(self, config, transport=None):
        self.config = config
        self.transport = transport or HttpTransport(errors.SYSTEM, timeout=config.timeout, max_concurrency=1)

    def send_markdown(self, title, text):
        """Post ``title`` and ``text`` (markdown) as one message; returns the platform's answer."""
        text = fit(with_keyword(f"#### {title}\n\n{text}", self.config.keywords), MAX_TEXT_BYTES)
        body = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
        response = self.transport.post_json(self._url(), json=body, operation="robot/send")
        return _answer(response)

    def _url(self):
        if not self.config.secret:
            return self.config.webhook_url
        return signed_url(self.config.webhook_url, self.config.secret, int(self.config.clock() * 1000))

    def close(self):
        self.transport.close()


def _answer(response):
    answer = json_answer(response, "钉钉", errors.SYSTEM)
    code = answer.get("errcode", -1)
    if code != 0:
        raise errors.error_for(code, str(answer.get("errmsg", "")))
    return answer
