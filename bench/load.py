"""Throughput under load: gunicorn on this machine, wrk (Debian's package) as the load.

wrk runs one connection per thread, each thread signed in as a different clinician and going
round bench/clinician_mix.lua. The baseline is a minimal Django view on the same server, with
the same middleware, connections and run length.

Nothing else can be measured in gunicorn's place: the benchmark binds the port itself (one the
OS picks, or the one asked for if it is free) and hands that socket to gunicorn, checks that
the server answering knows this run's token and is a worker of the gunicorn it started, and
gives up, writing nothing, when a run has errors or a measurement is missing.
"""

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.test import Client
from django.utils.crypto import get_random_string

from bench.pages import BenchError, learners_ready
from bench.urls import MINIMAL_PATH, SERVER_PATH
from bench.views import RUN_TOKEN_ENV
from training.models import Module, PageView

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class LoadResult:
    name: str
    requests: int  # responses wrk received
    checked: int  # of those, how many the script compared with the status it expected
    seconds: float
    unexpected_status: int  # not the expected status (wrk's own non-2xx/3xx count included)
    socket_errors: int  # connect, read and write errors
    timeouts: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    sample_error: str

    @property
    def errors(self) -> int:
        return self.unexpected_status + self.socket_errors + self.timeouts

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def problems(self) -> list[str]:
        """Return why this run cannot be reported: no requests, any error, unchecked answers."""
        out = []
        if self.requests <= 0 or self.seconds <= 0:
            out.append(f"{self.name}: no requests completed")
        elif self.p99_ms <= 0:
            out.append(f"{self.name}: no latency recorded")
        if self.checked < self.requests:
            out.append(
                f"{self.name}: the script checked the status of only {self.checked:,} of "
                f"{self.requests:,} responses"
            )
        if self.errors:
            example = f"; e.g. {self.sample_error}" if self.sample_error else ""
            out.append(
                f"{self.name}: {self.errors:,} errors ({self.unexpected_status:,} unexpected "
                f"statuses, {self.socket_errors:,} socket errors, {self.timeouts:,} "
                f"timeouts){example}"
            )
        return out


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


