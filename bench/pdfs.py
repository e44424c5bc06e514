"""PDF render times: a certificate and the board report, beside a one-line WeasyPrint document."""

import uuid
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone
from weasyprint import HTML

from bench.pages import BenchError
from bench.timing import median_p95, timed
from training.models import Certificate
from training.pdf import certificate_pdf

CERTIFICATE = "Certificate PDF"
BASELINE = "One-line WeasyPrint document (baseline)"


@dataclass(frozen=True)
class PdfTiming:
    name: str
    median_ms: float
    p95_ms: float
    size: int


def sample_certificate() -> Certificate:
    """Return an unsaved six-module certificate, as a learner who finished the course gets."""
    return Certificate(
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
        refresh_by=timezone.localdate(),
    )


def _time(name: str, render, runs: int, warmup: int = 3) -> PdfTiming:
    for _ in range(warmup):  # fonts, CSS parser, templates
        render()
    times = timed(render, runs)
    median, p95 = median_p95(times)
    return PdfTiming(name, median, p95, len(render()))


def certificate_timings(runs: int) -> tuple[PdfTiming, PdfTiming]:
    """Return the certificate's render time and the one-line baseline's, after warm-up."""
    certificate = sample_certificate()
    url = f"https://spotting-stalking.example.nhs.uk/certificates/{certificate.pk}/"
    return (
        _time(CERTIFICATE, lambda: certificate_pdf(certificate, verify_url=url), runs),
        baseline_timing(runs),
    )


def baseline_timing(runs: int) -> PdfTiming:
    return _time(
        BASELINE,
        lambda: HTML(string="<p>One line.</p>").write_pdf(),
        runs,
    )


def report_timing(name: str, user, runs: int) -> PdfTiming:
    """Return the time to build and render the report PDF for the user's scope, server side."""
    client = Client()
    client.force_login(user)

    def render() -> bytes:
        response = client.get("/reporting/report.pdf")
        if response.status_code != 200:
            raise BenchError(f"{name}: report.pdf answered {response.status_code}")
        return response.content

    return _time(name, render, runs, warmup=1)
