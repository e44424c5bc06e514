"""The URLs `make bench` serves (ROOT_URLCONF of config.settings.bench): the site's own, plus
the benchmark's minimal view and identity view. Production's config/urls.py never names them."""

from django.urls import path

from bench import views
from config.urls import *  # noqa: F403 - handler400 and the other error handlers
from config.urls import urlpatterns as site_urlpatterns

MINIMAL_PATH = "bench/minimal/"
SERVER_PATH = "bench/server/"

urlpatterns = [
    path(MINIMAL_PATH, views.minimal),
    path(SERVER_PATH, views.server),
    *site_urlpatterns,
]
