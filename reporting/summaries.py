"""Keep the reporting summary tables (reporting/models.py) in step with the data they summarise.

The `*_add`/`learner_*` functions run inside the learner's request, a few queries each, called
by the receivers at the end of this module when training announces what happened
(training/signals.py); the `*_rebuild` functions recount everything from the raw data
(`manage.py refresh_report_summaries`).
"""

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    Min,
    Model,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Role
from reporting.models import ConfidenceStat, LearnerProgress, ModuleStat, QuestionStat
from training.models import (
    Attempt,
    AttemptAnswer,
    Module,
    ModuleCompletion,
    PageView,
    SurveyAnswer,
    SurveyPhase,
    SurveyResponse,
)
from training.rules import PATHWAYS, PRACTICE_TEAM, PRACTICE_TEAM_ROLES, pathway_field, route_field
from training.survey import AGREE_VALUES

BATCH = 5000


# Only practice staff's training counts in reports (clinicians and the practice team, whose
# user role is "clinician"); ICB and site admins may take the training to know what they
# report on, and never count.
COUNTED_ROLE = Role.CLINICIAN


def counts_in_reports(user) -> bool:
    """Return whether this learner's training is counted in any report."""
    return user.role == COUNTED_ROLE


def month_start(value) -> datetime.date:
    """Return the first day of the month a datetime (or a TruncMonth result) falls in, locally."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def _cell(user, when) -> dict:
    """Return the ICB, role and month a learner's event is counted under."""
    practice = user.practice
    return {
        "icb_id": practice.icb_id if practice else None,
        "professional_role": user.professional_role,
        "month": month_start(when),
    }


def _cell_fields(via: str = "") -> tuple[str, str]:
    """Return the lookups of a learner's ICB and role, the learner reached through `via`."""
    return (f"{via}user__practice__icb_id", f"{via}user__professional_role")


def _cell_of(row: dict, via: str = "") -> dict:
    """Return the cell a grouped row counts under, as `_cell` does for one event."""
    icb, role = _cell_fields(via)
    return {
        "icb_id": row[icb],
        "professional_role": row[role] or "",
        "month": month_start(row["month"]),
    }


def _add(model: type[Model], key: dict, **increments: int) -> None:
    """Add to one summary cell, creating it the first time (one query once the cell exists)."""
    cell = model.objects.filter(**key)
    changes = {name: F(name) + n for name, n in increments.items()}
    if cell.update(**changes):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **increments)
    except IntegrityError:
        # A concurrent request created the cell first; the unique constraint kept one.
        cell.update(**changes)


def _bulk_insert(model: type[Model], rows) -> int:
    batch, total = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return total + len(batch)


def question_stats_add(*, attempt, answers) -> None:
    """Add one submitted attempt's answers to the per-question counts (four queries)."""
    key = _cell(attempt.user, attempt.submitted_at)
    cells = QuestionStat.objects.filter(**key)
    question_ids = {answer.question_id for answer in answers}
    existing = set(cells.filter(question_id__in=question_ids).values_list("question_id", flat=True))
    QuestionStat.objects.bulk_create(
        [QuestionStat(question_id=qid, **key) for qid in question_ids - existing],
        ignore_conflicts=True,
    )
    right = [a.question_id for a in answers if a.is_correct]
    wrong = [a.question_id for a in answers if not a.is_correct]
    cells.filter(question_id__in=right).update(answered=F("answered") + 1)
    cells.filter(question_id__in=wrong).update(answered=F("answered") + 1, wrong=F("wrong") + 1)


def module_stats_first_attempt(*, attempt) -> None:
    """Count a learner's first submitted attempt at a module's quiz, and whether it passed."""
    _add(
        ModuleStat,
        {"module_id": attempt.module_id, **_cell(attempt.user, attempt.submitted_at)},
        first_attempts=1,
        first_passes=int(bool(attempt.passed)),
    )


def module_stats_completion(*, completion) -> None:
    """Count a module completion in the month it happened."""
    _add(
        ModuleStat,
        {"module_id": completion.module_id, **_cell(completion.user, completion.completed_at)},
        completions=1,
    )


