from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxFxiaokeConfig(AppConfig):
    name = "sandbox.fxiaoke"
    label = "sandbox_fxiaoke"
    verbose_name = _("Sandbox: simulated Fxiaoke")
