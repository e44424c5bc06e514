"""Report figures, each computed by the database in a fixed number of queries.

Every function takes a Scope (reporting/scope.py) and returns raw counts; disclosure control
and presentation happen in reporting/presenters.py.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import ProfessionalRole, Role, User
from reporting.models import QuestionStat
from reporting.summaries import month_start
from screening.models import Outcome, Screening
from training.models import (
    Attempt,
    AttemptAnswer,
    Module,
    ModuleCompletion,
    PageView,
    Question,
    SurveyAnswer,
    SurveyResponse,
)
from training.survey import AGREE_VALUES, STATEMENTS

FULLY_TRAINED_SHARE = 0.75


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _period(scope, field: str) -> Q:
    """Return a filter keeping rows whose `field` (a datetime) falls in the scope's dates."""
    q = Q()
    if scope.start:
        q &= Q(**{f"{field}__gte": _day_start(scope.start)})
    if scope.end:
        q &= Q(**{f"{field}__lt": _day_start(scope.end + datetime.timedelta(days=1))})
    return q


def clinicians(scope):
    """Return the registered clinicians in scope: active clinicians at a practice in the area."""
    qs = User.objects.filter(role=Role.CLINICIAN, is_active=True, practice__isnull=False)
    if scope.icb:
        qs = qs.filter(practice__icb=scope.icb)
    if scope.practice:
        qs = qs.filter(practice=scope.practice)
    if scope.professional_role:
        qs = qs.filter(professional_role=scope.professional_role)
    if scope.end:
        qs = qs.filter(date_joined__lt=_day_start(scope.end + datetime.timedelta(days=1)))
    return qs


