"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

from core.wsgi_guard import CharsetGuard

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = CharsetGuard(get_wsgi_application())
