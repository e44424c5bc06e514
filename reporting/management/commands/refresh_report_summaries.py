import time

from django.core.management.base import BaseCommand

from reporting.summaries import question_stats_rebuild


class Command(BaseCommand):
    help = "Rebuild the reporting summary tables from the raw data (run after bulk loads)."

    def handle(self, *args, **options):
        start = time.perf_counter()
        rows = question_stats_rebuild()
        self.stdout.write(
            f"Question statistics: {rows} rows in {time.perf_counter() - start:.1f} s."
        )