def confidence_stats_add(*, response) -> None:
    """Count a submitted survey: a before-survey, and the pair once both phases are in."""
    user = response.user
    if response.phase == SurveyPhase.BEFORE:
        _add(ConfidenceStat, {**_cell(user, response.submitted_at), "statement": ""}, befores=1)
    pair = {
        r.phase: r
        for r in SurveyResponse.objects.filter(user=user, content_version=response.content_version)
    }
    if set(pair) != {SurveyPhase.BEFORE, SurveyPhase.AFTER}:
        return
    agreed = {SurveyPhase.BEFORE: set(), SurveyPhase.AFTER: set()}
    for phase, statement in SurveyAnswer.objects.filter(
        response__in=pair.values(), value__in=AGREE_VALUES
    ).values_list("response__phase", "statement"):
        agreed[phase].add(statement)
    key = _cell(user, pair[SurveyPhase.BEFORE].submitted_at)
    statements = ["", *sorted(agreed[SurveyPhase.BEFORE] | agreed[SurveyPhase.AFTER])]
    cells = ConfidenceStat.objects.filter(**key, statement__in=statements)
    existing = set(cells.values_list("statement", flat=True))
    ConfidenceStat.objects.bulk_create(
        [ConfidenceStat(statement=st, **key) for st in statements if st not in existing],
        ignore_conflicts=True,
    )

    def one_if(condition: Q):
        return Case(When(condition, then=Value(1)), default=Value(0))

    cells.update(
        pairs=F("pairs") + one_if(Q(statement="")),
        agree_before=F("agree_before") + one_if(Q(statement__in=agreed[SurveyPhase.BEFORE])),
        agree_after=F("agree_after") + one_if(Q(statement__in=agreed[SurveyPhase.AFTER])),
    )


def learner_started(*, user, when) -> None:
    """Note when the learner first did anything in the course (one query; later calls no-ops)."""
    LearnerProgress.objects.bulk_create(
        [LearnerProgress(user=user, started_at=when)], ignore_conflicts=True
    )


def learner_completion_check(*, user) -> None:
    """Set when the learner finished the course, once every active module is complete."""
    field = route_field(user.professional_role)
    total = Module.objects.filter(is_active=True, **{field: True}).count()
    mine = ModuleCompletion.objects.filter(
        user=user, module__is_active=True, **{f"module__{field}": True}
    ).aggregate(done=Count("module_id", distinct=True), last=Max("completed_at"))
    finished = mine["last"] if total and mine["done"] >= total else None
    learner_started(user=user, when=mine["last"] or timezone.now())
    LearnerProgress.objects.filter(user=user).update(completed_at=finished)


@transaction.atomic
def question_stats_rebuild() -> int:
    """Recount every question's answers from scratch; return the number of summary rows."""
    QuestionStat.objects.all().delete()
    rows = (
        AttemptAnswer.objects.filter(attempt__user__role=COUNTED_ROLE)
        .annotate(month=TruncMonth("attempt__submitted_at"))
        .values("question_id", *_cell_fields("attempt__"), "month")
        .annotate(n=Count("pk"), wrong=Count("pk", filter=Q(is_correct=False)))
        .order_by()
    )
    return _bulk_insert(
        QuestionStat,
        (
            QuestionStat(
                question_id=row["question_id"],
                answered=row["n"],
                wrong=row["wrong"],
                **_cell_of(row, "attempt__"),
            )
            for row in rows.iterator(chunk_size=BATCH)
        ),
    )


