from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from referrals.services import seed_load


class Command(BaseCommand):
    help = (
        "Load the national services from referrals/data/national.yaml and, with --examples, "
        "the clearly labelled example local services for the demo ICBs. Entries already in "
        "the directory are left as curators made them unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--examples",
            action="store_true",
            help="also load the example (not real) local services for the demo ICBs",
        )
        parser.add_argument(
            "--update", action="store_true", help="overwrite entries already in the directory"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the examples even when DEBUG is off (never on a live service)",
        )

    def handle(self, *args, examples: bool, update: bool, force: bool, **options):
        if examples and not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load example services with DEBUG off; they are not real services. "
                "Use --force only on a demonstration site."
            )
        result = seed_load(examples=examples, update_existing=update)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing loaded: {len(result.errors)} problem(s) in the seed data")
        self.stdout.write(
            f"Referral directory: {result.created} added, {result.updated} updated, "
            f"{result.unchanged} left as they were."
        )
