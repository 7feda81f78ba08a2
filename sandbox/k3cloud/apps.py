from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# This system's own fault switches (the common ones are in sandbox.faults.COMMON_FAULTS).
K3CLOUD_FAULTS = {
    "msgcode13_rate": 0.0,  # share of calls answered MsgCode 13 (lock conflict), nothing done
    "msgcode14_rate": 0.0,  # share of calls answered MsgCode 14 (call limit), nothing done
    "response_error_rate": 0.0,  # share of calls answered "response_error:..." with HTTP 200
    "session_minutes": 20,  # sliding session lifetime, on the simulated clock
    "query_row_cap": 2000,  # most rows one query page returns (the server's configured cap)
    "strict_api_signature": False,  # also verify X-Api-Signature and its timestamp (API gateway)
    "api_skew_seconds": 900,  # clock skew tolerated by strict_api_signature
    "async_running_rate": 0.0,  # share of asynchronous-mode answers and polls saying "not done yet"
}


class SandboxK3CloudConfig(AppConfig):
    name = "sandbox.k3cloud"
    label = "sandbox_k3cloud"
    verbose_name = _("Sandbox: simulated K3Cloud")

    def ready(self):
        from sandbox import faults, registry
        from sandbox.k3cloud import seeding, simulation

        faults.register_faults("k3cloud", K3CLOUD_FAULTS)
        registry.register(
            registry.SandboxSystem(
                "k3cloud", seed=seeding.seed, reset=seeding.reset, simulate=simulation.simulate
            )
        )
