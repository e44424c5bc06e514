"""Fill the database with synthetic national-scale data for benchmarks (see bench/data.py)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import ICB
from accounts.reference import load_icbs
from bench import data
from reporting import summaries
from reporting.models import ConfidenceStat, LearnerProgress, ModuleStat, QuestionStat
from training.content import ContentError, read_course
from training.models import Module
from training.services import content_load


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Add synthetic clinicians, practices, training, surveys, certificates and screenings "
        "for benchmarks: COPY on PostgreSQL, batched inserts elsewhere. Bench practices have "
        f"ODS codes starting {data.BENCH_ODS_PREFIX}; bench users' emails end in "
        f"@{data.BENCH_EMAIL_DOMAIN}. Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinicians", type=_positive, default=100_000)
        parser.add_argument("--attempts", type=_positive, default=1_000_000)
        parser.add_argument("--screenings", type=_positive, default=200_000)
        parser.add_argument(
            "--practices",
            type=_positive,
            default=6_500,
            help=f"Bench practices to have (at most {data.MAX_PRACTICES}); kept if present.",
        )
        parser.add_argument("--icb-admins", type=_positive, default=3, help="Per current ICB.")
        parser.add_argument(
            "--months", type=float, default=18, help="How far back activity goes (default 18)."
        )
        parser.add_argument(
            "--screening-days",
            type=_positive,
            default=None,
            help="How far back screenings go; default SCREENING_RETENTION_DAYS, since "
            "purge_screenings deletes older ones daily.",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--reset", action="store_true", help="Delete every bench row first (nothing else)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on live data)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this may be a live service: seed_bench refuses to add "
                "synthetic data. Pass --force if this really is a benchmark database."
            )
        if options["practices"] > data.MAX_PRACTICES:
            raise CommandError(f"At most {data.MAX_PRACTICES} bench practices")
        if options["clinicians"] and not options["practices"]:
            raise CommandError("Clinicians need practices: --practices must be at least 1")
        started = time.perf_counter()
        self._line("step", "rows", "seconds")

        with transaction.atomic():
            if not ICB.objects.exists():
                load_icbs(ICB)
            if not Module.objects.filter(is_active=True).exists():
                t = time.perf_counter()
                try:
                    counts = content_load(course=read_course())
                except ContentError as exc:
                    raise CommandError(str(exc)) from exc
                self._line("training content", counts["questions"], time.perf_counter() - t)

        if options["reset"]:
            t = time.perf_counter()
            try:
                with transaction.atomic():
                    deleted = data.delete_bench_rows(connection)
            except IntegrityError as exc:
                raise CommandError(
                    f"Nothing was deleted: another session wrote a row referring to a bench row "
                    f"during the reset; run it again when nobody is using bench accounts. {exc}"
                ) from exc
            data.vacuum(connection, self._tables(), analyze=False)
            self._line(
                f"reset: {deleted['users']:,} users, {deleted['practices']:,} practices deleted",
                "",
                time.perf_counter() - t,
            )

        bench_options = data.Options(
            clinicians=options["clinicians"],
            attempts=options["attempts"],
            screenings=options["screenings"],
            practices=options["practices"],
            icb_admins=options["icb_admins"],
            months=options["months"],
            screening_days=options["screening_days"] or settings.SCREENING_RETENTION_DAYS,
            seed=options["seed"],
        )
        sink = None

        def report(step: data.Step) -> None:
            rebuilt = getattr(sink, "rebuild_seconds", {}).get(step.name)
            note = f"  (indexes and keys rebuilt in {rebuilt:.1f} s)" if rebuilt else ""
            self._line(step.name, step.rows, step.seconds, note)

        timer = data.Timer(report)
        try:
            with transaction.atomic():
                sink = data.sink_for(connection)
                data.seed(sink, bench_options, timezone.now(), timer)
                committing = time.perf_counter()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self._line("commit", "", time.perf_counter() - committing)

        t = time.perf_counter()
        done = data.vacuum(connection, self._tables(), analyze=True)
        if done:
            self._line(done, "", time.perf_counter() - t)
        # The dashboard reads summary tables; COPY bypassed the code that keeps them current.
        for table, rebuild in summaries.REBUILDS.items():
            t = time.perf_counter()
            self._line(f"summary: {table}", rebuild(), time.perf_counter() - t)
        data.vacuum(connection, self._summary_tables(), analyze=True)
        self._line("total", "", time.perf_counter() - started)

    def _summary_tables(self) -> list[str]:
        return [
            m._meta.db_table for m in (LearnerProgress, ModuleStat, ConfidenceStat, QuestionStat)
        ]

    def _tables(self) -> list[str]:
        return [m._meta.db_table for m in data.TOUCHED_TABLES]

    def _line(self, name, rows, seconds, note=""):
        rows = f"{rows:,}" if isinstance(rows, int) else rows
        seconds = f"{seconds:.1f}" if isinstance(seconds, float) else seconds
        self.stdout.write(f"{name:<44} {rows:>12} {seconds:>9}{note}")
