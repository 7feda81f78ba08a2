"""Sends a card to one 飞书 custom bot over the shared HTTP transport.

Body: ``{"msg_type": "interactive", "card": {header, elements: [{"tag": "markdown", …}]}}``
with ``timestamp`` and ``sign`` when the bot signs. The request body may be at most 20 KB,
so the markdown is cut to leave room for the card around it. The hook URL holds the bot's
token and is never logged nor put in errors.
"""

import json
import time
from dataclasses import dataclass, field

from connectors.feishu import errors
from connectors.feishu.signing import sign
from connectors.http import HttpTransport
from connectors.robots import fit, json_answer, with_keyword

MAX_MARKDOWN_BYTES = 16 * 1024  # of a 20 KB body, leaving room for the card and JSON escapes
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
TEMPLATES = {"critical": "red", "warning": "orange", "info": "blue", "recovered": "green"}


@dataclass(frozen=True)
class FeishuBotConfig:
    webhook_url: str  # https://open.feishu.cn/open-apis/bot/v2/hook/… (or the sandbox's)
    secret: str = ""
    keywords: tuple = ()
    timeout: float = 10.0
    clock: callable = field(default=time.time, compare=False)

    def __repr__(self):
        return f"FeishuBotConfig(webhook_url=<hidden>, signed={bool(self.secret)}, keywords={self.keywords})"


class FeishuBot:
    """One bot; ``send_markdown`` raises the typed errors of ``connectors.feishu.errors``."""

    def __init__(self, config, transport=None):
        self.config = config
        self.transport = transport or HttpTransport(errors.SYSTEM, timeout=config.timeout, max_concurrency=1)

    def send_markdown(self, title, text, tone="info"):
        """Post a card titled ``title`` with ``text`` (飞书's markdown); returns the answer."""
        text = fit(
            with_keyword(text, self.config.keywords, also_in=title, separator="\n"), MAX_MARKDOWN_BYTES
        )
        body = {"msg_type": "interactive", "card": card(title, text, tone)}
        if self.config.secret:
            timestamp = str(int(self.config.clock()))
            body.update(timestamp=timestamp, sign=sign(self.config.secret, timestamp))
        # Sent as UTF-8, not \u escapes: the 20 KB limit counts the bytes on the wire.
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        response = self.transport.post_json(
            self.config.webhook_url, data=data, headers=JSON_HEADERS, operation="bot/v2/hook"
        )
        return _answer(response)

    def close(self):
        self.transport.close()


def card(title, text, tone="info"):
    """A message card: a coloured header and one markdown element."""
    return {
        "config": {"wide_screen_mode": True},
        "header": {"title": {"tag": "plain_text", "content": title}, "template": TEMPLATES.get(tone, "blue")},
        "elements": [{"tag": "markdown", "content": text}],
    }


def _answer(response):
    answer = json_answer(response, "飞书", errors.SYSTEM)
    # Current replies carry code/msg; older ones StatusCode/StatusMessage: accept either.
    code = answer.get("code", answer.get("StatusCode", -1))
    if code != 0:
        raise errors.error_for(code, str(answer.get("msg", answer.get("StatusMessage", ""))))
    return answer
