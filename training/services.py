"""Writes for training: loading content, recording progress, scoring, surveys, certificates."""

import random

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from training import rules, signals
from training.content import CourseSpec
from training.models import (
    Attempt,
    AttemptAnswer,
    Certificate,
    Module,
    ModuleCompletion,
    Option,
    Page,
    PageView,
    Question,
    ReflectiveNote,
    SurveyAnswer,
    SurveyPhase,
    SurveyResponse,
    refresh_by_for,
)
from training.selectors import modules_for


@transaction.atomic
def content_load(*, course: CourseSpec) -> dict[str, int]:
    """Create or update modules, pages and questions from the content files.

    Questions dropped from a bank are retired, not deleted, so past attempts still show them.
    """
    counts = {"modules": 0, "pages": 0, "questions": 0}
    active_before = set(Module.objects.filter(is_active=True).values_list("pk", flat=True))
    slugs = [m.slug for m in course.modules]
    Module.objects.exclude(slug__in=slugs).update(is_active=False)
    for spec in course.modules:
        module, _ = Module.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "title": spec.title,
                "summary": spec.summary,
                "order": spec.order,
                "cpd_minutes": spec.cpd_minutes,
                "pass_mark": spec.pass_mark,
                "questions_per_attempt": spec.questions_per_attempt,
                "content_version": course.version,
                "is_active": True,
                "for_clinicians": rules.CLINICAL in spec.audiences,
                "for_practice_team": rules.PRACTICE_TEAM in spec.audiences,
            },
        )
        counts["modules"] += 1
        for page in spec.pages:
            Page.objects.update_or_create(
                module=module,
                number=page.number,
                defaults={"title": page.title, "body": page.body},
            )
            counts["pages"] += 1
        module.pages.filter(number__gt=len(spec.pages)).delete()
        keys = [q.key for q in spec.questions]
        module.questions.exclude(key__in=keys).update(is_active=False)
        for qspec in spec.questions:
            question, _ = Question.objects.update_or_create(
                module=module,
                key=qspec.key,
                defaults={
                    "kind": qspec.kind,
                    "is_scenario": qspec.scenario,
                    "text": qspec.text,
                    "is_active": True,
                },
            )
            for ospec in qspec.options:
                Option.objects.update_or_create(
                    question=question,
                    key=ospec.key,
                    defaults={
                        "text": ospec.text,
                        "is_correct": ospec.correct,
                        "explanation": ospec.explanation,
                    },
                )
            question.options.exclude(key__in=[o.key for o in qspec.options]).delete()
            counts["questions"] += 1
    if set(Module.objects.filter(is_active=True).values_list("pk", flat=True)) != active_before:
        # Who has finished the course depends on which modules are in it.
        signals.course_changed.send(sender=Module)
    return counts


def page_view_record(*, user, page: Page) -> None:
    """Note that the learner has read the page (once; later visits change nothing)."""
    view, created = PageView.objects.get_or_create(user=user, page=page)
    if created:
        signals.page_first_viewed.send(sender=PageView, user=user, page_view=view)


def attempt_start(*, user, module: Module, rng: random.Random | None = None) -> Attempt:
    """Return the learner's open attempt at the module's quiz, or start one."""
    open_attempt = Attempt.objects.filter(
        user=user, module=module, submitted_at__isnull=True
    ).first()
    if open_attempt:
        return open_attempt
    bank: dict[int, list[int]] = {}
    for qid, oid in (
        Option.objects.filter(question__module=module, question__is_active=True)
        .values_list("question_id", "id")
        .order_by("question_id", "id")
    ):
        bank.setdefault(qid, []).append(oid)
    presented = rules.draw_questions(
        bank, module.questions_per_attempt, rng or random.SystemRandom()
    )
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user,
                module=module,
                content_version=module.content_version,
                presented=presented,
                question_count=len(presented),
            )
            signals.attempt_started.send(sender=Attempt, attempt=attempt)
            return attempt
    except IntegrityError:
        # Two tabs started at once: the database let only one open attempt through.
        return Attempt.objects.get(user=user, module=module, submitted_at__isnull=True)


