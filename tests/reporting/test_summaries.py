import datetime

import pytest
from django.utils import timezone

from reporting.models import ConfidenceStat, LearnerProgress, ModuleStat, QuestionStat
from reporting.scope import Scope
from reporting.selectors import confidence, hardest_questions, progress, quiz_first_attempts
from reporting.summaries import question_stats_rebuild, rebuild_all
from tests.training.conftest import VERSION, make_module
from training.content import CourseSpec
from training.models import Option
from training.services import (
    attempt_start,
    attempt_submit,
    content_load,
    page_view_record,
    survey_submit,
)


def _stats():
    return sorted(
        QuestionStat.objects.values_list(
            "question_id", "icb_id", "professional_role", "month", "answered", "wrong"
        )
    )


def _all_summaries():
    return (
        _stats(),
        sorted(
            ModuleStat.objects.values_list(
                "module_id",
                "icb_id",
                "professional_role",
                "month",
                "first_attempts",
                "first_passes",
                "completions",
            )
        ),
        sorted(LearnerProgress.objects.values_list("user_id", "started_at", "completed_at")),
        sorted(
            ConfidenceStat.objects.values_list(
                "icb_id",
                "professional_role",
                "month",
                "statement",
                "befores",
                "pairs",
                "agree_before",
                "agree_after",
            )
        ),
    )


def _submit(user, module, *, correct: bool):
    attempt = attempt_start(user=user, module=module)
    selections = {}
    if correct:
        for item in attempt.presented:
            right = Option.objects.filter(question_id=item["question"], is_correct=True)
            selections[item["question"]] = frozenset(right.values_list("id", flat=True))
    return attempt_submit(attempt=attempt, selections=selections)


@pytest.mark.django_db
def test_counts_kept_on_submit_match_a_full_rebuild(
    clinician, other_icb_clinician, course, before_survey_done
):
    for user in (clinician, other_icb_clinician):
        for page in course[0].pages.all():
            page_view_record(user=user, page=page)
        for _ in range(3):
            attempt_submit(attempt=attempt_start(user=user, module=course[0]), selections={})
    on_write = _stats()
    assert sum(row[4] for row in on_write) == 2 * 3 * 8
    assert sum(row[5] for row in on_write) == 2 * 3 * 8  # nothing selected: all wrong
    question_stats_rebuild()
    assert _stats() == on_write

    west_yorkshire = hardest_questions(Scope(icb=clinician.practice.icb))
    assert sum(q.answered for q in west_yorkshire) <= 3 * 8
    assert all(q.wrong == q.answered for q in west_yorkshire)


@pytest.mark.django_db
def test_progress_and_module_counts_kept_on_write_match_a_full_rebuild(
    clinician, other_icb_clinician, course
):
    # Alice reads a page, fails alpha once, then passes both modules; Chloe only fails alpha.
    page_view_record(user=clinician, page=course[0].pages.first())
    assert _submit(clinician, course[0], correct=False).passed is False
    assert _submit(clinician, course[0], correct=True).passed is True
    assert _submit(clinician, course[1], correct=True).passed is True
    assert _submit(other_icb_clinician, course[0], correct=False).passed is False

    on_write = _all_summaries()
    rebuild_all()
    assert _all_summaries() == on_write

    alice = LearnerProgress.objects.get(user=clinician)
    assert alice.completed_at is not None and alice.started_at <= alice.completed_at
    assert LearnerProgress.objects.get(user=other_icb_clinician).completed_at is None
    alpha = ModuleStat.objects.get(module=course[0], icb=clinician.practice.icb)
    # Only the first attempt counts towards the first-attempt pass rate.
    assert (alpha.first_attempts, alpha.first_passes, alpha.completions) == (1, 0, 1)

    west_yorkshire = Scope(icb=clinician.practice.icb)
    cells = progress(west_yorkshire).by_area
    assert [(r.registered, r.started, r.completed) for r in cells] == [(1, 1, 1)]
    quiz = quiz_first_attempts(west_yorkshire)
    assert [(q.first_attempts, q.first_passes) for q in quiz] == [(1, 0), (1, 1)]


