"""One robot of each platform per seed: 企业微信 without signing, 钉钉 and 飞书 signed with keywords."""

import secrets
import uuid

from sandbox.im.models import Platform, Robot

KEYWORDS = ["Integration Hub"]


def seed(size=None, seed=None, dataset=None):
    """Create three robots; return what a channel needs to reach each (paths under the server)."""
    wecom = Robot.objects.create(platform=Platform.WECOM, token=_uuid(), name="集成告警群")
    dingtalk = Robot.objects.create(
        platform=Platform.DINGTALK,
        token=secrets.token_hex(32),
        secret="SEC" + secrets.token_hex(32),
        keywords=KEYWORDS,
        name="集成告警群",
    )
    feishu = Robot.objects.create(
        platform=Platform.FEISHU,
        token=_uuid(),
        secret=secrets.token_urlsafe(16),
        keywords=KEYWORDS,
        name="集成告警群",
    )
    return {
        "wecom": {"token": wecom.token, "path": f"/sandbox/im/wecom/cgi-bin/webhook/send?key={wecom.token}"},
        "dingtalk": {
            "token": dingtalk.token,
            "path": f"/sandbox/im/dingtalk/robot/send?access_token={dingtalk.token}",
            "secret": dingtalk.secret,
            "keywords": KEYWORDS,
        },
        "feishu": {
            "token": feishu.token,
            "path": f"/sandbox/im/feishu/open-apis/bot/v2/hook/{feishu.token}",
            "secret": feishu.secret,
            "keywords": KEYWORDS,
        },
    }


def reset():
    """Delete every robot and message."""
    Robot.objects.all().delete()


def _uuid():
    # 企业微信 keys and 飞书 hook tokens are UUIDs in every published example.
    return str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
