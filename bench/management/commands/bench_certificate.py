from django.core.management.base import BaseCommand

from bench.pdfs import certificate_timings


class Command(BaseCommand):
    help = "Time certificate PDF rendering after warm-up, beside a one-line WeasyPrint baseline."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs, **options):
        certificate, baseline = certificate_timings(runs)
        for t in (certificate, baseline):
            self.stdout.write(
                f"{t.name} ({t.size} bytes): median {t.median_ms:.0f} ms, p95 {t.p95_ms:.0f} ms"
            )
        ratio = certificate.median_ms / baseline.median_ms
        self.stdout.write(f"Ratio certificate / baseline (medians): {ratio:.1f}")
