"""Every errcode the simulated robot answers has its type (what to do about it)."""

import pytest

from connectors.errors import AuthenticationError, PermanentError, RateLimitedError, TransientError
from connectors.wecom.errors import error_for


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (93000, AuthenticationError),
        (45009, RateLimitedError),
        (40058, PermanentError),
        (40008, PermanentError),
        (40035, PermanentError),
        (-1, TransientError),
    ],
)
def test_each_code_has_its_type(code, kind):
    assert type(error_for(code, "x")) is kind
