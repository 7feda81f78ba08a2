"""Cutting text to a platform's byte limit without breaking a character."""

MARKER = "\n…"


def fit(text, max_bytes):
    """``text`` if its UTF-8 fits ``max_bytes``, else its longest prefix that fits with a marker."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    room = max_bytes - len(MARKER.encode("utf-8"))
    return data[:room].decode("utf-8", errors="ignore") + MARKER
