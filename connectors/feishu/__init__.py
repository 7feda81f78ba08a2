"""飞书 custom bot client (``open-apis/bot/v2/hook/…``, optional 签名校验)."""

from connectors.feishu.client import FeishuBot, FeishuBotConfig
from connectors.feishu.signing import sign

__all__ = ["FeishuBot", "FeishuBotConfig", "sign"]
