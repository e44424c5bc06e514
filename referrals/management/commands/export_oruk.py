import json
from pathlib import Path

from django.core.management.base import BaseCommand

from referrals import selectors


class Command(BaseCommand):
    help = (
        "Write the whole directory, retired services included, as Open Referral UK JSON (a list "
        "of fully nested services) or as CSV. import_oruk reads either back without loss."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument(
            "--output", "-o", type=Path, help="file to write; standard output by default"
        )
        parser.add_argument(
            "--current-only", action="store_true", help="leave out retired services"
        )

    def handle(self, *args, format: str, output: Path | None, current_only: bool, **options):
        if format == "csv":
            services = selectors.services_with_everything()
            if current_only:
                services = services.current()
            text = selectors.directory_csv(services)
        else:
            document = selectors.oruk_document(current_only=current_only)
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8", newline="")
            self.stderr.write(f"Wrote {output}")
