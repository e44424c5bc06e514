"""Count requests in fixed time windows in the shared cache, so every app server agrees.

Production keeps the cache in Redis (CACHE_URL); a deploy check refuses the per-process
local-memory cache there, which would give each worker its own count. If the cache cannot be
reached the limit is not applied (logged): the per-account sign-in lock is in the database and
still holds, and clinicians keep their service.
"""

import hashlib
import logging
import time
from datetime import timedelta

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(scope: str, identity: str, window: timedelta) -> tuple[str, int]:
    seconds = max(1, int(window.total_seconds()))
    bucket = int(time.time() // seconds)
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{bucket}", seconds


def rate_limit_hit(scope: str, identity: str, *, limit: int, window: timedelta) -> bool:
    """Count one event for this identity; return whether it is still within the limit."""
    key, seconds = _key(scope, identity, window)
    try:
        cache.add(key, 0, timeout=seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.add(key, 1, timeout=seconds + 1)
            count = 1
    except Exception:  # a cache outage must not take the service down with it
        logger.warning("Rate limit %s not applied: the cache did not answer", scope, exc_info=True)
        return True
    return count <= limit


def rate_limit_reached(scope: str, identity: str, *, limit: int, window: timedelta) -> bool:
    """Return whether this identity has used up its limit in this window, without counting."""
    key, _ = _key(scope, identity, window)
    try:
        count = cache.get(key, 0)
    except Exception:  # as above: an outage lifts the limit rather than the service
        logger.warning("Rate limit %s not checked: the cache did not answer", scope, exc_info=True)
        return False
    return count >= limit
