"""Every errcode the simulated robot answers has its type; 310000 is told apart by its text."""

import pytest

from connectors.dingtalk.errors import KeywordMissingError, error_for
from connectors.errors import AuthenticationError, PermanentError, RateLimitedError, TransientError


@pytest.mark.parametrize(
    ("code", "message", "kind"),
    [
        (310000, "sign not match, more: [...]", AuthenticationError),
        (310000, "invalid timestamp", AuthenticationError),
        (310000, "keywords not in content, more: [...]", KeywordMissingError),
        (300001, "token is not exist", AuthenticationError),
        (130101, "send too fast, exceed 20 times per minute", RateLimitedError),
        (460101, "message too long", PermanentError),
        (40035, "缺少参数 json", PermanentError),
        (-1, "系统繁忙", TransientError),
    ],
)
def test_each_code_has_its_type(code, message, kind):
    assert type(error_for(code, message)) is kind