@transaction.atomic
def attempt_submit(*, attempt: Attempt, selections: dict[int, frozenset[int]]) -> Attempt:
    """Score and close the attempt; complete the module if it passed.

    Submitting an attempt that is already closed changes nothing and returns it as it is: the
    conditional update below lets only one submission through, and the answers table refuses
    a second set.
    """
    presented = {item["question"]: set(item["options"]) for item in attempt.presented}
    # Ignore any option that was not shown for that question (tampered or stale forms).
    clean = {
        qid: frozenset(oid for oid in selections.get(qid, ()) if oid in presented[qid])
        for qid in presented
    }
    key: dict[int, set[int]] = {qid: set() for qid in presented}
    for qid, oid in Option.objects.filter(question_id__in=presented, is_correct=True).values_list(
        "question_id", "id"
    ):
        key[qid].add(oid)
    module = attempt.module
    score = rules.score_attempt(
        {qid: frozenset(ids) for qid, ids in key.items()}, clean, module.pass_mark
    )
    now = timezone.now()
    is_first = not Attempt.objects.filter(
        user_id=attempt.user_id, module=module, submitted_at__isnull=False
    ).exists()
    result = {
        "submitted_at": now,
        "correct_count": score.correct_count,
        "score_percent": score.percent,
        "passed": score.passed,
        "is_first": is_first,
    }
    updated = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(**result)
    if not updated:
        return Attempt.objects.get(pk=attempt.pk)
    for name, value in result.items():  # what the update wrote, without reading it back
        setattr(attempt, name, value)
    answers = AttemptAnswer.objects.bulk_create(
        AttemptAnswer(
            attempt=attempt,
            question_id=qid,
            selected=sorted(clean[qid]),
            is_correct=qid in score.correct_questions,
        )
        for qid in presented
    )
    signals.attempt_submitted.send(sender=Attempt, attempt=attempt, answers=answers)
    if score.passed:
        _complete_module(user=attempt.user, module=module, attempt=attempt, when=now)
    return attempt


def _complete_module(*, user, module: Module, attempt: Attempt, when) -> None:
    if ModuleCompletion.objects.filter(user=user, module=module).exists():
        return
    completion = ModuleCompletion.objects.create(
        user=user,
        module=module,
        attempt=attempt,
        content_version=attempt.content_version,
        completed_at=when,
    )
    signals.module_completed.send(sender=ModuleCompletion, completion=completion)


def note_save(*, user, module: Module, text: str) -> None:
    """Keep the learner's private reflective note on a module; an empty note is removed."""
    if text.strip():
        ReflectiveNote.objects.update_or_create(
            user=user, module=module, defaults={"text": text.strip()}
        )
    else:
        ReflectiveNote.objects.filter(user=user, module=module).delete()


@transaction.atomic
def survey_submit(*, user, phase: str, version: str, answers: dict[str, int]) -> SurveyResponse:
    """Record the learner's survey once; a second submission returns the first unchanged."""
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                user=user, phase=phase, content_version=version, submitted_at=timezone.now()
            )
    except IntegrityError:
        return SurveyResponse.objects.get(user=user, phase=phase, content_version=version)
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, statement=key, value=value)
        for key, value in answers.items()
    )
    signals.survey_submitted.send(sender=SurveyResponse, response=response)
    if phase == SurveyPhase.AFTER:
        certificate_issue_if_complete(user=user, version=version)
    return response


def certificate_issue_if_complete(*, user, version: str) -> Certificate | None:
    """Issue the learner's certificate when every module is completed and the after-survey is in.

    The record is written first and never changed; PDFs are rendered from it later.
    """
    existing = Certificate.objects.filter(user=user, content_version=version).first()
    if existing:
        return existing
    # Meta.ordering is not applied to aggregate queries: order explicitly.
    modules = (
        modules_for(user)
        .annotate(done=Count("completions", filter=Q(completions__user=user)))
        .order_by("order")
    )
    if not modules or any(m.done == 0 for m in modules):
        return None
    if not SurveyResponse.objects.filter(
        user=user, phase=SurveyPhase.AFTER, content_version=version
    ).exists():
        return None
    completions = {
        c.module_id: c for c in ModuleCompletion.objects.filter(user=user, module__in=modules)
    }
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                user=user,
                learner_name=user.full_name,
                professional_role=user.get_professional_role_display(),
                registration_number=user.registration_number,
                content_version=version,
                modules=[
                    {
                        "slug": m.slug,
                        "title": m.title,
                        "content_version": completions[m.pk].content_version,
                        "completed_on": timezone.localdate(
                            completions[m.pk].completed_at
                        ).isoformat(),
                        "cpd_minutes": m.cpd_minutes,
                    }
                    for m in modules
                ],
                cpd_minutes=sum(m.cpd_minutes for m in modules),
                issued_at=timezone.now(),
                refresh_by=refresh_by_for(timezone.localdate(), settings.TRAINING_REFRESH_YEARS),
            )
    except IntegrityError:
        return Certificate.objects.get(user=user, content_version=version)
