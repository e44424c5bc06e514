"""Reads for training pages: each a fixed number of queries, whatever the data size."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from training import rules
from training.models import (
    Attempt,
    Certificate,
    Module,
    ModuleCompletion,
    Option,
    Page,
    PageView,
    Question,
    SurveyPhase,
    SurveyResponse,
)

NOT_STARTED, IN_PROGRESS, COMPLETED = "Not started", "In progress", "Completed"


def course_version() -> str:
    """Return the content version learners are working to (that of the active modules)."""
    return (
        Module.objects.filter(is_active=True).values_list("content_version", flat=True).first()
        or ""
    )


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    status: str
    completed_at: datetime | None
    pages_viewed: int
    page_count: int

    @property
    def completed_label(self) -> str:
        if not self.completed_at:
            return ""
        return f"Completed {timezone.localtime(self.completed_at):%-d %B %Y}"

    @property
    def all_pages_viewed(self) -> bool:
        return self.pages_viewed >= self.page_count


def modules_with_status(user) -> list[ModuleStatus]:
    """Return the active modules in order with the learner's status for each (one query)."""
    viewed = (
        PageView.objects.filter(user=user, page__module=OuterRef("pk"))
        .values("page__module")
        .annotate(n=Count("pk"))
        .values("n")
    )
    completed = ModuleCompletion.objects.filter(user=user, module=OuterRef("pk")).values(
        "completed_at"
    )[:1]
    attempted = Attempt.objects.filter(user=user, module=OuterRef("pk"))
    modules = (
        modules_for(user)
        .annotate(
            page_count=Count("pages", distinct=True),
            pages_viewed=Subquery(viewed),
            completed_at=Subquery(completed),
            attempted=Exists(attempted),
        )
        .order_by("order")
    )  # Meta.ordering is not applied to aggregate queries
    result = []
    for m in modules:
        if m.completed_at:
            status = COMPLETED
        elif m.pages_viewed or m.attempted:
            status = IN_PROGRESS
        else:
            status = NOT_STARTED
        result.append(
            ModuleStatus(
                module=m,
                status=status,
                completed_at=m.completed_at,
                pages_viewed=m.pages_viewed or 0,
                page_count=m.page_count,
            )
        )
    return result


def before_survey_done(user) -> bool:
    """Return whether the learner has answered the before-survey of the current course (one
    query: the course version is looked up inside it)."""
    version = Module.objects.filter(is_active=True).values("content_version")[:1]
    return SurveyResponse.objects.filter(
        user=user, phase=SurveyPhase.BEFORE, content_version=Subquery(version)
    ).exists()


def survey_phases_done(user, version: str) -> set[str]:
    return set(
        SurveyResponse.objects.filter(user=user, content_version=version).values_list(
            "phase", flat=True
        )
    )


@dataclass(frozen=True)
class TrainingOverview:
    version: str
    modules: list[ModuleStatus]
    before_done: bool
    after_done: bool
    certificate: Certificate | None

    @property
    def all_completed(self) -> bool:
        return bool(self.modules) and all(m.status == COMPLETED for m in self.modules)


def training_overview(user) -> TrainingOverview:
    """Return everything the "My training" task list shows (three queries; four for a learner
    with no modules on their route)."""
    modules = modules_with_status(user)
    # Every active module carries the course's version (content_load writes it to them all).
    version = modules[0].module.content_version if modules else course_version()
    phases = survey_phases_done(user, version)
    return TrainingOverview(
        version=version,
        modules=modules,
        before_done=SurveyPhase.BEFORE in phases,
        after_done=SurveyPhase.AFTER in phases,
        certificate=Certificate.objects.filter(user=user, content_version=version).first(),
    )


def modules_for(user):
    """Return the active modules on this user's route (clinical, or practice team)."""
    return Module.objects.filter(
        is_active=True, **{rules.route_field(user.professional_role): True}
    )


def module_for_learner(slug: str, user=None) -> Module:
    """Return an active module on the learner's route, or 404."""
    modules = modules_for(user) if user is not None else Module.objects.filter(is_active=True)
    return get_object_or_404(modules, slug=slug)


def module_pages(module: Module, *, with_body: bool = False) -> list[Page]:
    """Return the module's pages in order (one query); their text only when asked for."""
    pages = (
        module.pages.all() if with_body else module.pages.only("id", "number", "title", "module_id")
    )
    return list(pages.order_by("number"))


def unread_pages(user, module: Module) -> list[Page]:
    """Return the module's pages the learner has not opened yet."""
    return list(
        module.pages.exclude(Exists(PageView.objects.filter(user=user, page=OuterRef("pk"))))
    )


def attempt_for_owner(user, module: Module, pk) -> Attempt:
    """Return the learner's own attempt, or 404: another learner's attempt is not found."""
    try:
        pk = uuid.UUID(str(pk))
    except ValueError as exc:
        raise Http404("No such attempt") from exc
    return get_object_or_404(
        Attempt.objects.select_related("module", "user__practice"), pk=pk, user=user, module=module
    )


ATTEMPTS_SHOWN = 10


@dataclass(frozen=True)
class AttemptHistory:
    recent: list[Attempt]  # newest first, at most ATTEMPTS_SHOWN
    has_earlier: bool


def attempt_history(user, module: Module) -> AttemptHistory:
    """Return the learner's latest submitted attempts, and whether there are earlier ones.

    The page stays the same size however many times the quiz was taken (one query).
    """
    rows = list(
        Attempt.objects.filter(user=user, module=module, submitted_at__isnull=False)
        .select_related("module")
        .order_by("-submitted_at")[: ATTEMPTS_SHOWN + 1]
    )
    return AttemptHistory(rows[:ATTEMPTS_SHOWN], len(rows) > ATTEMPTS_SHOWN)


@dataclass(frozen=True)
class PresentedQuestion:
    question: Question
    options: list[Option]
    selected: frozenset[int]
    is_correct: bool | None


def attempt_questions(attempt: Attempt) -> list[PresentedQuestion]:
    """Return the attempt's questions and options in the order shown, with any answers given.

    Three queries (questions, options, answers) whatever the attempt's size.
    """
    ids = [item["question"] for item in attempt.presented]
    questions = Question.objects.in_bulk(ids)
    options = {o.pk: o for o in Option.objects.filter(question_id__in=ids)}
    answers = {}
    if attempt.submitted_at:
        answers = {a.question_id: a for a in attempt.answers.all()}
    result = []
    for item in attempt.presented:
        answer = answers.get(item["question"])
        result.append(
            PresentedQuestion(
                question=questions[item["question"]],
                options=[options[oid] for oid in item["options"] if oid in options],
                selected=frozenset(answer.selected) if answer else frozenset(),
                is_correct=answer.is_correct if answer else None,
            )
        )
    return result


def next_module(user, module: Module) -> Module | None:
    """Return the module on the learner's route that follows this one, if any (one query)."""
    return modules_for(user).filter(order__gt=module.order).order_by("order").first()
