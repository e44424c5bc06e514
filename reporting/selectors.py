"""Report figures, each computed by the database in a fixed number of queries.

Every function takes a Scope (reporting/scope.py) and returns raw counts; disclosure control
and presentation happen in reporting/presenters.py.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DateField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, Lower, TruncMonth
from django.utils import timezone

from accounts.models import PracticeMove, ProfessionalRole, Role, User
from referrals.models import ServiceType
from referrals.selectors import current_icbs_with_stalking_services
from reporting import disclosure as dc
from reporting.models import ConfidenceStat, ModuleStat, QuestionStat
from reporting.summaries import month_start
from screening.models import Screening
from training.models import (
    Attempt,
    AttemptAnswer,
    ModuleCompletion,
    SurveyAnswer,
    SurveyResponse,
)
from training.rules import PRACTICE_TEAM_ROLES
from training.survey import AGREE_VALUES, STATEMENTS

logger = logging.getLogger(__name__)

FULLY_TRAINED_SHARE = 0.75
MIN_ANSWERS = 8  # a question is listed among the hardest once answered this often


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
    """Return the registered clinicians in scope: active clinicians at a practice in the area.

    Someone whose move to another ICB waits for that ICB's admin counts in no area until it
    is decided (accounts.models.PracticeMove).
    """
    moving = PracticeMove.objects.pending().filter(user=OuterRef("pk"))
    qs = User.objects.filter(
        ~Exists(moving), role=Role.CLINICIAN, is_active=True, practice__isnull=False
    )
    if scope.icb:
        qs = qs.filter(practice__icb=scope.icb)
    if scope.practice:
        qs = qs.filter(practice=scope.practice)
    if scope.professional_role:
        qs = qs.filter(professional_role=scope.professional_role)
    if scope.end:
        qs = qs.filter(date_joined__lt=_day_start(scope.end + datetime.timedelta(days=1)))
    return qs


@dataclass(frozen=True)
class ProgressRow:
    key: str
    label: str
    registered: int
    started: int
    completed: int


def _progress_cells(scope, area_field: str, label_field: str) -> list[dict]:
    """Return registered/started/completed per (area, professional role) in one query.

    Reads each learner's start and finish from the LearnerProgress summary: "started" means
    began the course in the period, "completed" finished its last active module in the period.
    """
    started = Q(learner_progress__started_at__isnull=False) & _period(
        scope, "learner_progress__started_at"
    )
    completed = Q(learner_progress__completed_at__isnull=False) & _period(
        scope, "learner_progress__completed_at"
    )
    return list(
        clinicians(scope)
        .values(area_field, label_field, "professional_role")
        .annotate(
            registered=Count("pk"),
            started=Count("pk", filter=started),
            completed=Count("pk", filter=completed),
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
    by_area: list[ProgressRow]  # clinical staff only: "fully trained practice" is about them
    by_role: list[ProgressRow]  # every role, the practice team as a row of its own
    team: ProgressRow  # the practice team (reception, administration) in all

    @property
    def clinical_roles(self) -> list[ProgressRow]:
        return [r for r in self.by_role if r.key not in PRACTICE_TEAM_ROLES]


def progress(scope) -> Progress:
    """Return training progress by practice (ICB view) or ICB (England), and by role.

    One aggregate query over the clinicians and their LearnerProgress rows.
    """
    if scope.icb:
        area_field, label_field = "practice_id", "practice__name"
    else:
        area_field, label_field = "practice__icb_id", "practice__icb__name"
    cells = _progress_cells(scope, area_field, label_field)
    labels = {cell[area_field]: cell[label_field] for cell in cells}
    clinical = [c for c in cells if c["professional_role"] not in PRACTICE_TEAM_ROLES]
    team = [c for c in cells if c["professional_role"] in PRACTICE_TEAM_ROLES]
    return Progress(
        # By name, then key: the same order as count_boards, so rows are protected alike.
        by_area=sorted(_roll_up(clinical, area_field, labels), key=lambda r: (r.label, r.key)),
        by_role=sorted(
            _roll_up(cells, "professional_role", dict(ProfessionalRole.choices)),
            key=lambda r: r.key,
        ),
        team=ProgressRow(
            key="practice_team",
            label="Practice team",
            registered=sum(c["registered"] for c in team),
            started=sum(c["started"] for c in team),
            completed=sum(c["completed"] for c in team),
        ),
    )


@dataclass(frozen=True)
class ModuleQuiz:
    title: str
    first_attempts: int
    first_passes: int


def _summary_cells(model, scope):
    """Return the summary cells (QuestionStat or ModuleStat) in scope; dates count whole months."""
    cells = model.objects.all()
    if scope.icb:
        cells = cells.filter(icb=scope.icb)
    if scope.professional_role:
        cells = cells.filter(professional_role=scope.professional_role)
    if scope.start:
        cells = cells.filter(month__gte=scope.start.replace(day=1))
    if scope.end:
        cells = cells.filter(month__lte=scope.end)
    return cells


def quiz_first_attempts(scope) -> list[ModuleQuiz]:
    """Return, per module, learners' first attempts and how many of them passed.

    Read from the ModuleStat summary (whole months); a single practice is counted directly.
    """
    if scope.practice:
        rows = (
            Attempt.objects.filter(is_first=True, user__in=clinicians(scope))
            .filter(_period(scope, "submitted_at"))
            .values("module__order", "module__title")
            .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        )
    else:
        rows = (
            _summary_cells(ModuleStat, scope)
            .values("module__order", "module__title")
            .annotate(n=Sum("first_attempts"), passed=Sum("first_passes"))
            .filter(n__gt=0)
        )
    return [
        ModuleQuiz(r["module__title"], r["n"], r["passed"]) for r in rows.order_by("module__order")
    ]


@dataclass(frozen=True)
class HardQuestion:
    module: str
    key: str
    text: str
    answered: int
    wrong: int


QUESTION_FIELDS = ("question_id", "question__key", "question__text", "question__module__title")


def hardest_questions(scope, limit: int = 10) -> list[HardQuestion]:
    """Return the questions most often answered wrongly, to improve the content.

    Read from the per-question summary (reporting.models.QuestionStat), whose dates are whole
    months; a single practice is small enough to count from the answers themselves.
    """
    if scope.practice:
        rows = (
            AttemptAnswer.objects.filter(attempt__user__in=clinicians(scope))
            .filter(_period(scope, "attempt__submitted_at"))
            .values(*QUESTION_FIELDS)
            .annotate(n=Count("pk"), wrong=Count("pk", filter=Q(is_correct=False)))
        )
    else:
        rows = (
            _summary_cells(QuestionStat, scope)
            .values(*QUESTION_FIELDS)
            .annotate(n=Sum("answered"), wrong=Sum("wrong"))
        )
    top = rows.filter(n__gte=MIN_ANSWERS).order_by("-wrong", "question_id")[:limit]
    return [
        HardQuestion(
            r["question__module__title"],
            r["question__key"],
            r["question__text"],
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
    """Return agreement before and after, for people who answered both surveys of one version.

    Read from the ConfidenceStat summary, dated by the before-survey's month; a single practice
    is counted from the answers themselves.
    """
    if scope.practice:
        return _confidence_of_practice(scope)
    rows = {
        r["statement"]: r
        for r in _summary_cells(ConfidenceStat, scope)
        .values("statement")
        .annotate(
            befores=Sum("befores"),
            pairs=Sum("pairs"),
            agree_before=Sum("agree_before"),
            agree_after=Sum("agree_after"),
        )
        .order_by()
    }
    totals = rows.pop("", {"befores": 0, "pairs": 0})
    agreeing = {}
    for key, row in rows.items():
        agreeing[("before", key)] = row["agree_before"]
        agreeing[("after", key)] = row["agree_after"]
    return _confidence(totals["befores"], totals["pairs"], agreeing)


def _confidence(with_before: int, pairs: int, agreeing: dict[tuple[str, str], int]) -> Confidence:
    """Return the figures, given how many agreed per (phase, statement) among the pairs."""
    return Confidence(
        with_before=with_before,
        pairs=pairs,
        statements=[
            StatementChange(
                key, text, agreeing.get(("before", key), 0), agreeing.get(("after", key), 0)
            )
            for key, text in STATEMENTS
        ],
    )


def _confidence_of_practice(scope) -> Confidence:
    users = clinicians(scope)
    befores = SurveyResponse.objects.filter(user__in=users, phase="before").filter(
        _period(scope, "submitted_at")
    )
    after_for_same = SurveyResponse.objects.filter(
        user=OuterRef("user"), phase="after", content_version=OuterRef("content_version")
    )
    counts = befores.aggregate(
        with_before=Count("pk"), pairs=Count("pk", filter=Exists(after_for_same))
    )
    paired = befores.filter(Exists(after_for_same))
    before_of_pair = paired.filter(
        user=OuterRef("response__user"), content_version=OuterRef("response__content_version")
    )
    agree = (
        SurveyAnswer.objects.filter(Exists(before_of_pair), value__in=AGREE_VALUES)
        .values("response__phase", "statement")
        .annotate(n=Count("pk"))
        .order_by()
    )
    agreeing = {(r["response__phase"], r["statement"]): r["n"] for r in agree}
    return _confidence(counts["with_before"], counts["pairs"], agreeing)


def _screenings(scope):
    qs = Screening.objects.filter(_period(scope, "created_at"))
    if scope.icb:
        qs = qs.filter(icb=scope.icb)
    if scope.practice:
        qs = qs.filter(practice=scope.practice)
    if scope.professional_role:
        qs = qs.filter(clinician__professional_role=scope.professional_role)
    return qs


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


def screening_figures(scope) -> dict:
    """Return screening counts: levels, concern, flags and what was done (one query).

    The outcome counts are under "outcomes", keyed by the names in OUTCOME_FIELDS, and
    specialist referrals by the chosen service's type under "by_type".
    """
    figures = _screenings(scope).aggregate(
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
        unsafe_home=Count("pk", filter=Q(flag_unsafe_home=True)),
        safeguarding=Count("pk", filter=Q(flag_safeguarding=True)),
        urgent_mental_health=Count("pk", filter=Q(flag_urgent_mental_health=True)),
        domestic_abuse=Count("pk", filter=Q(flag_domestic_abuse=True)),
        record_safety=Count("pk", filter=Q(flag_record_safety=True)),
        **{
            f"outcome_{name}": Count("pk", filter=Q(**{f"outcome__{name}": True}))
            for name, _ in OUTCOME_FIELDS
        },
        **{
            f"type_{kind}": Count(
                "pk",
                filter=Q(outcome__referred_specialist=True, outcome__referred_service_type=kind),
            )
            for kind in ServiceType.values
        },
    )
    figures["outcomes"] = {name: figures.pop(f"outcome_{name}") for name, _ in OUTCOME_FIELDS}
    by_type = {kind: figures.pop(f"type_{kind}") for kind in ServiceType.values}
    figures["by_type"] = {kind: n for kind, n in sorted(by_type.items()) if n}
    return figures


def monthly(scope) -> list[tuple[datetime.date, int, int, int]]:
    """Return (month, module completions, screenings, PTSD assessments arranged) per month.

    Every month from the first with any figure (or the period's start) to the period's end (or
    this month) is listed, zeros included, so that a chart of them has no hidden gaps. One query.
    Completions come from the ModuleStat summary (whole months); a single practice is counted
    directly.
    """
    if scope.practice:
        completions = (
            ModuleCompletion.objects.filter(user__in=clinicians(scope))
            .filter(_period(scope, "completed_at"))
            .annotate(month=Cast(TruncMonth("completed_at"), DateField()))
            .values("month")
            .annotate(n=Count("pk"))
        )
    else:
        completions = (
            _summary_cells(ModuleStat, scope)
            .values("month")
            .annotate(n=Sum("completions"))
            .filter(n__gt=0)
        )
    # Every part gives the month as a date, so the union's column has one type.
    screenings = _screenings(scope).annotate(month=Cast(TruncMonth("created_at"), DateField()))
    arranged = screenings.filter(flag_ptsd_assessment=True, outcome__ptsd_assessment_arranged=True)
    rows = (
        completions.annotate(kind=Value(0))
        .order_by()
        .union(
            screenings.values("month").annotate(n=Count("pk"), kind=Value(1)).order_by(),
            arranged.values("month").annotate(n=Count("pk"), kind=Value(2)).order_by(),
            all=True,
        )
    )
    months: dict[datetime.date, list[int]] = {}
    for row in rows:
        months.setdefault(month_start(row["month"]), [0, 0, 0])[row["kind"]] = row["n"]
    if not months and not scope.start:
        return []
    first = scope.start.replace(day=1) if scope.start else min(months)
    last = month_start(min(scope.end, timezone.localdate()) if scope.end else timezone.localdate())
    series = []
    month = first
    while month <= last:
        series.append((month, *months.get(month, [0, 0, 0])))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return series


def fully_trained(rates: list[dc.Rate]) -> tuple[int, int]:
    """Return (practices fully trained, practices too few to place) for one area's practices.

    `rates` are each practice's share of clinical staff completed as its row in the table by
    practice shows it (rounded, protected figures: dc.row_rates). A practice is fully trained
    when that share is 75% or more. Deciding from true counts would let a reader take the
    table's practices away from the headline and learn about a practice whose figures are
    hidden.
    """
    shown = [dc.shown_percent(r) for r in rates]
    trained = sum(1 for pct in shown if pct is not None and pct >= 100 * FULLY_TRAINED_SHARE)
    too_few = sum(1 for r in rates if r.value is None and r.display != "no data")
    return trained, too_few


@dataclass(frozen=True)
class BoardFigures:
    """One ICB's figures for the England view (raw counts, except fully trained practices,
    which are decided from the shown figures: see `fully_trained`)."""

    ods_code: str
    name: str
    practices: int
    fully_trained_practices: int
    registered: int
    completed: int
    ptsd_recommended: int
    ptsd_arranged: int
    has_stalking_service: bool
    practices_too_few: int = 0  # practices whose share completed is too small to show


#: Bump when BoardFigures or how it is counted changes, so no cached list of the old shape is read.
BOARDS_CACHE_VERSION = 3


def boards(scope) -> list[BoardFigures]:
    """Return every current ICB's training, PTSD and directory figures for the period.

    The figures compare whole boards, so they are the same for every ICB admin and site admin
    who asks for the period: they are kept in the cache for REPORTING_BOARDS_CACHE_SECONDS
    (5 minutes by default) instead of being counted again for each. Counting them reads every
    clinician and every screening in England: about 260 ms of an ICB dashboard's 580 ms on the
    national data set (docs/benchmarks.md).
    """
    return _boards_and_england(scope)[0]


def england_board(scope) -> BoardFigures:
    """Return England's figures for the period, counted with `boards` (and cached with them).

    Not the sum of today's boards: screenings stay with the board they were made under, and
    boards that closed on 31 March 2026 still hold theirs.
    """
    return _boards_and_england(scope)[1]


def _boards_and_england(scope) -> tuple[list[BoardFigures], BoardFigures]:
    key = f"reporting:boards:v{BOARDS_CACHE_VERSION}:{scope.start}:{scope.end}"
    try:
        counted = cache.get(key)
    except Exception:  # a cache that does not answer must not take the dashboard with it
        logger.exception("Reporting: the cache did not answer; counting England by ICB")
        counted = None
    if counted is None:
        counted = count_boards(scope)
        try:
            cache.set(key, counted, settings.REPORTING_BOARDS_CACHE_SECONDS)
        except Exception:
            logger.exception("Reporting: England by ICB could not be cached")
    return counted


def count_boards(scope) -> tuple[list[BoardFigures], BoardFigures]:
    """Count every current ICB's figures for the period, and England's (see `boards`).

    Three queries, whatever the number of practices: clinical staff by practice (to count fully
    trained practices), screenings by ICB, and local specialist stalking services by ICB. The
    practice and role filters do not apply: this compares whole boards.
    """
    whole = type(scope)(icb=None, start=scope.start, end=scope.end)
    completed = Q(learner_progress__completed_at__isnull=False) & _period(
        whole, "learner_progress__completed_at"
    )
    by_practice = (
        clinicians(whole)
        .exclude(professional_role__in=PRACTICE_TEAM_ROLES)
        .values("practice_id", "practice__icb_id", "practice__name")
        .annotate(registered=Count("pk"), completed=Count("pk", filter=completed))
        .order_by()
    )
    rows_by_icb: dict[str, list[ProgressRow]] = {}
    for row in by_practice:
        rows_by_icb.setdefault(row["practice__icb_id"], []).append(
            ProgressRow(
                key=str(row["practice_id"]),
                label=row["practice__name"],
                registered=row["registered"],
                started=0,
                completed=row["completed"],
            )
        )
    staff: dict[str, list[int]] = {}
    for icb_id, rows in rows_by_icb.items():
        rows.sort(key=lambda r: (r.label, r.key))  # the order of each ICB's table by practice
        trained, too_few = fully_trained(
            dc.row_rates([r.completed for r in rows], [r.registered for r in rows])
        )
        staff[icb_id] = [
            len(rows),
            trained,
            sum(r.registered for r in rows),
            sum(r.completed for r in rows),
            too_few,
        ]
    ptsd = {
        row["icb_id"]: row
        for row in _screenings(whole)
        .filter(flag_ptsd_assessment=True)
        .values("icb_id")
        .annotate(
            n=Count("pk"), arranged=Count("pk", filter=Q(outcome__ptsd_assessment_arranged=True))
        )
        .order_by()
    }
    current = current_icbs_with_stalking_services()
    figures = []
    for icb in current.order_by(Lower("name")):
        practices, trained, registered, done, too_few = staff.get(icb.pk, [0, 0, 0, 0, 0])
        screened = ptsd.get(icb.pk, {"n": 0, "arranged": 0})
        figures.append(
            BoardFigures(
                ods_code=icb.pk,
                name=icb.short_name,
                practices=practices,
                fully_trained_practices=trained,
                registered=registered,
                completed=done,
                ptsd_recommended=screened["n"],
                ptsd_arranged=screened["arranged"],
                has_stalking_service=icb.stalking_services > 0,
                practices_too_few=too_few,
            )
        )
    england = BoardFigures(
        ods_code="",
        name="England",
        practices=sum(t[0] for t in staff.values()),
        fully_trained_practices=sum(t[1] for t in staff.values()),
        registered=sum(t[2] for t in staff.values()),
        completed=sum(t[3] for t in staff.values()),
        ptsd_recommended=sum(row["n"] for row in ptsd.values()),
        ptsd_arranged=sum(row["arranged"] for row in ptsd.values()),
        has_stalking_service=any(b.has_stalking_service for b in figures),
        practices_too_few=sum(t[4] for t in staff.values()),
    )
    return figures, england
