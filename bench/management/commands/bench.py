"""`make bench`: pages, dashboards, PDFs and load at national scale; writes docs/benchmarks.md."""

import datetime
import os
import socket
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import Practice, Role, User
from bench import load, pages, pdfs, report
from bench.data import BENCH_EMAIL_DOMAIN
from bench.pages import BenchError
from bench.urls import MINIMAL_PATH
from screening.models import Screening
from training.models import Attempt, AttemptAnswer


class Command(BaseCommand):
    help = (
        "Benchmark the main pages, the dashboards, PDF rendering and throughput under load on "
        "a national-scale PostgreSQL database (seeding it first if needed), print the results "
        "and write them to docs/benchmarks.md. Run with config.settings.bench (make bench)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinicians", type=int, default=100_000)
        parser.add_argument("--attempts", type=int, default=1_000_000)
        parser.add_argument("--screenings", type=int, default=200_000)
        parser.add_argument("--runs", type=int, default=30, help="Requests per page timed.")
        parser.add_argument("--seconds", type=int, default=20, help="Length of each load run.")
        parser.add_argument("--warmup", type=int, default=5, help="Seconds of load first.")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument(
            "--workers",
            type=int,
            default=2 * (os.cpu_count() or 1) + 1,
            help="gunicorn workers (default: as config/gunicorn.conf.py, 2 x CPUs + 1).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help="Port for gunicorn on 127.0.0.1 (default: a free one; a port in use is refused).",
        )
        parser.add_argument("--no-load", action="store_true", help="Skip the load test.")
        parser.add_argument("--output", default=str(settings.BASE_DIR / "docs" / "benchmarks.md"))

    def handle(self, *args, **o):
        if connection.vendor != "postgresql":
            raise CommandError("make bench measures PostgreSQL: set DATABASE_URL to one")
        if settings.ROOT_URLCONF != "bench.urls":
            raise CommandError("Run with DJANGO_SETTINGS_MODULE=config.settings.bench")
        try:
            # Before seeding or timing anything: the port is held until the load test ends.
            listener = None if o["no_load"] else self._reserve_port(o["port"])
            try:
                self._ensure_data(o["clinicians"], o["attempts"], o["screenings"])
                results = self._measure(o, listener)
                text = report.markdown(results)  # refuses results with errors or gaps
            finally:
                if listener is not None:
                    listener.close()
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        Path(o["output"]).write_text(text)
        self.stdout.write("")
        for target, measured, met in report.targets(results):
            self.stdout.write(f"{'met    ' if met else 'NOT MET'}  {target}: {measured}")
        self.stdout.write(f"\nWritten to {o['output']}")

    def _reserve_port(self, port: int | None) -> socket.socket:
        sock = load.reserve_port(port)
        try:
            load.require_wrk()
        except BenchError:
            sock.close()
            raise
        self.stdout.write(f"gunicorn will listen on 127.0.0.1:{sock.getsockname()[1]}.")
        return sock

    def _ensure_data(self, clinicians: int, attempts: int, screenings: int) -> None:
        bench = User.objects.filter(role=Role.CLINICIAN, email__endswith=f"@{BENCH_EMAIL_DOMAIN}")
        have = bench.count()
        if have >= clinicians:
            self.stdout.write(f"Bench data present: {have:,} clinicians.")
            return
        self.stdout.write(f"Seeding {clinicians:,} clinicians (found {have:,})...")
        call_command(
            "seed_bench",
            clinicians=clinicians,
            attempts=attempts,
            screenings=screenings,
            reset=have > 0,
            force=True,
            stdout=self.stdout,
        )

    def _step(self, text: str) -> None:
        self.stdout.write(f"{datetime.datetime.now():%H:%M:%S} {text}")

    def _measure(self, o, listener: socket.socket | None) -> report.Results:
        results = report.Results(
            date=datetime.date.today().isoformat(),
            data={
                "clinicians": User.objects.filter(role=Role.CLINICIAN).count(),
                "practices": Practice.objects.count(),
                "quiz attempts": Attempt.objects.count(),
                "quiz answers": AttemptAnswer.objects.count(),
                "screenings": Screening.objects.count(),
            },
            pages=[],
            raw_sql={},
            minimal_ms=0.0,
            pdfs=[],
            load=None,
        )
        runs = o["runs"]
        self._step("Timing the minimal view and the main pages")
        minimal = pages.time_page("Minimal view", f"/{MINIMAL_PATH}", None, runs)
        results.minimal_ms = minimal.median_ms
        people = pages.actors()
        for name, path, user, before in pages.main_pages(people):
            timing = pages.time_page(name, path, user, runs, before)
            results.pages.append(timing)
            self.stdout.write(
                f"  {name:<32} median {timing.median_ms:7.1f} ms  p95 {timing.p95_ms:7.1f} ms  "
                f"{timing.queries} queries"
            )
            if name.startswith("Dashboard"):
                results.raw_sql[name] = pages.raw_sql_ms(user, path, runs)
        self._step("Rendering PDFs")
        certificate, baseline = pdfs.certificate_timings(runs)
        results.pdfs = [
            certificate,
            pdfs.report_timing(
                f"Report PDF, ICB ({people.icb_admin.icb_id})", people.icb_admin, max(3, runs // 3)
            ),
            pdfs.report_timing(
                f"Report PDF, ICB with the most practices ({people.widest_icb_admin.icb_id})",
                people.widest_icb_admin,
                max(3, runs // 3),
            ),
            pdfs.report_timing("Report PDF, England", people.site_admin, max(3, runs // 3)),
            baseline,
        ]
        if listener is not None:
            self._step(
                f"Load: {o['seconds']} s of the clinician mix, then of the minimal view "
                f"({o['workers']} gunicorn workers, {o['connections']} connections)"
            )
            results.load = load.run(
                sock=listener,
                workers=o["workers"],
                connections=o["connections"],
                seconds=o["seconds"],
                warmup=o["warmup"],
            )
        return results
