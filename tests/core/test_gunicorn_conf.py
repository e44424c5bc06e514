"""The production gunicorn settings recycle a worker by its memory, not every few requests."""

import logging
import runpy
from pathlib import Path

from django.conf import settings

CONF = Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"


class FakeWorker:
    alive = True
    log = logging.getLogger("test.gunicorn")


def test_a_worker_over_the_memory_limit_finishes_and_is_replaced(monkeypatch):
    monkeypatch.setenv("GUNICORN_MAX_WORKER_MEMORY_MB", "1")
    conf = runpy.run_path(str(CONF))
    assert conf["resident_mb"]() > 1  # this test process, read from /proc
    worker = FakeWorker()
    conf["post_request"](worker, None, {}, None)
    assert worker.alive is False


def test_a_worker_under_the_limit_carries_on(monkeypatch):
    monkeypatch.setenv("GUNICORN_MAX_WORKER_MEMORY_MB", "100000")
    conf = runpy.run_path(str(CONF))
    worker = FakeWorker()
    conf["post_request"](worker, None, {}, None)
    assert worker.alive is True


def test_defaults_preload_and_recycle_rarely(monkeypatch):
    for name in ("GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_WORKER_MEMORY_MB"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(CONF))
    assert conf["preload_app"] is True
    assert conf["max_requests"] >= 10_000
    assert conf["max_worker_memory_mb"] < 250  # the performance target for a worker
