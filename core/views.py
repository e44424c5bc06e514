"""Start page, health check, accessibility statement and the styled error pages."""

import functools
import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpResponseServerError, JsonResponse, QueryDict
from django.shortcuts import render
from django.template import loader
from django.utils.datastructures import MultiValueDict
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


@login_not_required
def start(request):
    """Show what the service is for, and to a signed-in user what their role can do."""
    return render(request, "core/start.html")


@login_not_required
def accessibility(request):
    """Show the accessibility statement."""
    return render(request, "core/accessibility.html")


@login_not_required
@never_cache
@transaction.non_atomic_requests  # an atomic request would fail before the check could answer 503
def healthz(request):
    """Answer 200 when the app and its database answer, 503 when the database does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


def _without_unreadable_body(handler):
    """Let an error page render when the request's form body cannot be read.

    A body Django refuses to parse (a form charset other than UTF-8, say) raises BadRequest
    every time request.POST is read, and the CSRF check that error pages run reads it again,
    which would turn a 400 into a bare 500. Error pages never need the body, so an unreadable
    one is treated as empty.
    """

    @functools.wraps(handler)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not hasattr(request, "_post"):
            try:
                request.POST  # noqa: B018 - parse it now, or learn that it cannot be parsed
            except Exception:  # any parse failure: the page must still render
                request._post, request._files = QueryDict(), MultiValueDict()
        return handler(request, *args, **kwargs)

    return wrapper


@_without_unreadable_body
@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


@_without_unreadable_body
@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@_without_unreadable_body
@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@_without_unreadable_body
@requires_csrf_token
def server_error(request):
    # No context processors here: whatever failed may be what they depend on.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


@_without_unreadable_body
def csrf_failure(request, reason=""):
    """Explain an expired or missing form token without blaming the user."""
    return render(request, "errors/csrf.html", status=403)
