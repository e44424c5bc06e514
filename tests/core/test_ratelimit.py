"""The public API is rate-limited per address, and production must count in a shared cache."""

import pytest
from django.core.checks import run_checks

from core import ratelimit
from core.checks import rate_limits_have_a_shared_cache

pytestmark = pytest.mark.django_db


def test_an_address_over_the_limit_gets_a_json_429(client, settings):
    settings.API_RATE_LIMIT = 3
    url = "/api/oruk/services"
    answers = [client.get(url, REMOTE_ADDR="203.0.113.5").status_code for _ in range(5)]

    assert answers == [200, 200, 200, 429, 429]
    response = client.get(url, REMOTE_ADDR="203.0.113.5")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == 429
    assert response["Retry-After"] == "60"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_other_addresses_and_pages_are_not_limited(client, settings):
    settings.API_RATE_LIMIT = 1
    client.get("/api/oruk/services", REMOTE_ADDR="203.0.113.5")
    client.get("/api/oruk/services", REMOTE_ADDR="203.0.113.5")

    assert client.get("/api/oruk/services", REMOTE_ADDR="198.51.100.7").status_code == 200
    assert client.get("/", REMOTE_ADDR="203.0.113.5").status_code == 200


def test_the_window_ends(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    window = ratelimit.timedelta(minutes=1)
    hits = [ratelimit.rate_limit_hit("t", "a", limit=2, window=window) for _ in range(3)]
    now[0] += 60

    assert hits == [True, True, False]
    assert ratelimit.rate_limit_hit("t", "a", limit=2, window=window)


def test_a_cache_outage_lifts_the_limit_rather_than_the_service(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "add", broken)
    monkeypatch.setattr(ratelimit.cache, "get", broken)
    window = ratelimit.timedelta(minutes=1)

    assert ratelimit.rate_limit_hit("t", "a", limit=0, window=window)
    assert not ratelimit.rate_limit_reached("t", "a", limit=0, window=window)


def test_a_per_process_cache_fails_the_deployment_check(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in rate_limits_have_a_shared_cache(None)] == ["core.W001"]
    assert "core.W001" in [m.id for m in run_checks(include_deployment_checks=True)]

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert rate_limits_have_a_shared_cache(None) == []


def test_the_limit_holds_across_app_servers_in_redis(settings):
    """Two processes agree because the count is in Redis (skipped where no Redis answers)."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from django.core.cache.backends.redis import RedisCache

    location = "redis://127.0.0.1:6379/15"
    server_a = RedisCache(location, {"KEY_PREFIX": "ratelimit-test"})
    server_b = RedisCache(location, {"KEY_PREFIX": "ratelimit-test"})
    server_a.clear()
    window = ratelimit.timedelta(minutes=1)
    original = ratelimit.cache
    try:
        ratelimit.cache = server_a
        first = ratelimit.rate_limit_hit("t", "x", limit=1, window=window)
        ratelimit.cache = server_b
        second = ratelimit.rate_limit_hit("t", "x", limit=1, window=window)
    finally:
        ratelimit.cache = original
        server_a.clear()

    assert (first, second) == (True, False)
