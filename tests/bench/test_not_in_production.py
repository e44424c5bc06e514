"""The benchmark never ships: production installs no bench app and serves none of its URLs,
while the bench settings, which `make bench` uses, have both."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from django.urls import Resolver404, resolve; from django.core.management import "
    "get_commands\n"
    "def resolves(path):\n"
    "    try:\n"
    "        resolve(path)\n"
    "    except Resolver404:\n"
    "        return False\n"
    "    return True\n"
    "print(json.dumps({'apps': settings.INSTALLED_APPS, "
    "'urls': {p: resolves(p) for p in ('/bench/server/', '/bench/minimal/', '/healthz')}, "
    "'commands': sorted(c for c in get_commands() if 'bench' in c)}))"
)


def load(settings_module: str) -> dict:
    """Load the settings in a fresh process; return its apps, which URLs resolve, commands."""
    inherited = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DJANGO_SECRET_KEY": "test-only-" + "production-settings-load" * 2,
        "DJANGO_ALLOWED_HOSTS": "spotting-stalking.example.nhs.uk",
        "DATABASE_URL": "postgres://app:secret@db.internal:5432/spotting_stalking",
    }
    result = subprocess.run(  # noqa: S603 - our own settings, fixed arguments
        [sys.executable, "-c", PROBE],
        cwd=str(BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production():
    return load("config.settings.production")


def test_production_installs_no_bench_app(production):
    assert "bench" not in production["apps"]
    assert not any(app.startswith("bench") for app in production["apps"])


def test_production_serves_no_bench_url(production):
    assert production["urls"] == {
        "/bench/server/": False,
        "/bench/minimal/": False,
        "/healthz": True,
    }


def test_production_has_no_bench_command(production):
    assert production["commands"] == []


def test_the_bench_settings_install_the_bench_app_its_urls_and_commands():
    bench = load("config.settings.bench")
    assert "bench" in bench["apps"]
    assert bench["urls"] == {"/bench/server/": True, "/bench/minimal/": True, "/healthz": True}
    assert bench["commands"] == ["bench", "bench_certificate", "bench_reporting", "seed_bench"]
