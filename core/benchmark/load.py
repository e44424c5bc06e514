"""Throughput under load: gunicorn on this machine, wrk (Debian's package) as the load.

wrk runs one connection per thread, each thread signed in as a different clinician and going
round core/benchmark/clinician_mix.lua. The baseline is a minimal Django view on the same
server, with the same middleware, connections and run length.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.test import Client
from django.utils.crypto import get_random_string

from config.urls_bench import MINIMAL_PATH
from core.benchmark.pages import BenchError, learners_ready
from training.models import Module, PageView

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class LoadResult:
    name: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    sample_error: str

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def sessions_file(count: int, directory: Path) -> Path:
    """Sign in `count` different bench clinicians; write their cookies for the wrk script.

    They are clinicians who have answered the before-survey and read every page of the first
    module, so its quiz is open to them (others are asked to do those first).
    """
    module = Module.objects.filter(is_active=True).order_by("order").first()
    readers = (
        PageView.objects.filter(page__module=module)
        .values("user_id")
        .annotate(n=Count("pk"))
        .filter(n=module.pages.count() if module else 0)
        .values("user_id")
    )
    clinicians = list(learners_ready().filter(pk__in=readers).order_by("pk")[:count])
    if not module or len(clinicians) < count:
        raise BenchError("Not enough bench clinicians: run manage.py seed_bench first")
    lines = []
    for user in clinicians:
        client = Client()
        client.force_login(user)
        lines.append(
            f"{client.cookies[settings.SESSION_COOKIE_NAME].value} {get_random_string(32)} "
            f"{module.slug}\n"
        )
    path = directory / "sessions.txt"
    path.write_text("".join(lines))
    return path


class Server:
    """Gunicorn with the production configuration (config/gunicorn.conf.py) on a local port."""

    def __init__(self, port: int, workers: int, log: Path):
        self.port, self.workers, self.log = port, workers, log
        self.process: subprocess.Popen | None = None
        self.peak_rss_kb: dict[int, int] = {}
        self._sampling = threading.Event()

    def __enter__(self):
        self._log_file = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own argument list, no shell
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(settings.BASE_DIR / "config" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
            ],
            env=os.environ,
            cwd=settings.BASE_DIR,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                health = f"{self.url}/healthz"  # always http://127.0.0.1
                with urllib.request.urlopen(health, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            self.__exit__(None, None, None)
            raise BenchError(f"gunicorn did not answer on port {self.port}; see {self.log}")
        self._sampling.set()
        threading.Thread(target=self._sample_memory, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._sampling.clear()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log_file.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def _sample_memory(self) -> None:
        while self._sampling.is_set():
            for pid in self._workers():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):  # the process's own peak resident size
                        kb = int(line.split()[1])
                        self.peak_rss_kb[pid] = max(kb, self.peak_rss_kb.get(pid, 0))
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """Return the CPU time gunicorn has used so far: master, live and recycled workers."""
        total = _cpu_seconds(self.process.pid, with_children=True)
        return total + sum(_cpu_seconds(pid) for pid in self._workers())

    @property
    def peak_worker_mb(self) -> float:
        return max(self.peak_rss_kb.values(), default=0) / 1024


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int, *, with_children: bool = False) -> float:
    """Return a process's user and system CPU time (and its reaped children's) from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command name: utime, stime, cutime, cstime are fields 14 to 17 of stat(5).
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime + ((cutime + cstime) if with_children else 0)) / TICKS


def database_cpu_seconds() -> float:
    """Return the CPU time used so far by every PostgreSQL process on this machine."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    total += _cpu_seconds(int(entry.name))
            except OSError:
                continue
    return total


def wrk(name: str, url: str, script: str, connections: int, seconds: int, *args: str):
    """Run wrk with one connection per thread and return what its script's done() reported."""
    if not shutil.which("wrk"):
        raise BenchError("wrk is not installed: apt-get install wrk (Debian's package)")
    command = [
        "wrk",
        f"--threads={connections}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={HERE / script}",
        url,
    ]
    if args:
        command += ["--", *args]
    out = subprocess.run(  # noqa: S603 - our own argument list, no shell
        command, capture_output=True, text=True, check=True
    ).stdout
    line = next((x for x in out.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        raise BenchError(f"wrk printed no summary:\n{out}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    return LoadResult(
        name=name,
        requests=data["requests"],
        seconds=data["seconds"],
        errors=data["unexpected_status"] + data["socket_errors"],
        p50_ms=data["p50_ms"],
        p95_ms=data["p95_ms"],
        p99_ms=data["p99_ms"],
        sample_error=data["sample_error"],
    )


@dataclass(frozen=True)
class LoadRun:
    mix: LoadResult
    minimal: LoadResult
    workers: int
    connections: int
    peak_worker_mb: float
    app_cpu_ms: float  # gunicorn CPU time per request of the clinician mix
    database_cpu_ms: float  # PostgreSQL CPU time per request of the clinician mix


def run(*, port: int, workers: int, connections: int, seconds: int, warmup: int) -> LoadRun:
    """Serve the site with gunicorn and load it with the clinician mix, then the minimal view."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        directory = Path(tmp)
        cookies = sessions_file(connections, directory)
        with Server(port, workers, directory / "gunicorn.log") as server:
            wrk("warm-up", server.url, "clinician_mix.lua", connections, warmup, str(cookies))
            app_cpu, db_cpu = server.cpu_seconds(), database_cpu_seconds()
            mix = wrk(
                "Signed-in clinician mix",
                server.url,
                "clinician_mix.lua",
                connections,
                seconds,
                str(cookies),
            )
            app_cpu = server.cpu_seconds() - app_cpu
            db_cpu = database_cpu_seconds() - db_cpu
            minimal = wrk(
                "Minimal Django view (baseline)",
                f"{server.url}/{MINIMAL_PATH}",
                "clinician_mix.lua",
                connections,
                seconds,
                "--minimal",
            )
            peak = server.peak_worker_mb
    per_request = 1000 / max(mix.requests, 1)
    return LoadRun(
        mix, minimal, workers, connections, peak, app_cpu * per_request, db_cpu * per_request
    )
