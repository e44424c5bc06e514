"""`make bench`: the command measures every main page and writes the report; the report says
plainly which targets are not met; and the benchmark cannot be fooled into measuring a server
it did not start, or into writing a report from runs with errors or missing figures."""

import dataclasses
import functools
import http.server
import io
import os
import shutil
import socket
import sys
import textwrap
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from bench import load, report
from bench.load import LoadResult, LoadRun
from bench.pages import BenchError, PageTiming
from bench.pdfs import PdfTiming

SMALL = {"clinicians": 40, "attempts": 200, "screenings": 50}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="make bench measures PostgreSQL")
@override_settings(ROOT_URLCONF="bench.urls")
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


def _results(mix_per_second: float, checklist=(1.0, 1.2), report_pdf_ms=600) -> report.Results:
    def page(name, median, p95, queries=8):
        return PageTiming(name, "/x/", median, p95, queries, True, 1.0)

    def run(name, per_second):
        requests = int(per_second * 20)
        return LoadResult(name, requests, requests, 20.0, 0, 0, 0, 5.0, 9.0, 12.0, "")

    return report.Results(
        date="2026-11-25",
        data={"clinicians": 100_000},
        pages=[
            page("My training", 2, 3),
            page("Screening checklist", *checklist),
            page("Dashboard, ICB (QWO)", 30, 40, queries=12),
            page("Dashboard, England", 150, 180, queries=11),
        ],
        raw_sql={"Dashboard, ICB (QWO)": 80.0, "Dashboard, England": 300.0},
        minimal_ms=0.3,
        pdfs=[
            PdfTiming("Certificate PDF", 70, 90, 16_000),
            PdfTiming("Report PDF, ICB with the most practices (QOC)", report_pdf_ms, 900, 90_000),
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
    assert unmet == [
        "Clinician mix at least 400 requests/s with 0 errors",
        "Clinician mix at least 15% of the minimal view's throughput",  # 170 / 1200 = 14%
    ]
    text = report.markdown(_results(mix_per_second=170))
    assert "**not met**" in text and "| mix | 170 |" in text
    # The history, kept by hand in bench/history.md, survives every run.
    assert "## History: before and after" in text
    assert text.index("## History") < text.index("## How the benchmark protects itself")


@pytest.mark.django_db
def test_issue_18_page_and_pdf_targets_compare_with_the_run_before():
    # Before: the checklist's median 9.6 ms and p95 9.9 ms beside a 0.22 ms minimal view, so
    # with a 0.3 ms minimal view now it must take at most 4.4 ms (median) and 6.8 ms (p95).
    def unmet(**kwargs):
        return [t for t, _, ok in report.targets(_results(450, **kwargs)) if not ok]

    assert unmet(checklist=(4.3, 6.7)) == []
    assert unmet(checklist=(4.5, 6.7)) == [
        "Screening checklist: median at most a third of before (ratio to the minimal view)"
    ]
    assert unmet(checklist=(4.3, 6.9)) == [
        "Screening checklist: p95 at most half of before (ratio to the minimal view)"
    ]
    assert unmet(report_pdf_ms=801) == [
        "Report PDF, ICB with the most practices (QOC) under 800 ms"
    ]


def test_cpu_time_of_a_running_process_is_read_from_proc():
    sum(range(2_000_000))  # spend a little CPU
    assert load._cpu_seconds(os.getpid()) > 0


# --- The report step refuses results with errors or missing figures ---------------------------


def _with_load(results: report.Results, **changes) -> report.Results:
    mix = changes.pop("mix", {})
    loaded = dataclasses.replace(
        results.load, mix=dataclasses.replace(results.load.mix, **mix), **changes
    )
    return dataclasses.replace(results, load=loaded)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "errors, named",
    [
        ({"unexpected_status": 3055, "sample_error": "404 GET /training/"}, "3,055 unexpected"),
        ({"socket_errors": 7}, "7 socket errors"),
        ({"timeouts": 2}, "2 timeouts"),
    ],
)
def test_a_run_with_errors_is_not_reported(errors, named):
    results = _with_load(_results(mix_per_second=450), mix=errors)
    with pytest.raises(BenchError, match="No report written") as refused:
        report.markdown(results)
    assert "mix: " in str(refused.value) and named in str(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "missing, named",
    [
        ({"peak_worker_mb": 0}, "no memory reading of any gunicorn worker"),
        ({"app_cpu_ms": 0}, "no CPU time read for gunicorn"),
        ({"database_cpu_ms": 0}, "no CPU time read for PostgreSQL"),
        ({"mix": {"requests": 0, "checked": 0}}, "mix: no requests completed"),
        ({"mix": {"checked": 5}}, "mix: the script checked the status of only 5"),
        ({"mix": {"p50_ms": 0, "p95_ms": 0, "p99_ms": 0}}, "mix: no latency recorded"),
    ],
)
def test_a_missing_load_measurement_is_not_reported(missing, named):
    with pytest.raises(BenchError, match=named):
        report.markdown(_with_load(_results(mix_per_second=450), **missing))


@pytest.mark.django_db
def test_a_missing_page_or_pdf_measurement_is_not_reported():
    results = _results(mix_per_second=450)
    no_pdf = dataclasses.replace(results, pdfs=results.pdfs[:1])
    with pytest.raises(BenchError, match="no timing of the One-line WeasyPrint document"):
        report.markdown(no_pdf)
    no_sql = dataclasses.replace(results, raw_sql={})
    with pytest.raises(BenchError, match="Dashboard, England: its SQL was not timed"):
        report.markdown(no_sql)
    with pytest.raises(BenchError, match="minimal view"):
        report.markdown(dataclasses.replace(results, minimal_ms=0))


@pytest.mark.django_db
def test_clean_results_are_reported_with_how_the_benchmark_protects_itself():
    text = report.markdown(_results(mix_per_second=450))
    assert "| mix | 450 | 0 |" in text
    assert "## How the benchmark protects itself" in text


# --- The port: picked by the OS, or refused when busy ------------------------------------------


@pytest.fixture
def listener():
    sock = load.reserve_port(None)
    yield sock
    sock.close()


def test_a_busy_port_is_refused():
    with socket.socket() as other_server:
        other_server.bind(("127.0.0.1", 0))
        other_server.listen()
        port = other_server.getsockname()[1]
        with pytest.raises(BenchError, match=f"Port {port} on 127.0.0.1 is already in use"):
            load.reserve_port(port)


def test_without_a_port_the_os_picks_a_free_one_and_it_is_held(listener):
    port = listener.getsockname()[1]
    assert port != 0
    with pytest.raises(BenchError, match="already in use"):
        load.reserve_port(port)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="make bench measures PostgreSQL")
