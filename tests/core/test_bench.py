"""`make bench`: the command measures every main page and writes the report; the report says
plainly which targets are not met."""

import io
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from core.benchmark import load, report
from core.benchmark.load import LoadResult, LoadRun
from core.benchmark.pages import PageTiming
from core.benchmark.pdfs import PdfTiming

SMALL = {"clinicians": 40, "attempts": 200, "screenings": 50}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="make bench measures PostgreSQL")
@override_settings(ROOT_URLCONF="config.urls_bench")
def test_bench_times_every_main_page_and_writes_the_report(icbs, tmp_path):
    output = tmp_path / "benchmarks.md"
    out = io.StringIO()
    call_command("bench", "--runs=2", "--no-load", f"--output={output}", stdout=out, **SMALL)
    text = output.read_text()
    for page in (
        "Start page",
        "My training",
        "Module page",
        "Quiz",
        "Screening checklist",
        "Screening result",
        "Referral directory",
        "ORUK services API",
        "Dashboard, ICB",
        "Dashboard, England",
        "Certificate PDF",
        "Report PDF, England",
    ):
        assert f"| {page}" in text, page
    assert "## Targets" in text
    assert "Data: 40 clinicians" in text
    assert "met" in out.getvalue()


@pytest.mark.django_db
def test_bench_refuses_other_settings():
    with pytest.raises(CommandError):
        call_command("bench", "--no-load", stdout=io.StringIO(), **SMALL)


def _results(mix_per_second: float) -> report.Results:
    def page(name, median, p95, queries=8):
        return PageTiming(name, "/x/", median, p95, queries, True, 1.0)

    def run(name, per_second):
        return LoadResult(name, int(per_second * 20), 20.0, 0, 5.0, 9.0, 12.0, "")

    return report.Results(
        date="2026-11-25",
        data={"clinicians": 100_000},
        pages=[
            page("My training", 7, 9),
            page("Dashboard, ICB (QWO)", 120, 150, queries=12),
            page("Dashboard, England", 400, 450, queries=11),
        ],
        raw_sql={"Dashboard, England": 300.0},
        minimal_ms=0.3,
        pdfs=[
            PdfTiming("Certificate PDF", 70, 90, 16_000),
            PdfTiming("One-line WeasyPrint document (baseline)", 9, 10, 3_000),
        ],
        load=LoadRun(run("mix", mix_per_second), run("minimal", 1200), 3, 8, 90, 9.9, 1.9),
        load_before=(0.1, 0.1, 0.1),
    )


@pytest.mark.django_db
def test_report_marks_each_target_met_or_not():
    met = {target: ok for target, _, ok in report.targets(_results(mix_per_second=450))}
    assert all(met.values()), met
    slow = report.targets(_results(mix_per_second=170))
    unmet = [target for target, _, ok in slow if not ok]
    assert unmet == ["Clinician mix at least 400 requests/s with 0 errors"]
    text = report.markdown(_results(mix_per_second=170))
    assert "**not met**" in text and "| mix | 170 |" in text


def test_cpu_time_of_a_running_process_is_read_from_proc():
    sum(range(2_000_000))  # spend a little CPU
    assert load._cpu_seconds(os.getpid()) > 0
