from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxK3CloudConfig(AppConfig):
    name = "sandbox.k3cloud"
    label = "sandbox_k3cloud"
    verbose_name = _("Sandbox: simulated K3Cloud")
