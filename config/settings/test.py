"""Settings for the test suite."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-spotting-stalking")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("ACCEPTED_EMAIL_DOMAINS", "nhs.net,nhs.uk,example.org")
os.environ["EMAIL_URL"] = "memorymail://"

from .base import *  # noqa: E402

# The benchmark's code is tested with the rest; only the bench and test settings install it.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

# Fuzz tests send hundreds of requests from one address; the rate-limit tests set their own.
API_RATE_LIMIT = 100_000
SIGN_IN_ADDRESS_FAILURE_LIMIT = 100_000
# Tests create many users; Argon2's deliberate slowness buys nothing here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite checks the static manifest exists only where it matters (browser tests collect it).
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
# Serve static files straight from the finders: browser tests need no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
