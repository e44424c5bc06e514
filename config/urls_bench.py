"""The site's URLs plus a minimal view: the baseline `make bench` measures pages against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from config.urls import *  # noqa: F403
from config.urls import urlpatterns as site_urlpatterns

MINIMAL_PATH = "bench/minimal/"


@login_not_required
def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(MINIMAL_PATH, minimal), *site_urlpatterns]
