import statistics
import uuid

from django.core.management.base import BaseCommand
from django.utils import timezone
from weasyprint import HTML

from core.timing import median_p95, timed
from training.models import Certificate
from training.pdf import certificate_pdf


def _summary(times: list[float]) -> str:
    median, p95 = median_p95(times)
    return f"median {median:.0f} ms, p95 {p95:.0f} ms"


class Command(BaseCommand):
    help = "Time certificate PDF rendering after warm-up, beside a one-line WeasyPrint baseline."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs, **options):
        certificate = Certificate(
            id=uuid.uuid4(),
            learner_name="Dr Benchmark Example",
            professional_role="GP",
            registration_number="1234567",
            content_version="2026.1",
            modules=[
                {
                    "slug": f"m{i}",
                    "title": f"Module {i}",
                    "content_version": "2026.1",
                    "completed_on": "2026-11-25",
                    "cpd_minutes": 35,
                }
                for i in range(1, 7)
            ],
            cpd_minutes=210,
            issued_at=timezone.now(),
        )
        url = f"https://spotting-stalking.example.nhs.uk/certificates/{certificate.pk}/"

        def render():
            return certificate_pdf(certificate, verify_url=url)

        def baseline():
            return HTML(string="<p>One line.</p>").write_pdf()

        for _ in range(3):  # warm-up: fonts, CSS parser, templates
            render()
            baseline()
        cert_times = timed(render, runs)
        base_times = timed(baseline, runs)
        ratio = statistics.median(cert_times) / statistics.median(base_times)
        self.stdout.write(f"Certificate PDF ({len(render())} bytes): {_summary(cert_times)}")
        self.stdout.write(f"One-line WeasyPrint baseline: {_summary(base_times)}")
        self.stdout.write(f"Ratio certificate / baseline (medians): {ratio:.1f}")
