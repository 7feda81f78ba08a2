"""Sends markdown to one 企业微信 group robot over the shared HTTP transport.

Body: ``{"msgtype": "markdown", "markdown": {"content": …}}``, content at most 4096 bytes
(UTF-8), so longer text is cut at a character boundary with a marker. The key in the URL is
the robot's only credential: it is never logged (the transport logs no URLs) nor put in errors.
"""

from dataclasses import dataclass

from connectors.http import HttpTransport
from connectors.robots import fit, json_answer
from connectors.wecom import errors

MAX_MARKDOWN_BYTES = 4096


@dataclass(frozen=True)
class WecomRobotConfig:
    webhook_url: str  # https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… (or the sandbox's)
    timeout: float = 10.0

    def __repr__(self):
        return "WecomRobotConfig(webhook_url=<hidden>)"


class WecomRobot:
    """One robot; ``send_markdown`` raises the typed errors of ``connectors.wecom.errors``."""

    def __init__(self, config, transport=None):
        self.config = config
        self.transport = transport or HttpTransport(errors.SYSTEM, timeout=config.timeout, max_concurrency=1)

    def send_markdown(self, title, text):
        """Post ``title`` and ``text`` (markdown) as one message; returns the platform's answer."""
        content = fit(f"**{title}**\n{text}", MAX_MARKDOWN_BYTES)
        body = {"msgtype": "markdown", "markdown": {"content": content}}
        response = self.transport.post_json(self.config.webhook_url, json=body, operation="webhook/send")
        return _answer(response)

    def close(self):
        self.transport.close()


def _answer(response):
    answer = json_answer(response, "企业微信", errors.SYSTEM)
    code = answer.get("errcode", -1)
    if code != 0:
        raise errors.error_for(code, str(answer.get("errmsg", "")))
    return answer