def _with_progress(scope):
    """Annotate each clinician with whether they started and finished the course in the period."""
    active_modules = Module.objects.filter(is_active=True)
    module_count = active_modules.count()
    done = (
        ModuleCompletion.objects.filter(user=OuterRef("pk"), module__in=active_modules)
        .filter(_period(scope, "completed_at"))
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    started = Exists(
        PageView.objects.filter(user=OuterRef("pk")).filter(_period(scope, "first_viewed_at"))
    ) | Exists(Attempt.objects.filter(user=OuterRef("pk")).filter(_period(scope, "started_at")))
    users = clinicians(scope).annotate(
        modules_done=Coalesce(Subquery(done), Value(0)), has_started=started
    )
    return users, max(module_count, 1)


@dataclass(frozen=True)
class ProgressRow:
    key: str
    label: str
    registered: int
    started: int
    completed: int


def _progress_cells(scope, area_field: str) -> list[dict]:
    """Return registered/started/completed per (area, professional role) in one query."""
    users, modules = _with_progress(scope)
    return list(
        users.values(area_field, "professional_role")
        .annotate(
            registered=Count("pk"),
            started=Count("pk", filter=Q(has_started=True)),
            completed=Count("pk", filter=Q(modules_done__gte=modules)),
        )
        .order_by()
    )


def _roll_up(cells: list[dict], field: str, labels: dict) -> list[ProgressRow]:
    totals: dict = {}
    for cell in cells:
        row = totals.setdefault(cell[field], [0, 0, 0])
        row[0] += cell["registered"]
        row[1] += cell["started"]
        row[2] += cell["completed"]
    return [
        ProgressRow(
            key=str(key),
            label=labels.get(key, str(key)),
            registered=r[0],
            started=r[1],
            completed=r[2],
        )
        for key, r in totals.items()
    ]


@dataclass(frozen=True)
class Progress:
    by_area: list[ProgressRow]
    by_role: list[ProgressRow]


def progress(scope) -> Progress:
    """Return training progress by practice (ICB view) or ICB (England), and by role.

    One aggregate query over the clinicians, plus one for the area names.
    """
    if scope.icb:
        area_field = "practice_id"
        labels = dict(clinicians(scope).values_list("practice_id", "practice__name").distinct())
    else:
        area_field = "practice__icb_id"
        labels = dict(
            clinicians(scope).values_list("practice__icb_id", "practice__icb__name").distinct()
        )
    cells = _progress_cells(scope, area_field)
    return Progress(
        by_area=sorted(_roll_up(cells, area_field, labels), key=lambda r: r.label),
        by_role=sorted(
            _roll_up(cells, "professional_role", dict(ProfessionalRole.choices)),
            key=lambda r: r.key,
        ),
    )


@dataclass(frozen=True)
class ModuleQuiz:
    title: str
    first_attempts: int
    first_passes: int


def quiz_first_attempts(scope) -> list[ModuleQuiz]:
    """Return, per module, learners' first attempts and how many of them passed."""
    users = clinicians(scope)
    rows = (
        Attempt.objects.filter(is_first=True, user__in=users)
        .filter(_period(scope, "submitted_at"))
        .values("module__order", "module__title")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by("module__order")
    )
    return [ModuleQuiz(r["module__title"], r["n"], r["passed"]) for r in rows]


@dataclass(frozen=True)
class HardQuestion:
    module: str
    key: str
    text: str
    answered: int
    wrong: int


def hardest_questions(scope, limit: int = 10) -> list[HardQuestion]:
    """Return the questions most often answered wrongly, to improve the content.

    Read from the per-question summary (reporting.models.QuestionStat), whose dates are whole
    months; a single practice is small enough to count from the answers themselves.
    """
    if scope.practice:
        rows = (
            AttemptAnswer.objects.filter(attempt__user__in=clinicians(scope))
            .filter(_period(scope, "attempt__submitted_at"))
            .values("question_id")
            .annotate(n=Count("pk"), wrong=Count("pk", filter=Q(is_correct=False)))
        )
    else:
        stats = QuestionStat.objects.all()
        if scope.icb:
            stats = stats.filter(icb=scope.icb)
        if scope.professional_role:
            stats = stats.filter(professional_role=scope.professional_role)
        if scope.start:
            stats = stats.filter(month__gte=scope.start.replace(day=1))
        if scope.end:
            stats = stats.filter(month__lte=scope.end)
        rows = stats.values("question_id").annotate(n=Sum("answered"), wrong=Sum("wrong"))
    top = list(rows.filter(n__gte=5).order_by("-wrong", "question_id")[:limit])
    questions = Question.objects.select_related("module").in_bulk([r["question_id"] for r in top])
    return [
        HardQuestion(
            questions[r["question_id"]].module.title,
            questions[r["question_id"]].key,
            questions[r["question_id"]].text,
            r["n"],
            r["wrong"],
        )
        for r in top
    ]


@dataclass(frozen=True)
class StatementChange:
    key: str
    text: str
    agree_before: int
    agree_after: int


@dataclass(frozen=True)
class Confidence:
    with_before: int
    pairs: int
    statements: list[StatementChange]


def confidence(scope) -> Confidence:
    """Return agreement before and after, for people who answered both surveys of one version."""
    users = clinicians(scope)
    befores = SurveyResponse.objects.filter(user__in=users, phase="before").filter(
        _period(scope, "submitted_at")
    )
    after_for_same = SurveyResponse.objects.filter(
        user=OuterRef("user"), phase="after", content_version=OuterRef("content_version")
    )
    paired = befores.filter(Exists(after_for_same))
    counts = befores.aggregate(
        with_before=Count("pk"), pairs=Count("pk", filter=Exists(after_for_same))
    )
    paired_users = paired.values("user")
    agree = (
        SurveyAnswer.objects.filter(
            response__user__in=paired_users,
            response__content_version__in=paired.values("content_version"),
            value__in=AGREE_VALUES,
        )
        .values("response__phase", "statement")
        .annotate(n=Count("pk"))
    )
    table = {(r["response__phase"], r["statement"]): r["n"] for r in agree}
    return Confidence(
        with_before=counts["with_before"],
        pairs=counts["pairs"],
        statements=[
            StatementChange(key, text, table.get(("before", key), 0), table.get(("after", key), 0))
            for key, text in STATEMENTS
        ],
    )


def _screenings(scope):
    qs = Screening.objects.filter(_period(scope, "created_at"))
    if scope.icb:
        qs = qs.filter(icb=scope.icb)
    if scope.practice:
        qs = qs.filter(practice=scope.practice)
    if scope.professional_role:
        qs = qs.filter(clinician__professional_role=scope.professional_role)
    return qs


def screening_figures(scope) -> dict:
    """Return screening counts: levels, concern, flags and what was done (one query)."""
    return _screenings(scope).aggregate(
        total=Count("pk"),
        indicated=Count("pk", filter=Q(stalking="indicated")),
        possible=Count("pk", filter=Q(stalking="possible")),
        not_indicated=Count("pk", filter=Q(stalking="not_indicated")),
        high=Count("pk", filter=Q(concern="high")),
        raised=Count("pk", filter=Q(concern="raised")),
        standard=Count("pk", filter=Q(concern="standard")),
        ptsd_recommended=Count("pk", filter=Q(flag_ptsd_assessment=True)),
        ptsd_arranged=Count(
            "pk", filter=Q(flag_ptsd_assessment=True, outcome__ptsd_assessment_arranged=True)
        ),
        emergency=Count("pk", filter=Q(flag_emergency=True)),
        safeguarding=Count("pk", filter=Q(flag_safeguarding=True)),
        urgent_mental_health=Count("pk", filter=Q(flag_urgent_mental_health=True)),
        domestic_abuse=Count("pk", filter=Q(flag_domestic_abuse=True)),
        record_safety=Count("pk", filter=Q(flag_record_safety=True)),
    )


OUTCOME_FIELDS = (
    ("referred_specialist", "Referred to a specialist stalking service"),
    ("helpline_given", "Helpline details given"),
    ("ptsd_assessment_arranged", "PTSD assessment arranged or referred"),
    ("safeguarding_referral", "Safeguarding referral"),
    ("police_contacted", "Police contacted"),
    ("marac_referral", "MARAC referral"),
    ("patient_declined", "Patient declined support"),
    ("follow_up_booked", "Follow-up booked"),
)


def outcome_figures(scope) -> dict:
    """Return how often each outcome was recorded, and referrals by service type."""
    outcomes = Outcome.objects.filter(screening__in=_screenings(scope))
    totals = outcomes.aggregate(
        recorded=Count("pk"),
        **{name: Count("pk", filter=Q(**{name: True})) for name, _ in OUTCOME_FIELDS},
    )
    by_type = dict(
        outcomes.filter(referred_specialist=True)
        .exclude(referred_service_type="")
        .values_list("referred_service_type")
        .annotate(n=Count("pk"))
        .order_by("referred_service_type")
    )
    return {"totals": totals, "by_type": by_type}


def monthly(scope) -> list[tuple[datetime.date, int, int]]:
    """Return (month, module completions, screenings) for each month with either."""
    users = clinicians(scope)
    completions = (
        ModuleCompletion.objects.filter(user__in=users)
        .filter(_period(scope, "completed_at"))
        .annotate(month=TruncMonth("completed_at"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    screenings = (
        _screenings(scope)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    months: dict[datetime.date, list[int]] = {}
    for row in completions:
        months.setdefault(month_start(row["month"]), [0, 0])[0] = row["n"]
    for row in screenings:
        months.setdefault(month_start(row["month"]), [0, 0])[1] = row["n"]
    return [(m, c, s) for m, (c, s) in sorted(months.items())]
