from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Messages each robot accepts per minute before the platform's "too frequent" code. 企业微信 and
# 钉钉 document 20 a minute per robot; 飞书 documents 100 a minute and 5 a second per bot.
IM_FAULTS = {
    "wecom_per_minute": 20,
    "dingtalk_per_minute": 20,
    "feishu_per_minute": 100,
}


class SandboxImConfig(AppConfig):
    name = "sandbox.im"
    label = "sandbox_im"
    verbose_name = _("Sandbox: simulated group robots")

    def ready(self):
        from sandbox import faults, registry
        from sandbox.im import seeding

        faults.register_faults("im", IM_FAULTS)
        registry.register(registry.SandboxSystem("im", seed=seeding.seed, reset=seeding.reset))
