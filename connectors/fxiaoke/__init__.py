"""Fxiaoke (纷享销客 / ShareCRM) Open API connector."""

from connectors.fxiaoke.client import FxiaokeClient
from connectors.fxiaoke.config import FxiaokeConfig

__all__ = ["FxiaokeClient", "FxiaokeConfig"]
