from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import ICB
from accounts.reference import load_icbs


class Command(BaseCommand):
    help = "Create or update the ICBs from the reference file shipped with the project."

    @transaction.atomic
    def handle(self, *args, **options):
        count = load_icbs(ICB)
        current = ICB.objects.current().count()
        self.stdout.write(f"Loaded {count} ICBs ({current} current today).")