@override_settings(ROOT_URLCONF="bench.urls")
def test_bench_refuses_a_busy_port_before_doing_anything(tmp_path):
    output = tmp_path / "benchmarks.md"
    with socket.socket() as other_server:
        other_server.bind(("127.0.0.1", 0))
        other_server.listen()
        port = other_server.getsockname()[1]
        out = io.StringIO()
        with pytest.raises(CommandError, match=f"Port {port} .* already in use"):
            call_command("bench", f"--port={port}", f"--output={output}", stdout=out, **SMALL)
    assert "Seeding" not in out.getvalue()
    assert not output.exists()


# --- The server answering must be the gunicorn the benchmark started ---------------------------

# Stands in for gunicorn on the socket it is handed: answers every request with 200, as the
# bench identity view does, with this run's token or not, and itself as the master or not.
FAKE_SERVER = textwrap.dedent("""
    import json, os, socket, sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    mode, fd = sys.argv[1], int(sys.argv[2])

    class Answer(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            token = "another run" if mode == "wrong-token" else os.environ["BENCH_RUN_TOKEN"]
            master = os.getppid() if mode == "other-master" else os.getpid()
            failing = mode == "failing" and self.path != "/bench/server/"
            body = json.dumps({"token": token, "master_pid": master}).encode()
            self.send_response(500 if failing else 200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer, bind_and_activate=False)
    server.socket = socket.socket(fileno=fd)
    server.serve_forever()
""")


class FakeGunicorn(load.Server):
    """The benchmark's Server, starting `python -c <code> <args> <fd>` instead of gunicorn."""

    def __init__(self, sock, tmp_path, code, *args):
        super().__init__(sock, workers=1, log=tmp_path / "server.log")
        self.code, self.args = code, args

    def command(self):
        return [sys.executable, "-c", self.code, *self.args, str(self.sock.fileno())]


