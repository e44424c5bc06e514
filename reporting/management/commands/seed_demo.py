"""`manage.py seed_demo`: the contract's demo accounts, then a demo population to report on.

Lives in reporting because the population spans training, screening, referrals and reporting;
the accounts themselves are still made by accounts.demo.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo_accounts
from reporting.demo_population import (
    PopulationError,
    demo_people,
    population_seed,
)


class Command(BaseCommand):
    help = (
        "Create the demo practices and accounts, and a demo population (practices, people, a "
        "year of training and screenings) so the demo dashboards show figures. Idempotent. "
        "Refused when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never on a live service).",
        )
        population = parser.add_mutually_exclusive_group()
        population.add_argument(
            "--without-population",
            action="store_true",
            help="Only the demo accounts, not the demo population.",
        )
        population.add_argument(
            "--refresh-population",
            action="store_true",
            help="Delete the demo population and make it again, dated up to today.",
        )

    def handle(
        self,
        *args,
        force=False,
        without_population=False,
        refresh_population=False,
        **options,
    ):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo accounts with a published password, or demo figures, "
                "while DEBUG is off. Use --force only on a throwaway environment."
            )
        practices, users = seed_demo_accounts()
        self.stdout.write(f"Demo data ready: {practices} practices and {users} accounts created.")
        if users:
            emails = ", ".join(spec["email"] for spec in DEMO_USERS)
            self.stdout.write(f"Demo accounts ({emails}) use the password {DEMO_PASSWORD!r}.")
        if without_population:
            return
        existing = demo_people().count()
        if existing and not refresh_population:
            self.stdout.write(
                f"Demo population already there ({existing} people); left as it is. "
                "Use --refresh-population to make it again, dated up to today."
            )
            return
        try:
            counts = population_seed()
        except PopulationError as exc:
            raise CommandError(f"{exc} (or pass --without-population).") from exc
        for line in counts.lines():
            self.stdout.write(line)