@transaction.atomic
def module_stats_rebuild() -> int:
    """Recount first attempts, first passes and completions per module cell from scratch."""
    ModuleStat.objects.all().delete()
    cells: dict[tuple, dict[str, int]] = defaultdict(
        lambda: {"first_attempts": 0, "first_passes": 0, "completions": 0}
    )
    firsts = (
        Attempt.objects.filter(is_first=True, submitted_at__isnull=False, user__role=COUNTED_ROLE)
        .annotate(month=TruncMonth("submitted_at"))
        .values("module_id", *_cell_fields(), "month")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    for row in firsts:
        cell = cells[(row["module_id"], *_cell_of(row).items())]
        cell["first_attempts"] += row["n"]
        cell["first_passes"] += row["passed"]
    completions = (
        ModuleCompletion.objects.filter(user__role=COUNTED_ROLE)
        .annotate(month=TruncMonth("completed_at"))
        .values("module_id", *_cell_fields(), "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in completions:
        cells[(row["module_id"], *_cell_of(row).items())]["completions"] += row["n"]
    return _bulk_insert(
        ModuleStat,
        (
            ModuleStat(module_id=module_id, **dict(cell), **counts)
            for (module_id, *cell), counts in cells.items()
        ),
    )


@transaction.atomic
def learner_progress_rebuild() -> int:
    """Recompute when each learner started and finished the course from the raw data."""
    LearnerProgress.objects.all().delete()
    started: dict[int, datetime.datetime] = {}
    for source in (
        PageView.objects.filter(user__role=COUNTED_ROLE)
        .values("user_id")
        .annotate(first=Min("first_viewed_at")),
        Attempt.objects.filter(user__role=COUNTED_ROLE)
        .values("user_id")
        .annotate(first=Min("started_at")),
    ):
        for row in source.order_by().iterator(chunk_size=BATCH):
            uid, first = row["user_id"], row["first"]
            if uid not in started or first < started[uid]:
                started[uid] = first
    # Each route (clinical, practice team) is finished when all of its modules are done.
    finished = {}
    for pathway in PATHWAYS:
        field = pathway_field(pathway)
        active = Module.objects.filter(is_active=True, **{field: True}).count()
        if not active:
            continue
        on_route = Q(user__professional_role__in=PRACTICE_TEAM_ROLES)
        if pathway != PRACTICE_TEAM:
            on_route = ~on_route
        finished.update(
            {
                row["user_id"]: row["last"]
                for row in ModuleCompletion.objects.filter(
                    on_route,
                    user__role=COUNTED_ROLE,
                    module__is_active=True,
                    **{f"module__{field}": True},
                )
                .values("user_id")
                .annotate(done=Count("module_id", distinct=True), last=Max("completed_at"))
                .filter(done__gte=active)
                .order_by()
                .iterator(chunk_size=BATCH)
            }
        )
    for uid, last in finished.items():
        started.setdefault(uid, last)
    return _bulk_insert(
        LearnerProgress,
        (
            LearnerProgress(user_id=uid, started_at=first, completed_at=finished.get(uid))
            for uid, first in started.items()
        ),
    )


@transaction.atomic
def confidence_stats_rebuild() -> int:
    """Recount before-surveys, pairs and agreement per ICB, role and month from scratch."""
    ConfidenceStat.objects.all().delete()
    befores = SurveyResponse.objects.filter(phase=SurveyPhase.BEFORE, user__role=COUNTED_ROLE)
    after_of_same = SurveyResponse.objects.filter(
        user=OuterRef("user"), phase=SurveyPhase.AFTER, content_version=OuterRef("content_version")
    )
    cells: dict[tuple, dict[str, int]] = defaultdict(
        lambda: {"befores": 0, "pairs": 0, "agree_before": 0, "agree_after": 0}
    )
    for row in (
        befores.annotate(month=TruncMonth("submitted_at"))
        .values(*_cell_fields(), "month")
        .annotate(n=Count("pk"), pairs=Count("pk", filter=Exists(after_of_same)))
        .order_by()
    ):
        cell = cells[(*_cell_of(row).items(), ("statement", ""))]
        cell["befores"] += row["n"]
        cell["pairs"] += row["pairs"]
    paired_before = befores.filter(Exists(after_of_same))
    before_at = paired_before.filter(
        user=OuterRef("response__user"), content_version=OuterRef("response__content_version")
    ).values("submitted_at")
    answers = SurveyAnswer.objects.filter(value__in=AGREE_VALUES).annotate(
        before_at=Subquery(before_at[:1])
    )
    for phase, field in ((SurveyPhase.BEFORE, "agree_before"), (SurveyPhase.AFTER, "agree_after")):
        for row in (
            answers.filter(response__phase=phase, before_at__isnull=False)
            .annotate(month=TruncMonth("before_at"))
            .values(*_cell_fields("response__"), "month", "statement")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            key = (*_cell_of(row, "response__").items(), ("statement", row["statement"]))
            cells[key][field] += row["n"]
    return _bulk_insert(
        ConfidenceStat,
        (ConfidenceStat(**dict(cell), **counts) for cell, counts in cells.items()),
    )


REBUILDS = {
    "learner progress": learner_progress_rebuild,
    "module statistics": module_stats_rebuild,
    "confidence statistics": confidence_stats_rebuild,
    "question statistics": question_stats_rebuild,
}


def rebuild_all() -> dict[str, int]:
    """Rebuild every summary table; return the rows written to each."""
    return {table: rebuild() for table, rebuild in REBUILDS.items()}


# Receivers of training's signals, connected by reporting/apps.py. They run synchronously in
# the sender's transaction, so a summary commits or rolls back with the row it counts.


def on_page_first_viewed(sender, *, user, page_view, **kwargs) -> None:
    """Note that a counted learner started the course, if this is their first step."""
    if counts_in_reports(user):
        learner_started(user=user, when=page_view.first_viewed_at)


def on_attempt_started(sender, *, attempt, **kwargs) -> None:
    """Note that a counted learner started the course, if this is their first step."""
    if counts_in_reports(attempt.user):
        learner_started(user=attempt.user, when=attempt.started_at)


def on_attempt_submitted(sender, *, attempt, answers, **kwargs) -> None:
    """Count a counted learner's answers, and their first attempt at the module."""
    if counts_in_reports(attempt.user):
        question_stats_add(attempt=attempt, answers=answers)
        if attempt.is_first:
            module_stats_first_attempt(attempt=attempt)


def on_module_completed(sender, *, completion, **kwargs) -> None:
    """Count a counted learner's module completion, and whether it finished the course."""
    if counts_in_reports(completion.user):
        module_stats_completion(completion=completion)
        learner_completion_check(user=completion.user)


def on_survey_submitted(sender, *, response, **kwargs) -> None:
    """Count a counted learner's survey."""
    if counts_in_reports(response.user):
        confidence_stats_add(response=response)


def on_course_changed(sender, **kwargs) -> None:
    """Recompute who has finished the course, now that the active modules have changed."""
    learner_progress_rebuild()
