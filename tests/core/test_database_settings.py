"""Database connection settings: persistent health-checked connections by default, a psycopg
pool when DJANGO_DB_POOL_MAX_SIZE is set on PostgreSQL, and never a pool on SQLite."""

import json
import os
import subprocess
import sys

import environ
import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from config.settings.database import database_settings

BASE_DIR = environ.Path(__file__) - 3
POSTGRES_URL = "postgres://app:secret@db.internal:5432/spotting_stalking"
SQLITE_URL = "sqlite:////tmp/db.sqlite3"
VARIABLES = [
    "DJANGO_CONN_MAX_AGE",
    "DJANGO_DB_POOL_MAX_SIZE",
    "DJANGO_DB_POOL_MIN_SIZE",
    "DJANGO_DB_POOL_TIMEOUT",
]


@pytest.fixture
def env(monkeypatch):
    """An environment without any of the connection variables; tests set what they need."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return environ.Env()


class TestWithoutPool:
    def test_unset_keeps_health_checked_connections_and_no_pool(self, env):
        database = database_settings(POSTGRES_URL, env)
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert database["CONN_MAX_AGE"] == 0
        assert database["CONN_HEALTH_CHECKS"] is True
        assert database["ATOMIC_REQUESTS"] is True
        assert "pool" not in database.get("OPTIONS", {})

    def test_conn_max_age_comes_from_the_environment(self, env, monkeypatch):
        monkeypatch.setenv("DJANGO_CONN_MAX_AGE", "60")
        database = database_settings(POSTGRES_URL, env)
        assert database["CONN_MAX_AGE"] == 60
        assert database["CONN_HEALTH_CHECKS"] is True
        assert "pool" not in database.get("OPTIONS", {})

    def test_zero_means_no_pool(self, env, monkeypatch):
        monkeypatch.setenv("DJANGO_DB_POOL_MAX_SIZE", "0")
        monkeypatch.setenv("DJANGO_CONN_MAX_AGE", "60")
        database = database_settings(POSTGRES_URL, env)
        assert "pool" not in database.get("OPTIONS", {})
        assert database["CONN_MAX_AGE"] == 60


class TestWithPool:
    def test_pool_on_postgresql_with_conn_max_age_zero(self, env, monkeypatch):
        monkeypatch.setenv("DJANGO_DB_POOL_MAX_SIZE", "4")
        # Django refuses a pool with persistent connections, so this must be overridden.
        monkeypatch.setenv("DJANGO_CONN_MAX_AGE", "60")
        database = database_settings(POSTGRES_URL, env)
        assert database["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 3.0}
        assert database["CONN_MAX_AGE"] == 0
        # With a pool, Django passes this on as the pool's check of each connection handed out.
        assert database["CONN_HEALTH_CHECKS"] is True
        assert database["ATOMIC_REQUESTS"] is True
        assert (database["NAME"], database["HOST"]) == ("spotting_stalking", "db.internal")

    def test_min_size_and_timeout_from_the_environment(self, env, monkeypatch):
        monkeypatch.setenv("DJANGO_DB_POOL_MAX_SIZE", "8")
        monkeypatch.setenv("DJANGO_DB_POOL_MIN_SIZE", "2")
        monkeypatch.setenv("DJANGO_DB_POOL_TIMEOUT", "5")
        pool = database_settings(POSTGRES_URL, env)["OPTIONS"]["pool"]
        assert pool == {"min_size": 2, "max_size": 8, "timeout": 5.0}

    def test_min_size_never_exceeds_max_size(self, env, monkeypatch):
        monkeypatch.setenv("DJANGO_DB_POOL_MAX_SIZE", "2")
        monkeypatch.setenv("DJANGO_DB_POOL_MIN_SIZE", "5")
        pool = database_settings(POSTGRES_URL, env)["OPTIONS"]["pool"]
        assert (pool["min_size"], pool["max_size"]) == (2, 2)

    def test_other_postgres_url_schemes_get_the_pool(self, env, monkeypatch):
        monkeypatch.setenv("DJANGO_DB_POOL_MAX_SIZE", "3")
        url = POSTGRES_URL.replace("postgres://", "postgresql://")
        assert database_settings(url, env)["OPTIONS"]["pool"]["max_size"] == 3


class TestSqlite:
    def test_sqlite_never_gets_a_pool(self, env, monkeypatch):
        monkeypatch.setenv("DJANGO_DB_POOL_MAX_SIZE", "4")
        monkeypatch.setenv("DJANGO_CONN_MAX_AGE", "30")
        database = database_settings(SQLITE_URL, env)
        assert database["ENGINE"] == "django.db.backends.sqlite3"
        assert "pool" not in database.get("OPTIONS", {})
        assert database["CONN_MAX_AGE"] == 30
        assert database["CONN_HEALTH_CHECKS"] is True


def production_database(**variables) -> dict:
    """Load the production settings in a fresh process and return DATABASES["default"]."""
    inherited = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "test-only-production-settings-load",
        "DATABASE_URL": POSTGRES_URL,
        **variables,
    }
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    result = subprocess.run(  # noqa: S603 - our own settings, fixed arguments
        [sys.executable, "-c", code],
        cwd=str(BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


class TestProductionSettings:
    def test_production_keeps_connections_a_minute_without_a_pool(self):
        database = production_database()
        assert database["CONN_MAX_AGE"] == 60
        assert database["CONN_HEALTH_CHECKS"] is True
        assert "pool" not in database["OPTIONS"]

    def test_production_uses_the_pool_when_configured(self):
        database = production_database(DJANGO_DB_POOL_MAX_SIZE="4")
        assert database["CONN_MAX_AGE"] == 0
        assert database["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 3.0}


@pytest.mark.django_db
def test_pooled_connection_against_postgresql_survives_a_dropped_connection(env, monkeypatch):
    """Open a real pooled connection to the test database, kill it server-side (what a database
    restart does), and check the next request-sized use gets a fresh, working connection."""
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    monkeypatch.setenv("DJANGO_DB_POOL_MAX_SIZE", "2")
    settings_dict = database_settings(os.environ["DATABASE_URL"], env)
    settings_dict["NAME"] = connection.settings_dict["NAME"]  # the test database
    # Its own alias: Django keeps one pool per alias, and "default" may have one of its own.
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.dummy"}, "pooled_test": settings_dict}
    )
    pooled = handler["pooled_test"]
    try:
        with pooled.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (first_pid,) = cursor.fetchone()
        assert pooled.pool is not None
        assert pooled.connection._pool is pooled.pool
        assert pooled.pool.max_size == 2
        pooled.close()  # the end of a request: the connection goes back to the pool

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [first_pid])
            assert cursor.fetchone() == (True,)

        with pooled.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (second_pid,) = cursor.fetchone()
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert second_pid != first_pid
    finally:
        pooled.close()
        pooled.close_pool()
