"""Settings for `make bench`: the production settings, served over plain HTTP on this machine.

Only what a benchmark on localhost needs differs from production: no HTTPS redirect or secure
cookies (there is no TLS proxy in front), no second factor for the admins whose dashboards are
timed, and the bench app (bench/): its commands, and two extra URLs (bench/urls.py), a minimal
view as the throughput baseline and an identity view. Production never installs it.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-never-deployed-" + "s" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spotting_stalking_bench")

from .production import *  # noqa: E402

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OTP_REQUIRED_FOR_ADMINS = False
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
