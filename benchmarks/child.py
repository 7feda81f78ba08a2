"""Runs one benchmark step in this (fresh) process: ``python -m benchmarks.child
STEP SPEC.json RESULT.json``. The environment names the step's own databases; with
``INTEGRATION_HUB_BENCHMARK_PROFILE`` set, the step runs under cProfile and its statistics
are written next to RESULT.json (``….prof``)."""

import json
import os
import sys


def main(argv):
    step, spec_path, result_path = argv[1:4]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration_hub.settings")
    import django

    django.setup()
    from benchmarks import export_steps, soak_steps, steps

    steps.STEPS.update(soak_steps.STEPS)
    steps.STEPS.update(export_steps.STEPS)

    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    if os.environ.get("INTEGRATION_HUB_BENCHMARK_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        result = profile.runcall(steps.STEPS[step], spec)
        profile.dump_stats(result_path.replace(".result.json", ".prof"))
    else:
        result = steps.STEPS[step](spec)
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main(sys.argv)
