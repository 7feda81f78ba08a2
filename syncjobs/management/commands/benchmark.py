"""``python manage.py benchmark [--records N] [--latency-ms L] [--json FILE]``, and
``python manage.py benchmark --soak [--minutes M] [--changes-per-second R] [--workers N]``, and
``python manage.py benchmark --exports [--export-rows N]``."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarks import export_targets, report, soak_targets
from benchmarks.exports import ExportBenchmark, ExportOptions
from benchmarks.processes import StepFailed
from benchmarks.scaleout import ScaleOutUnavailable
from benchmarks.soak import Soak, SoakOptions
from benchmarks.suite import Benchmark, Options


class Command(BaseCommand):
    help = _(
        "Measure the engine against sandboxes served by their own process: the initial load, "
        "incremental runs, the naive one-record-at-a-time way, the CRM's rate limits, memory, and "
        "optionally the scale-out on PostgreSQL and Redis. Prints a table; --json writes every figure."
    )

    def add_arguments(self, parser):
        defaults = Options()
        parser.add_argument(
            "--records",
            type=int,
            default=defaults.records,
            help=_("customers; half as many orders of three lines"),
        )
        parser.add_argument(
            "--latency-ms", type=int, default=defaults.latency_ms, help=_("latency added to every API call")
        )
        parser.add_argument("--json", metavar="FILE", help=_("write the full report as JSON to FILE"))
        parser.add_argument(
            "--batch-size", type=int, default=defaults.batch_size, help=_("the flows' batch size")
        )
        parser.add_argument(
            "--naive-records", type=int, default=None, help=_("customers the naive way syncs (default: all)")
        )
        parser.add_argument(
            "--limited-records",
            type=int,
            default=None,
            help=_("customers of the rate-limited run (default: --records)"),
        )
        parser.add_argument(
            "--memory-records",
            type=int,
            default=defaults.memory_records,
            help=_("customers of the memory comparison; 0 skips it"),
        )
        parser.add_argument(
            "--overlap-seconds",
            type=float,
            default=None,
            help=_("the flows' overlap window (default: the engine's); shorter makes a quick run quicker"),
        )
        parser.add_argument(
            "--budget-share",
            type=float,
            default=defaults.budget_share,
            help=_("share of the CRM's rate limit the connector spends"),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=defaults.threads,
            help=_("threads each measured run shares its batches with, as manage.py sync --threads"),
        )
        parser.add_argument(
            "--scale-out",
            type=int,
            default=0,
            metavar="WORKERS",
            help=_("also run the load on PostgreSQL + Redis with this many qcluster processes"),
        )
        parser.add_argument(
            "--postgres-url",
            default=defaults.postgres_url,
            help=_("a PostgreSQL server to create the scale-out database on"),
        )
        parser.add_argument(
            "--redis-url", default=defaults.redis_url, help=_("an empty Redis database for the scale-out")
        )
        parser.add_argument(
            "--work-dir",
            default="",
            help=_("folder for the benchmark's databases (default: a temporary one)"),
        )
        parser.add_argument("--keep", action="store_true", help=_("keep the work folder and its logs"))
        parser.add_argument(
            "--profile",
            action="store_true",
            help=_("run every step under cProfile (slower); the statistics stay in the work folder"),
        )

        self._soak_arguments(parser)
        self._export_arguments(parser)

    def _soak_arguments(self, parser):
        defaults = SoakOptions()
        parser.add_argument(
            "--soak",
            action="store_true",
            help=_(
                "run the soak instead: the hub as deployed (web server, qcluster workers) under a "
                "steady stream of CRM edits and ERP deliveries and receipts"
            ),
        )
        parser.add_argument(
            "--minutes", type=float, default=defaults.minutes, help=_("soak: minutes of the stream")
        )
        parser.add_argument(
            "--changes-per-second", type=float, default=defaults.rate, help=_("soak: CRM edits a second")
        )
        parser.add_argument(
            "--workers", type=int, default=defaults.workers, help=_("soak: django-q2 workers of the qcluster")
        )
        parser.add_argument(
            "--soak-customers",
            type=int,
            default=defaults.customers,
            help=_("soak: customers of the initial load (half as many orders)"),
        )

    def _export_arguments(self, parser):
        parser.add_argument(
            "--exports",
            action="store_true",
            help=_(
                "time the audit exports instead: runs, records and cross-references in CSV and XLSX, "
                "answered at once and built in the background"
            ),
        )
        parser.add_argument(
            "--export-rows",
            type=int,
            default=ExportOptions().rows,
            help=_("exports: runs, records and cross-references each"),
        )

    def handle(self, *args, **options):
        if options["soak"]:
            return self._soak(options)
        if options["exports"]:
            return self._exports(options)
        settings = Options(
            records=options["records"],
            latency_ms=options["latency_ms"],
            batch_size=options["batch_size"],
            naive_records=options["naive_records"],
            limited_records=options["limited_records"],
            memory_records=options["memory_records"],
            overlap_seconds=options["overlap_seconds"],
            budget_share=options["budget_share"],
            threads=options["threads"],
            scale_out=options["scale_out"],
            postgres_url=options["postgres_url"],
            redis_url=options["redis_url"],
            work_dir=options["work_dir"],
            keep=options["keep"] or options["profile"],
            profile=options["profile"],
        )
        result = self._measure(Benchmark(settings, say=self._say))
        self.stdout.write(report.markdown_table(result))
        self.stdout.write("")
        self.stdout.write(report.targets_table(result))
        if result.get("scale_out"):
            self.stdout.write("")
            self.stdout.write(report.scale_out_table(result))
        self.stdout.write("")
        self.stdout.write(report.machine_line(result))
        self._write_json(options["json"], result)

    def _soak(self, options):
        settings = SoakOptions(
            minutes=options["minutes"],
            rate=options["changes_per_second"],
            workers=options["workers"],
            customers=options["soak_customers"],
            latency_ms=options["latency_ms"],
            batch_size=options["batch_size"],
            scale_out=bool(options["scale_out"]),
            postgres_url=options["postgres_url"],
            redis_url=options["redis_url"],
            work_dir=options["work_dir"],
            keep=options["keep"],
        )
        result = self._measure(Soak(settings, say=self._say))
        self.stdout.write(soak_targets.table(result))
        self.stdout.write("")
        self.stdout.write(soak_targets.machine_line(result))
        self.stdout.write("")
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        self._write_json(options["json"], result)

    def _exports(self, options):
        settings = ExportOptions(
            rows=options["export_rows"],
            work_dir=options["work_dir"],
            keep=options["keep"],
            profile=options["profile"],
        )
        result = self._measure(ExportBenchmark(settings, say=self._say))
        self.stdout.write(export_targets.table(result))
        self.stdout.write("")
        self.stdout.write(export_targets.machine_line(result))
        self._write_json(options["json"], result)

    def _measure(self, benchmark):
        try:
            return benchmark.run()
        except (StepFailed, ScaleOutUnavailable) as error:
            raise CommandError(str(error)) from error

    def _write_json(self, path, result):
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(result, handle, ensure_ascii=False, indent=2, default=str)

    def _say(self, message):
        self.stderr.write(message)
