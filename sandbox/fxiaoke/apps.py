from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The simulated platform's own switches (``manage.py sandbox faults fxiaoke --set name=value``),
# beside the switches every sandbox has (``sandbox.faults.COMMON_FAULTS``).
FXIAOKE_FAULTS = {
    "busy_rate": 0.0,  # share of calls answered errorCode -1 (system busy)
    "system_timeout_rate": 0.0,  # share of calls answered errorCode 50009 (platform timeout)
    "rate_limit": 100,  # calls per interface per window, then 14001 [D]
    "rate_window_seconds": 20,
    "daily_quota": 0,  # calls per day (00:00 Beijing time), then 30002; 0 = unlimited
    "quota_mode": "normal",  # "none": no Open API quota bought, every call 30003
    "token_limit_per_minute": 10,  # the token endpoint's own limit [D]
    "approval_objects": [],  # objects whose creates wait for approval (under_review, locked)
}


class SandboxFxiaokeConfig(AppConfig):
    name = "sandbox.fxiaoke"
    label = "sandbox_fxiaoke"
    verbose_name = _("Sandbox: simulated Fxiaoke")

    def ready(self):
        from sandbox import faults, registry
        from sandbox.fxiaoke import activity, seeding, webhook

        faults.register_faults("fxiaoke", {**FXIAOKE_FAULTS, **webhook.SWITCHES})
        webhook.connect()
        registry.register(
            registry.SandboxSystem(
                "fxiaoke", seed=seeding.seed, reset=seeding.reset, simulate=activity.simulate
            )
        )
