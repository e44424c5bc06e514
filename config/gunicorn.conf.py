"""Gunicorn settings for production; each value can be overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Load the app once in the master and fork workers from it: a recycled worker starts at once
# instead of importing Django again (about a second of CPU each, measured by make bench).
preload_app = True
# Workers are recycled when their memory passes max_worker_memory_mb (below), which bounds the
# slow growth from PDF rendering (about 0.2 MB a certificate, measured). Recycling by request
# count as well is only a backstop: every recycle costs the other requests waiting at that
# moment (make bench: a minimal view gave 1,061 requests/s with p95 1,063 ms when recycled
# every 1,000 requests, 2,007 requests/s with p95 6 ms without).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
max_worker_memory_mb = int(os.environ.get("GUNICORN_MAX_WORKER_MEMORY_MB", "200"))
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "config.wsgi:application"
# Believe no client-set SCRIPT_NAME (or other forwarder header) from the load balancer: the
# app is served at the root, and a prefix would let a client move the rate-limited API path.
forwarder_headers = ""


def resident_mb() -> float:
    """Return this process's resident memory in MB (Linux), or 0 where it cannot be read."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def post_request(worker, req, environ, resp):
    """Let the worker finish and be replaced once it has grown past max_worker_memory_mb."""
    size = resident_mb()
    if size > max_worker_memory_mb and worker.alive:
        worker.log.info("Worker using %.0f MB; recycling it", size)
        worker.alive = False
