"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, deploy=True)
def rate_limits_have_a_shared_cache(app_configs, **kwargs):
    """Warn when rate limits would count per worker process instead of across the service."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Warning(
                "The cache is kept in each worker process, so sign-in and API rate limits "
                "would count separately in every worker and server.",
                hint="Set CACHE_URL to a Redis shared by every app server (redis://host:6379/0).",
                id="core.W001",
            )
        ]
    return []
