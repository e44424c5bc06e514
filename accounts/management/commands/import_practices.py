from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.services import practices_import


class Command(BaseCommand):
    help = (
        "Create or update GP practices from a CSV file with the columns "
        "ods_code,name,postcode,icb_ods_code. Nothing is imported if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_path", type=Path)

    def handle(self, *args, csv_path: Path, **options):
        try:
            text = csv_path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Could not read {csv_path}: {exc}") from exc
        result = practices_import(text=text)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(result.errors)} problem(s) in {csv_path}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created} new and {result.updated} updated practices."
            )
        )
