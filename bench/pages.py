"""Server-side time and query count of the main pages, measured in-process with Django's client.

The time covers everything the server does for a request (middleware, view, queries, template)
but not the network; throughput over real sockets is measured by bench/load.py.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Practice, Role, User
from bench.data import BENCH_EMAIL_DOMAIN
from bench.timing import median_p95
from screening.models import Screening
from training.models import Attempt, Module, SurveyPhase, SurveyResponse


class BenchError(Exception):
    """The benchmark cannot run: missing data, or a page did not answer as expected."""


@dataclass(frozen=True)
class PageTiming:
    name: str
    path: str
    median_ms: float
    p95_ms: float
    queries: int  # the most data queries any timed request made
    queries_stable: bool  # every timed request made the same number
    sql_ms: float  # median time the database took, per request
    transaction_statements: int = 0  # BEGIN, COMMIT, savepoints: not counted as queries


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def data_queries(captured) -> int:
    """Return how many captured statements read or wrote data (not transaction control)."""
    return sum(1 for q in captured if not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL))


@dataclass(frozen=True)
class Actors:
    learner: User
    screener: User
    icb_admin: User  # of the ICB with the most clinicians
    widest_icb_admin: User  # of the ICB with the most practices: the longest report
    site_admin: User
    module: Module
    screening: Screening


def learners_ready():
    """Return clinicians who can open every training page: they answered the before-survey."""
    surveyed = SurveyResponse.objects.filter(phase=SurveyPhase.BEFORE).values("user_id")
    return User.objects.filter(
        pk__in=surveyed, role=Role.CLINICIAN, is_active=True, practice__isnull=False
    )


def actors() -> Actors:
    """Pick the people the pages are timed as: the busiest learner, the biggest ICB's admin."""
    busiest = (
        Attempt.objects.filter(user__in=learners_ready())
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    screening = Screening.objects.select_related("clinician").order_by("-created_at").first()
    module = Module.objects.filter(is_active=True).order_by("order").first()
    biggest_icb = (
        User.objects.filter(role=Role.CLINICIAN, practice__isnull=False)
        .values("practice__icb_id")
        .annotate(n=Count("pk"))
        .filter(practice__icb_id__in=User.objects.filter(role=Role.ICB_ADMIN).values("icb_id"))
        .order_by("-n")
        .values_list("practice__icb_id", flat=True)
        .first()
    )
    icb_admin = User.objects.filter(role=Role.ICB_ADMIN, icb_id=biggest_icb).first()
    most_practices = (
        Practice.objects.values("icb_id")
        .annotate(n=Count("pk"))
        .filter(icb_id__in=User.objects.filter(role=Role.ICB_ADMIN).values("icb_id"))
        .order_by("-n", "icb_id")
        .values_list("icb_id", flat=True)
        .first()
    )
    widest_icb_admin = User.objects.filter(role=Role.ICB_ADMIN, icb_id=most_practices).first()
    if not (busiest and screening and module and icb_admin and widest_icb_admin):
        raise BenchError("No bench data: run manage.py seed_bench first")
    site_admin, _ = User.objects.get_or_create(
        email=f"bench.site.admin@{BENCH_EMAIL_DOMAIN}",
        defaults={"full_name": "Bench Site Admin", "role": Role.SITE_ADMIN},
    )
    return Actors(
        learner=User.objects.get(pk=busiest),
        screener=screening.clinician,
        icb_admin=icb_admin,
        widest_icb_admin=widest_icb_admin,
        site_admin=site_admin,
        module=module,
        screening=screening,
    )


def close_open_attempts(a: Actors):
    """Return a function that closes the learner's open attempt, so the next quiz visit starts
    a new one (as after every submitted quiz)."""

    def close() -> None:
        Attempt.objects.filter(user=a.learner, module=a.module, submitted_at__isnull=True).update(
            submitted_at=timezone.now(), correct_count=0, score_percent=0, passed=False
        )

    return close


def main_pages(a: Actors) -> list[tuple[str, str, User | None, Callable | None]]:
    """Return (name, path, who, what to do before each request) for every main page."""
    slug = a.module.slug
    return [
        ("Start page", "/", a.learner, None),
        ("My training", "/training/", a.learner, None),
        ("Module", f"/training/{slug}/", a.learner, None),
        ("Module page", f"/training/{slug}/page/1/", a.learner, None),
        ("Quiz, starting an attempt", f"/training/{slug}/quiz/", a.learner, close_open_attempts(a)),
        ("Quiz, attempt in progress", f"/training/{slug}/quiz/", a.learner, None),
        ("Screening checklist", "/screening/new/", a.screener, None),
        ("Screening result", f"/screening/{a.screening.pk}/", a.screener, None),
        ("Referral directory", "/referrals/", a.learner, None),
        ("ORUK services API", "/api/oruk/services", None, None),
        (f"Dashboard, ICB ({a.icb_admin.icb_id})", "/reporting/", a.icb_admin, None),
        ("Dashboard, England", "/reporting/", a.site_admin, None),
    ]


def time_page(
    name: str, path: str, user: User | None, runs: int, before: Callable | None = None
) -> PageTiming:
    """Time `runs` GETs of the page after two warm-up requests; fail on anything but a 200.

    `before`, if given, runs ahead of every request, outside the timing.
    """
    client = Client()
    if user is not None:
        client.force_login(user)
    for _ in range(2):
        if before:
            before()
        client.get(path)
    times, sql, counts, control = [], [], set(), 0
    for _ in range(runs):
        if before:
            before()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise BenchError(f"{name}: {path} answered {response.status_code}, not 200")
        queries = data_queries(ctx.captured_queries)
        counts.add(queries)
        control = max(control, len(ctx.captured_queries) - queries)
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    median, p95 = median_p95(times)
    return PageTiming(
        name, path, median, p95, max(counts), len(counts) == 1, median_p95(sql)[0], control
    )


def raw_sql_ms(user: User, path: str, runs: int) -> float:
    """Return the median time of running a page's SQL directly, without Django: its floor."""
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    statements = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            start = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
    return median_p95(times)[0]