def reserve_port(port: int | None) -> socket.socket:
    """Return a listening socket on 127.0.0.1 for gunicorn, on `port` or on one the OS picks.

    The benchmark holds it from the start and hands it to gunicorn, so no other server can
    take the port; a requested port that is already in use is refused at once.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Connections of an earlier run left in TIME_WAIT may share the port; a listener may not.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port or 0))
        # Listen at once: two SO_REUSEADDR sockets may both bind a port until one listens.
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise BenchError(
                f"Port {port} on 127.0.0.1 is already in use by another server: stop it, or "
                "leave out --port and the benchmark will pick a free port"
            ) from exc
        raise BenchError(f"Cannot listen on 127.0.0.1:{port}: {exc}") from exc
    return sock


# Ask the server directly: a proxy from http_proxy would answer for it otherwise.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Server:
    """Gunicorn with the production configuration (config/gunicorn.conf.py) on our socket."""

    def __init__(self, sock: socket.socket, workers: int, log: Path):
        self.sock, self.workers, self.log = sock, workers, log
        self.port = sock.getsockname()[1]
        self.token = get_random_string(32)
        self.process: subprocess.Popen | None = None
        self.peak_rss_kb: dict[int, int] = {}
        self._sampling = threading.Event()

    def command(self) -> list[str]:
        """Return the command that starts gunicorn on the socket this process holds."""
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(settings.BASE_DIR / "config" / "gunicorn.conf.py"),
            "--bind",
            f"fd://{self.sock.fileno()}",
            "--workers",
            str(self.workers),
        ]

    def __enter__(self):
        self._log_file = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own argument list, no shell
            self.command(),
            env={**os.environ, RUN_TOKEN_ENV: self.token},
            cwd=settings.BASE_DIR,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            pass_fds=(self.sock.fileno(),),
        )
        try:
            self._wait_until_serving(timeout=30)
        except BaseException:
            self.__exit__(None, None, None)
            raise
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
                self.process.wait()
        self._log_file.close()

    def _wait_until_serving(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self._require_running("before it answered")
            identity = self._identity(timeout=1)  # asked again until the deadline
            if identity is not None:
                self._require_ours(identity)
                return
            if time.monotonic() > deadline:
                raise BenchError(
                    f"gunicorn did not answer on port {self.port} within {timeout:.0f} s"
                    + self._log_tail()
                )
            time.sleep(0.2)

    def check(self, during: str = "") -> None:
        """Raise BenchError unless the gunicorn we started runs and is what answers the port."""
        when = f"during {during}" if during else "early"
        self._require_running(when)
        identity = self._identity(timeout=10)  # as long as wrk waits for an answer
        if identity is None:
            raise BenchError(f"gunicorn stopped answering on port {self.port} {when}")
        self._require_ours(identity)

    def _require_running(self, when: str) -> None:
        status = self.process.poll()
        if status is not None:
            how = (
                f"was killed by signal {-status}" if status < 0 else f"exited with status {status}"
            )
            raise BenchError(f"gunicorn (pid {self.process.pid}) {how} {when}" + self._log_tail())

    def _identity(self, timeout: float) -> dict | None:
        """Return what the server on the port says about itself; None if nothing answers yet."""
        try:
            with _direct.open(f"{self.url}/{SERVER_PATH}", timeout=timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise self._foreign(
                f"it answered {exc.code} to /{SERVER_PATH} (is it serving bench.urls?)"
            ) from exc
        except OSError:  # refused, reset or timed out: not serving yet
            return None
        try:
            identity = json.loads(body)
        except ValueError:
            identity = None
        if not isinstance(identity, dict):
            raise self._foreign(f"its answer to /{SERVER_PATH} was not the bench view's JSON")
        return identity

    def _require_ours(self, identity: dict) -> None:
        if identity.get("token") != self.token:
            raise self._foreign("it does not know this run's token")
        if identity.get("master_pid") != self.process.pid:
            raise self._foreign(
                f"its master process is pid {identity.get('master_pid')}, not {self.process.pid}"
            )

    def _foreign(self, why: str) -> BenchError:
        return BenchError(
            f"The server answering on 127.0.0.1:{self.port} is not the gunicorn this benchmark "
            f"started (pid {self.process.pid}): {why}"
        )

    def _log_tail(self, lines: int = 20) -> str:
        self._log_file.flush()
        try:
            tail = self.log.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return ""
        return "; the end of its log:\n" + "\n".join(tail) if tail else ""

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
    require_wrk()
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
    done = subprocess.run(  # noqa: S603 - our own argument list, no shell
        command, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"{name}: wrk failed (status {done.returncode}):\n{done.stderr}")
    out = done.stdout
    line = next((x for x in out.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        raise BenchError(f"{name}: wrk printed no summary:\n{out}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    return LoadResult(
        name=name,
        requests=data["requests"],
        checked=data["checked"],
        seconds=data["seconds"],
        unexpected_status=max(data["unexpected_status"], data["non_2xx_3xx"]),
        socket_errors=data["socket_errors"],
        timeouts=data["timeouts"],
        p50_ms=data["p50_ms"],
        p95_ms=data["p95_ms"],
        p99_ms=data["p99_ms"],
        sample_error=data["sample_error"],
    )


def require_wrk() -> None:
    """Raise BenchError unless wrk is installed, so a run does not fail after the page timings."""
    if not shutil.which("wrk"):
        raise BenchError("wrk is not installed: apt-get install wrk (Debian's package)")


@dataclass(frozen=True)
class LoadRun:
    mix: LoadResult
    minimal: LoadResult
    workers: int
    connections: int
    peak_worker_mb: float
    app_cpu_ms: float  # gunicorn CPU time per request of the clinician mix
    database_cpu_ms: float  # PostgreSQL CPU time per request of the clinician mix

    def problems(self) -> list[str]:
        """Return why these figures cannot be reported: a run's problems or a missing reading."""
        out = self.mix.problems() + self.minimal.problems()
        if self.peak_worker_mb <= 0:
            out.append("no memory reading of any gunicorn worker")
        if self.app_cpu_ms <= 0:
            out.append("no CPU time read for gunicorn")
        if self.database_cpu_ms <= 0:
            out.append("no CPU time read for PostgreSQL (it must run on this machine)")
        return out


def run(
    *, sock: socket.socket, workers: int, connections: int, seconds: int, warmup: int
) -> LoadRun:
    """Serve the site with gunicorn and load it with the clinician mix, then the minimal view.

    Stop with BenchError as soon as gunicorn has exited, something else answers in its place,
    or a run has errors.
    """
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        directory = Path(tmp)
        cookies = sessions_file(connections, directory)
        with Server(sock, workers, directory / "gunicorn.log") as server:

            def measure(name: str, path: str, length: int, *args: str) -> LoadResult:
                result = wrk(
                    name, server.url + path, "clinician_mix.lua", connections, length, *args
                )
                server.check(during=name)
                if problems := result.problems():
                    raise BenchError("; ".join(problems))
                return result

            if warmup > 0:
                measure("warm-up", "", warmup, str(cookies))
            app_cpu, db_cpu = server.cpu_seconds(), database_cpu_seconds()
            mix = measure("Signed-in clinician mix", "", seconds, str(cookies))
            app_cpu = server.cpu_seconds() - app_cpu
            db_cpu = database_cpu_seconds() - db_cpu
            minimal = measure(
                "Minimal Django view (baseline)", f"/{MINIMAL_PATH}", seconds, "--minimal"
            )
            peak = server.peak_worker_mb
    per_request = 1000 / max(mix.requests, 1)
    result = LoadRun(
        mix, minimal, workers, connections, peak, app_cpu * per_request, db_cpu * per_request
    )
    if problems := result.problems():
        raise BenchError("; ".join(problems))
    return result
