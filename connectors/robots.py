"""What the group-chat robots' clients share: text cut to a byte limit, keywords, JSON answers."""

from django.utils.translation import gettext

from connectors.errors import PermanentError

MARKER = "\n…"


def fit(text, max_bytes):
    """``text`` if its UTF-8 fits ``max_bytes``, else its longest prefix that fits with a marker."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    room = max_bytes - len(MARKER.encode("utf-8"))
    return data[:room].decode("utf-8", errors="ignore") + MARKER


def with_keyword(text, keywords, also_in="", separator="\n\n"):
    """``text``, with the first keyword added at its start when neither it nor ``also_in`` has one.

    Robots with keyword rules refuse a message holding none of their keywords.
    """
    if not keywords or any(word in also_in + text for word in keywords):
        return text
    return f"{keywords[0]}{separator}{text}"


def json_answer(response, platform, system):
    """The robot's JSON answer as a dict; a ``PermanentError`` when it is not JSON (a wrong URL)."""
    try:
        answer = response.json()
    except ValueError:
        raise PermanentError(
            gettext("%(platform)s answered HTTP %(status)s without JSON; check the webhook URL")
            % {"platform": platform, "status": response.status_code},
            system=system,
            code=response.status_code,
        ) from None
    return answer if isinstance(answer, dict) else {}
