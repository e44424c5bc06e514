from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo_accounts


class Command(BaseCommand):
    help = "Create the demo practices and accounts (idempotent). Refused when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never on a live service).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo accounts with a published password while DEBUG is off. "
                "Use --force only on a throwaway environment."
            )
        practices, users = seed_demo_accounts()
        self.stdout.write(f"Demo data ready: {practices} practices and {users} accounts created.")
        if users:
            emails = ", ".join(spec["email"] for spec in DEMO_USERS)
            self.stdout.write(f"Demo accounts ({emails}) use the password {DEMO_PASSWORD!r}.")
