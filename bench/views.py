"""The two views only the benchmark serves: the minimal view it measures pages against, and
the identity view it uses to know the server answering is the one it started."""

import os

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse

# Set by bench/load.py for the gunicorn it starts: a new random value for every run.
RUN_TOKEN_ENV = "BENCH_RUN_TOKEN"  # noqa: S105 - the name of a variable, not a secret


@login_not_required
def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


@login_not_required
@transaction.non_atomic_requests  # answer without the database: this only says who is serving
def server(request):
    """Return this run's token and the gunicorn master's pid (the parent of this worker).

    Another server on the port cannot know the token, and a gunicorn started by anyone else
    has another master, so the benchmark can tell its own server from any other.
    """
    token = os.environ.get(RUN_TOKEN_ENV, "")
    if not token:
        raise Http404("Not started by make bench")
    return JsonResponse({"token": token, "master_pid": os.getppid(), "pid": os.getpid()})
