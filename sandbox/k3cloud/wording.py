"""Which set of the ERP's messages a call is answered in: English for lcid 1033, else Chinese.

A real English server answers session loss and refusals in English (spec §9). A name the
English set (``messages_en``) lacks falls back to the Chinese set (``messages``), so a
message added to the Chinese set only is still answered, in Chinese.
"""

from sandbox.k3cloud import messages, messages_en

ENGLISH = 1033


class Wording:
    """The messages of one language, looked up by the names of ``sandbox.k3cloud.messages``."""

    def __init__(self, *sets):
        self.sets = sets

    def __getattr__(self, name):
        for source in self.sets:
            if hasattr(source, name):
                return getattr(source, name)
        raise AttributeError(name)


CHINESE_WORDING = Wording(messages)
ENGLISH_WORDING = Wording(messages_en, messages)


def for_lcid(lcid):
    """The wording a session of language ``lcid`` is answered in."""
    try:
        return ENGLISH_WORDING if int(lcid) == ENGLISH else CHINESE_WORDING
    except (TypeError, ValueError):
        return CHINESE_WORDING
