from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.services import SKIP_REASONS, practices_import


class Command(BaseCommand):
    help = (
        "Create or update GP practices from a UTF-8 CSV file in either of two layouts, told "
        "apart by the first line: a practice CSV with the header ods_code,name,postcode,"
        "icb_ods_code; or the NHS ODS epraccur file as published (27 columns, no header), "
        "from which only GP practices (prescribing setting 4) are taken, active ones as open "
        "and closed ones marked closed (never deleted), each placed in the current ICB of its "
        "commissioner (sub-ICB location). Nothing is imported if any row is wrong; every bad "
        "row is reported with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_path", type=Path)

    def handle(self, *args, csv_path: Path, **options):
        try:
            data = csv_path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Could not read {csv_path}: {exc}") from exc
        result = practices_import(data=data)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(result.errors)} problem(s) in {csv_path}")
        summary = f"Imported {result.created} new and {result.updated} updated practices"
        if result.unchanged:
            summary += f"; {result.unchanged} unchanged"
        self.stdout.write(self.style.SUCCESS(summary + f" (from {result.layout} layout)."))
        if result.closed or result.reopened:
            self.stdout.write(
                f"Of the updated: {result.closed} marked closed (kept, with their history), "
                f"{result.reopened} open again."
            )
        if result.skipped:
            reasons = ", ".join(
                f"{n} {SKIP_REASONS[reason]}" for reason, n in sorted(result.skipped.items())
            )
            self.stdout.write(f"Skipped {result.skipped.total()} rows: {reasons}.")