@pytest.mark.django_db
def test_started_and_completed_count_only_inside_the_dates(clinician, course):
    for module in course:
        _submit(clinician, module, correct=True)
    today = timezone.localdate()
    icb = clinician.practice.icb

    def counts(**dates):
        rows = progress(Scope(icb=icb, **dates)).by_area
        return [(r.registered, r.started, r.completed) for r in rows]

    assert counts(start=today, end=today) == [(1, 1, 1)]
    assert counts(start=today + datetime.timedelta(days=1)) == [(1, 0, 0)]


@pytest.mark.django_db
def test_adding_a_module_to_the_course_reopens_finished_learners(clinician, course):
    for module in course:
        _submit(clinician, module, correct=True)
    assert LearnerProgress.objects.get(user=clinician).completed_at is not None
    content_load(
        course=CourseSpec(
            version=VERSION,
            modules=(make_module("alpha", 1), make_module("beta", 2), make_module("gamma", 3)),
        )
    )
    assert LearnerProgress.objects.get(user=clinician).completed_at is None


def _survey(user, phase, agree: set[str]):
    keys = ["identify", "ask", "services", "refer", "ptsd", "colleague"]
    survey_submit(
        user=user,
        phase=phase,
        version=VERSION,
        answers={k: 4 if k in agree else 2 for k in keys},
    )


@pytest.mark.django_db
def test_confidence_counts_kept_on_write_match_a_full_rebuild(
    clinician, other_practice_clinician, other_icb_clinician, course
):
    # Alice and Bob (West Yorkshire) pair up; Chloe (elsewhere) answers only the first survey.
    _survey(clinician, "before", agree=set())
    _survey(clinician, "after", agree={"identify", "refer"})
    _survey(other_practice_clinician, "before", agree={"identify"})
    _survey(other_practice_clinician, "after", agree={"identify", "services"})
    _survey(other_icb_clinician, "before", agree={"identify"})
    _survey(clinician, "after", agree=set())  # a second submission changes nothing

    on_write = _all_summaries()
    rebuild_all()
    assert _all_summaries() == on_write

    figures = confidence(Scope(icb=clinician.practice.icb))
    assert (figures.with_before, figures.pairs) == (2, 2)
    by_key = {s.key: (s.agree_before, s.agree_after) for s in figures.statements}
    assert by_key["identify"] == (1, 2)
    assert by_key["services"] == (0, 1)
    assert by_key["refer"] == (0, 1)
    assert by_key["ask"] == (0, 0)
    england = confidence(Scope(icb=None))
    assert (england.with_before, england.pairs) == (3, 2)
    only_alice = confidence(Scope(icb=clinician.practice.icb, practice=clinician.practice))
    assert (only_alice.with_before, only_alice.pairs) == (1, 1)
    assert {s.key: s.agree_after for s in only_alice.statements}["refer"] == 1


@pytest.mark.django_db
def test_the_practice_team_is_counted_apart_from_clinical_staff(clinician, practice, course):
    """Issue 15: "fully trained practice" stays about clinical staff; the team has its own row."""
    from tests import factories
    from training.models import Module

    Module.objects.update(for_practice_team=True)  # the test course: one route for everyone
    receptionist = factories.UserFactory(
        email="front.desk@nhs.net", practice=practice, professional_role="practice_staff"
    )
    for module in course:
        _submit(receptionist, module, correct=True)

    figures = progress(Scope(icb=practice.icb))

    assert [(r.registered, r.completed) for r in figures.by_area] == [(1, 0)]  # Alice only
    assert (figures.team.registered, figures.team.completed) == (1, 1)
    roles = {r.key: (r.registered, r.completed) for r in figures.by_role}
    assert roles["practice_staff"] == (1, 1) and roles["gp"] == (1, 0)
    assert [r.key for r in figures.clinical_roles] == ["gp"]
