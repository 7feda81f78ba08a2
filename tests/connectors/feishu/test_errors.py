"""Every code the simulated bot answers has its type."""

import pytest

from connectors.errors import AuthenticationError, PermanentError, RateLimitedError, TransientError
from connectors.feishu.errors import KeywordMissingError, error_for


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (19001, AuthenticationError),
        (19021, AuthenticationError),
        (19024, KeywordMissingError),
        (11232, RateLimitedError),
        (9499, TransientError),
        (12345, PermanentError),
    ],
)
def test_each_code_has_its_type(code, kind):
    assert type(error_for(code, "x")) is kind
