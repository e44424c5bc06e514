"""Settings for a deployed service: secrets and site details come from the environment."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
# Keep each database connection for a minute (health-checked) unless a pool is configured.
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "60")

from .base import *  # noqa: E402

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers check health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# ICB and site admins must sign in with a second factor before they see anything else.
OTP_REQUIRED_FOR_ADMINS = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
