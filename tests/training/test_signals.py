"""Training announces what happened, once, with what a listener needs; it imports no app above
it (the layers contract in pyproject.toml), so these signals are how reporting hears of it."""

import pytest

from tests.training.conftest import VERSION, make_module
from training import signals
from training.content import CourseSpec
from training.models import Attempt, ModuleCompletion, Option, PageView, SurveyResponse
from training.services import (
    attempt_start,
    attempt_submit,
    content_load,
    page_view_record,
    survey_submit,
)


@pytest.fixture
def heard():
    """Connect a recorder to every training signal; return what it heard, in order."""
    events = []
    receivers = {}
    for name in (
        "page_first_viewed",
        "attempt_started",
        "attempt_submitted",
        "module_completed",
        "survey_submitted",
        "course_changed",
    ):

        def receiver(sender, signal, name=name, **kwargs):
            events.append((name, sender, kwargs))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield events
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def _right_answers(attempt):
    return {
        item["question"]: frozenset(
            Option.objects.filter(question_id=item["question"], is_correct=True).values_list(
                "id", flat=True
            )
        )
        for item in attempt.presented
    }


@pytest.mark.django_db
def test_a_page_is_announced_on_the_first_view_only(clinician, course, heard):
    page = course[0].pages.first()
    page_view_record(user=clinician, page=page)
    page_view_record(user=clinician, page=page)
    assert [(name, sender) for name, sender, _ in heard] == [("page_first_viewed", PageView)]
    assert heard[0][2]["user"] == clinician
    assert heard[0][2]["page_view"] == PageView.objects.get(user=clinician, page=page)


@pytest.mark.django_db
def test_a_failed_attempt_is_started_and_submitted_but_completes_nothing(clinician, course, heard):
    attempt = attempt_start(user=clinician, module=course[0])
    assert attempt_start(user=clinician, module=course[0]) == attempt  # the open one: no news
    attempt_submit(attempt=attempt, selections={})
    attempt_submit(attempt=attempt, selections={})  # already closed: nothing happens again
    assert [name for name, _, _ in heard] == ["attempt_started", "attempt_submitted"]
    submitted = heard[1][2]
    assert submitted["attempt"].is_first is True and submitted["attempt"].passed is False
    assert len(submitted["answers"]) == attempt.question_count
    assert all(answer.pk and not answer.is_correct for answer in submitted["answers"])


@pytest.mark.django_db
def test_a_pass_is_announced_after_its_submission_and_only_the_first_completes(
    clinician, course, heard
):
    for _ in range(2):
        attempt = attempt_start(user=clinician, module=course[0])
        attempt_submit(attempt=attempt, selections=_right_answers(attempt))
    assert [name for name, _, _ in heard] == [
        "attempt_started",
        "attempt_submitted",
        "module_completed",
        "attempt_started",
        "attempt_submitted",
    ]
    assert heard[2][1] is ModuleCompletion
    assert heard[2][2]["completion"] == ModuleCompletion.objects.get(user=clinician)
    assert heard[4][2]["attempt"].is_first is False
    assert Attempt.objects.filter(user=clinician).count() == 2


@pytest.mark.django_db
def test_a_survey_is_announced_once(clinician, course, heard):
    answers = dict.fromkeys(["identify", "ask"], 4)
    first = survey_submit(user=clinician, phase="before", version=VERSION, answers=answers)
    survey_submit(user=clinician, phase="before", version=VERSION, answers=answers)
    assert heard == [("survey_submitted", SurveyResponse, {"response": first})]


@pytest.mark.django_db
def test_the_course_is_announced_as_changed_only_when_its_modules_change(course, heard):
    same = CourseSpec(version=VERSION, modules=(make_module("alpha", 1), make_module("beta", 2)))
    content_load(course=same)
    assert heard == []
    content_load(course=CourseSpec(version=VERSION, modules=(make_module("alpha", 1),)))
    assert [name for name, _, _ in heard] == ["course_changed"]
