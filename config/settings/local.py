"""Settings for a developer's machine: `make run`."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-only-not-secret-spotting-stalking")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("ACCEPTED_EMAIL_DOMAINS", "nhs.net,nhs.uk,example.org")

from .base import *  # noqa: E402
