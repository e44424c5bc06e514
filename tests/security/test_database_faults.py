"""Faults: the database going away, and requests that fail half-way.

The restart tests run the real app under gunicorn (one sync worker, so one process keeps its
connection between requests) against the test database, then end every connection the app
holds with `pg_terminate_backend`, as a PostgreSQL restart or failover does. The app must
answer correctly again within seconds: with CONN_MAX_AGE=0 each request connects anew; with
CONN_MAX_AGE=60 (production) CONN_HEALTH_CHECKS finds the dead connection and replaces it.
Another app process pointed at a port where no database listens must say 503 on /healthz.

A request that fails half-way must leave nothing behind: ATOMIC_REQUESTS rolls back every row
it wrote. Those tests run on any database.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from referrals.models import Location, Organisation, Service, ServiceChange
from tests.referrals.helpers import form_data as service_form_data
from tests.training.conftest import make_module
from training import services as training_services
from training.content import CourseSpec
from training.models import Attempt, AttemptAnswer, Module, ModuleCompletion, Option

BASE_DIR = Path(__file__).resolve().parents[2]
RECOVERY_SECONDS = 5

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: runs the app against the PostgreSQL test database and ends its "
    "connections (set DATABASE_URL=postgres://... to run it)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(*, port=None) -> str:
    """The URL of the database the tests use now (pytest-django's test database)."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{port or db['PORT'] or 5432}/{db['NAME']}"


def get(url: str, *, cookie: str = "") -> tuple[int, bytes]:
    """GET without following redirects; return the status and body (also for 4xx and 5xx)."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    assert url.startswith("http://127.0.0.1:"), url  # only ever our own local app
    request = urllib.request.Request(  # noqa: S310 - checked above: plain HTTP to localhost
        url, headers={"Cookie": cookie} if cookie else {}
    )
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def app_server(tmp_path, *, db_url: str, conn_max_age: int):
    """Run the app under gunicorn on a free localhost port; yield its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": db_url,
        "DJANGO_CONN_MAX_AGE": str(conn_max_age),
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / f"gunicorn-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own app, fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "1",
                "--timeout",
                "30",
                "config.wsgi:application",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(f"{base}/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"gunicorn did not start:\n{log_path.read_text()}"
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def terminate_other_connections() -> int:
    """End every connection to the test database except this test's own; return how many.

    This is what the app sees when PostgreSQL restarts. The test's own connection is spared so
    the test can carry on and clean up.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    with psycopg.connect(database_url(), autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid() AND pid <> %s",
            [connection.settings_dict["NAME"], own_pid],
        ).fetchall()
    return sum(1 for (ended,) in rows if ended)


def app_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        )
        return cursor.fetchone()[0]


def wait_for(check, seconds: float) -> tuple[bool, int, float]:
    """Call `check` until it returns true or time runs out; return (ok, tries, seconds taken)."""
    start = time.monotonic()
    tries = 0
    while True:
        tries += 1
        if check():
            return True, tries, time.monotonic() - start
        if time.monotonic() - start > seconds:
            return False, tries, time.monotonic() - start
        time.sleep(0.1)


@postgresql_only
@pytest.mark.parametrize("conn_max_age", [0, 60])
def test_app_answers_again_after_its_database_connections_are_ended(
    transactional_db, clinician, tmp_path, conn_max_age
):
    signed_in = Client()
    signed_in.force_login(clinician)  # the session is in the database, which the app shares
    cookie = f"sessionid={signed_in.cookies['sessionid'].value}"

    def healthy_and_signed_in(base):
        health, body = get(f"{base}/healthz")
        profile, page = get(f"{base}/accounts/profile/", cookie=cookie)
        return (
            health == 200
            and json.loads(body)["database"] == "up"
            and profile == 200
            and b"Alice Clinician" in page
        )

    with app_server(tmp_path, db_url=database_url(), conn_max_age=conn_max_age) as base:
        assert healthy_and_signed_in(base)
        if conn_max_age:
            assert app_connections() >= 1, "the app should keep its connection open"

        ended = terminate_other_connections()
        if conn_max_age:
            assert ended >= 1, "the app's open connection should have been ended"

        ok, tries, took = wait_for(lambda: healthy_and_signed_in(base), RECOVERY_SECONDS)
        assert ok, f"not answering {RECOVERY_SECONDS}s after the database connections ended"
        # It recovers on the very first request: no user sees an error.
        assert tries == 1, f"{tries} tries, {took:.1f}s"

        # And again, to show the replacement connection is itself healthy.
        terminate_other_connections()
        assert healthy_and_signed_in(base)


@postgresql_only
def test_healthz_is_503_when_the_database_cannot_be_reached(transactional_db, tmp_path):
    closed_port = free_port()  # nothing listens here
    with app_server(tmp_path, db_url=database_url(port=closed_port), conn_max_age=0) as base:
        status, body = get(f"{base}/healthz")
        assert status == 503
        assert json.loads(body) == {"status": "unavailable", "database": "down"}
        # The load balancer's check does not hang: the refusal is quick.
        start = time.monotonic()
        get(f"{base}/healthz")
        assert time.monotonic() - start < 5


# ---------------------------------------------------------------------------------------------
# A request that fails half-way leaves no partial records (any database)


@pytest.fixture
def quiz_ready(transactional_db, clinician):
    training_services.content_load(
        course=CourseSpec(version="test.1", modules=(make_module("alpha", 1),))
    )
    training_services.survey_submit(
        user=clinician,
        phase="before",
        version="test.1",
        answers=dict.fromkeys(["identify", "ask", "services", "refer", "ptsd", "colleague"], 3),
    )
    module = Module.objects.get(slug="alpha")
    for page in module.pages.all():
        training_services.page_view_record(user=clinician, page=page)
    attempt = training_services.attempt_start(user=clinician, module=module)
    return module, attempt


def test_quiz_failing_half_way_saves_nothing(quiz_ready, clinician, monkeypatch):
    module, attempt = quiz_ready
    correct = set(Option.objects.filter(is_correct=True).values_list("pk", flat=True))
    data = {"attempt": str(attempt.pk)}
    for item in attempt.presented:
        data[f"q{item['question']}"] = [str(o) for o in item["options"] if o in correct]

    def fail(**kwargs):
        # By now the attempt is marked submitted and its answers are written.
        assert AttemptAnswer.objects.filter(attempt=attempt).exists()
        raise RuntimeError("simulated failure after the answers were written")

    monkeypatch.setattr(training_services, "_complete_module", fail)
    client = Client(raise_request_exception=False)
    client.force_login(clinician)
    response = client.post(reverse("training:quiz", kwargs={"slug": module.slug}), data)

    assert response.status_code == 500
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score_percent is None
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()
    assert not ModuleCompletion.objects.exists()

    # The learner can simply try again once the fault is gone.
    monkeypatch.undo()
    response = client.post(reverse("training:quiz", kwargs={"slug": module.slug}), data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.passed and ModuleCompletion.objects.filter(user=clinician).count() == 1
    assert Attempt.objects.filter(user=clinician).count() == 1


def test_service_add_failing_half_way_saves_nothing(transactional_db, icb_admin, monkeypatch):
    from referrals import services as referral_services

    def fail(**kwargs):
        # By now the service, its organisation and its location are written.
        assert Service.objects.exists()
        raise RuntimeError("simulated failure while recording the change")

    monkeypatch.setattr(referral_services, "_record", fail)
    client = Client(raise_request_exception=False)
    client.force_login(icb_admin)
    data = service_form_data(
        organisation="A Brand New Organisation",
        location_address="1 High Street",
        location_town="Leeds",
        location_postcode="LS1 4AP",
    )
    response = client.post(reverse("referrals:service_add"), data)

    assert response.status_code == 500
    assert not Service.objects.exists()
    assert not Organisation.objects.filter(name="A Brand New Organisation").exists()
    assert not Location.objects.exists()
    assert not ServiceChange.objects.exists()
    assert not Service.area_icbs.through.objects.exists()
