"""The default database's settings: persistent connections, or a psycopg connection pool.

Kept apart from base.py as a pure function of the URL and the environment, so the tests can
check every case without reloading settings.
"""

import environ

# The engines django-environ gives for postgres://, postgresql://, pgsql:// and postgis:// URLs.
POSTGRESQL_ENGINES = {
    "django.db.backends.postgresql",
    "django.contrib.gis.db.backends.postgis",
}


def database_settings(url: str, env: environ.Env) -> dict:
    """Return DATABASES["default"] for the database at `url`, configured from `env`.

    By default each worker keeps its connection for DJANGO_CONN_MAX_AGE seconds and checks it is
    alive before reusing it (CONN_HEALTH_CHECKS), so a database restart costs no failed request.

    With DJANGO_DB_POOL_MAX_SIZE above 0 on PostgreSQL, each worker process instead keeps a
    psycopg pool of up to that many connections (Django 5.1+; needs psycopg_pool). That pays
    off when a worker serves requests on several threads (GUNICORN_THREADS > 1). Django refuses
    a pool with persistent connections, so CONN_MAX_AGE becomes 0; CONN_HEALTH_CHECKS then makes
    the pool check each connection as it hands it out. SQLite has no pool: the variable is
    ignored there, so development and the SQLite test runs are unaffected.
    """
    database = environ.Env.db_url_config(url)
    database["ATOMIC_REQUESTS"] = True
    database["CONN_HEALTH_CHECKS"] = True
    pool_max_size = env.int("DJANGO_DB_POOL_MAX_SIZE", default=0)
    if pool_max_size > 0 and database["ENGINE"] in POSTGRESQL_ENGINES:
        database["CONN_MAX_AGE"] = 0
        database.setdefault("OPTIONS", {})["pool"] = {
            # psycopg_pool would open 4 connections per process by default; one is enough to
            # answer the first request without waiting, and more open as they are needed.
            "min_size": min(env.int("DJANGO_DB_POOL_MIN_SIZE", default=1), pool_max_size),
            "max_size": pool_max_size,
            # Seconds a request waits for a connection before failing. While the database is
            # down every request waits this long, /healthz included, so it is kept under the
            # load balancer's 5-second check timeout (docs/operations.md) for a clean 503.
            "timeout": env.float("DJANGO_DB_POOL_TIMEOUT", default=3.0),
        }
    else:
        database["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
    return database
