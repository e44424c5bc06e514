import time

from django.core.management.base import BaseCommand

from reporting.summaries import rebuild_all


class Command(BaseCommand):
    help = "Rebuild the reporting summary tables from the raw data (run after bulk loads)."

    def handle(self, *args, **options):
        start = time.perf_counter()
        for table, rows in rebuild_all().items():
            self.stdout.write(f"{table.capitalize()}: {rows} rows.")
        self.stdout.write(f"Rebuilt in {time.perf_counter() - start:.1f} s.")
