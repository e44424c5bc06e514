from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from referrals.services import FORMATS, MAX_IMPORT_BYTES, directory_import_bytes


class Command(BaseCommand):
    help = (
        "Create or update directory services from an Open Referral UK JSON file (a list of "
        "fully nested services, as export_oruk writes) or a CSV file in the export's columns. "
        "Every record is checked first; if any is wrong, nothing is imported and each problem "
        "is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="json or csv; by default taken from the file's extension (.csv, else json)",
        )

    def handle(self, *args, path: Path, format: str | None, **options):
        fmt = format or ("csv" if path.suffix.lower() == ".csv" else "json")
        try:
            with path.open("rb") as file:
                # One byte past the limit is enough to know the file is too large.
                data = file.read(MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Could not read {path}: {exc}") from exc
        result = directory_import_bytes(data=data, fmt=fmt, source=f"import_oruk {path.name}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(result.errors)} problem(s) in {path}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created} new and {result.updated} changed services "
                f"({result.unchanged} unchanged)."
            )
        )
