"""Drive a hub database from its own OS process: ``python -m tests.reliability.ctl CMD SPEC``.

The commands of ``tests.syncjobs.engine.hubctl`` plus what the reliability suite needs:
``setup`` with collision-free connector slugs, ``reconcile`` (the reconciler, as its
schedule would run it) and ``drains`` (queue write-back drains).
Prints one JSON object.
"""

import json
import os
import sys


def setup(spec):
    from tests.reliability.support import Site

    site = Site.attached(spec["base_url"], spec["erp_tenant"], spec["crm_tenant"])
    for name, value in spec.get("crm", {}).items():
        setattr(site.crm, name, value)
    site.crm.save()
    flow = getattr(site, spec["flow"])(slug=spec["slug"], **spec.get("fields", {}))
    return {"flow": flow.slug, "crm": site.crm.slug, "erp": site.erp.slug}


def reconcile(spec):
    from syncjobs.services import sync

    return {"resumed": sync.reconcile_runs().resumed}


def drains(spec):
    """Queue one write-back drain per worker, as an operator scaling out would."""
    from django_q.tasks import async_task

    from syncjobs.engine.dispatch import DRAIN_WRITE_BACKS

    return {"queued": [async_task(DRAIN_WRITE_BACKS) for _drain in range(spec["count"])]}


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration_hub.settings")
    django.setup()
    from tests.syncjobs.engine import hubctl

    commands = {**hubctl.COMMANDS, "setup": setup, "reconcile": reconcile, "drains": drains}
    command, spec = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(commands[command](spec), default=str))


if __name__ == "__main__":
    main()