@pytest.fixture
def foreign_server(listener, tmp_path):
    """Answer on the benchmark's port from this process, as `python -m http.server` would."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=tmp_path)
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler, False)
    server.socket.close()
    server.socket = listener.dup()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_foreign_server_on_the_port_is_detected(listener, foreign_server, tmp_path):
    alive_but_not_serving = "import time; time.sleep(60)"
    started = time.monotonic()
    with (
        pytest.raises(BenchError, match="is not the gunicorn this benchmark started") as caught,
        FakeGunicorn(listener, tmp_path, alive_but_not_serving),
    ):
        pass
    assert "answered 404 to /bench/server/" in str(caught.value)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    "mode, why",
    [
        ("wrong-token", "it does not know this run's token"),
        ("other-master", "its master process is pid"),
    ],
)
def test_a_server_that_cannot_prove_it_is_ours_is_refused(listener, tmp_path, mode, why):
    with pytest.raises(BenchError, match=why), FakeGunicorn(listener, tmp_path, FAKE_SERVER, mode):
        pass


def test_gunicorn_exiting_early_is_reported(listener, tmp_path):
    with (
        pytest.raises(BenchError, match="exited with status 3 before it answered"),
        FakeGunicorn(listener, tmp_path, "raise SystemExit(3)"),
    ):
        pass


def test_gunicorn_exiting_during_a_run_is_reported(listener, tmp_path):
    with FakeGunicorn(listener, tmp_path, FAKE_SERVER, "ours") as server:
        server.check(during="the mix")
        server.process.kill()
        server.process.wait()
        with pytest.raises(BenchError, match="was killed by signal 9 during the mix"):
            server.check(during="the mix")


def test_the_real_gunicorn_proves_it_is_ours_and_its_workers_memory_is_read(
    listener, tmp_path, monkeypatch
):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    with load.Server(listener, 1, tmp_path / "gunicorn.log") as server:
        server.check()
        deadline = time.monotonic() + 5
        while server.peak_worker_mb == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert server.peak_worker_mb > 0


# --- wrk: every error it reports counts --------------------------------------------------------


def test_wrk_counts_unexpected_statuses_socket_errors_and_timeouts(tmp_path, monkeypatch):
    fake = tmp_path / "wrk"
    fake.write_text(
        "#!/bin/sh\n"
        'echo \'WRK_JSON {"requests": 100, "seconds": 2.0, "unexpected_status": 4, '
        '"socket_errors": 1, "timeouts": 3, "non_2xx_3xx": 6, "p50_ms": 1.0, "p95_ms": 2.0, '
        '"p99_ms": 3.0, "checked": 100, "sample_error": "500 GET /referrals/"}\'\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    result = load.wrk("mix", "http://127.0.0.1:1", "clinician_mix.lua", 1, 1)
    assert (result.unexpected_status, result.socket_errors, result.timeouts) == (6, 1, 3)
    assert result.problems() == [
        "mix: 10 errors (6 unexpected statuses, 1 socket errors, 3 timeouts); "
        "e.g. 500 GET /referrals/"
    ]


def test_wrk_failing_is_reported(tmp_path, monkeypatch):
    fake = tmp_path / "wrk"
    fake.write_text("#!/bin/sh\necho 'unable to connect to 127.0.0.1:1' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(BenchError, match="(?s)mix: wrk failed .*unable to connect"):
        load.wrk("mix", "http://127.0.0.1:1", "clinician_mix.lua", 1, 1)


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
@pytest.mark.parametrize("mode, clean", [("ours", True), ("failing", False)])
def test_the_wrk_script_reports_what_it_checked(listener, tmp_path, mode, clean):
    with FakeGunicorn(listener, tmp_path, FAKE_SERVER, mode) as server:
        result = load.wrk("baseline", f"{server.url}/x/", "clinician_mix.lua", 1, 1, "--minimal")
    assert result.requests > 0 and result.checked == result.requests
    if clean:
        assert result.problems() == []
    else:
        assert result.unexpected_status == result.requests
        assert "500 GET /x/" in result.problems()[0]
