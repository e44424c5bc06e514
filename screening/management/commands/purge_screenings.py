from django.conf import settings
from django.core.management.base import BaseCommand

from screening.services import screenings_purge


class Command(BaseCommand):
    help = (
        "Delete screenings older than SCREENING_RETENTION_DAYS (default 365). "
        "Run daily from cron; reports keep only aggregates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Override the retention period for this run."
        )

    def handle(self, *args, days=None, **options):
        retention = days if days is not None else settings.SCREENING_RETENTION_DAYS
        count = screenings_purge(retention_days=retention)
        self.stdout.write(f"Deleted {count} screening(s) older than {retention} days.")
