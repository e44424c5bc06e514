"""Training pages make a fixed number of queries, however many attempts are stored."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from training.services import attempt_start, attempt_submit, page_view_record


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def add_history(users, course, rounds):
    """Give each user `rounds` submitted attempts at every module, plus page views."""
    for user in users:
        for module in course:
            for page in module.pages.all():
                page_view_record(user=user, page=page)
            for _ in range(rounds):
                attempt_submit(attempt=attempt_start(user=user, module=module), selections={})


URLS = [
    reverse("training:home"),
    reverse("training:module", args=["alpha"]),
    reverse("training:page", args=["alpha", 1]),
    reverse("training:quiz", args=["alpha"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_query_count_does_not_grow_with_attempts(
    clinician_client, clinician, course, before_survey_done, url
):
    add_history([clinician], course, rounds=1)
    clinician_client.get(url)  # warm: the quiz page starts its attempt on the first visit
    before = count_queries(clinician_client, url)

    others = [UserFactory(practice=clinician.practice) for _ in range(3)]
    add_history(others + [clinician], course, rounds=3)
    clinician_client.get(url)
    after = count_queries(clinician_client, url)
    assert after == before
    assert after <= 12, f"{url} makes {after} queries"


@pytest.mark.django_db
def test_pinned_counts(
    clinician_client, clinician, course, before_survey_done, django_assert_num_queries
):
    add_history([clinician], course, rounds=2)
    # Session and user, the request's savepoint pair (ATOMIC_REQUESTS inside the test's
    # transaction), then the page's own reads: modules with statuses (which also give the
    # course version), surveys, certificate.
    with django_assert_num_queries(7):
        clinician_client.get(reverse("training:home"))
    # ... the before-survey check (one query), statuses (which find the module), pages, latest
    # attempts.
    with django_assert_num_queries(8):
        clinician_client.get(reverse("training:module", args=["alpha"]))
    # ... the before-survey check, module, its pages with their text, the page view.
    with django_assert_num_queries(8):
        clinician_client.get(reverse("training:page", args=["alpha", 1]))


def _data_queries(captured) -> int:
    control = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")
    return sum(1 for q in captured if not q["sql"].lstrip().upper().startswith(control))


@pytest.mark.django_db
def test_starting_and_submitting_a_quiz_stay_within_twelve_queries(
    clinician_client, clinician, course, before_survey_done
):
    add_history([clinician], course, rounds=2)
    url = reverse("training:quiz", args=["alpha"])
    with CaptureQueriesContext(connection) as start:
        page = clinician_client.get(url)  # the last attempt was submitted: this starts one
    assert page.status_code == 200
    attempt = page.context["attempt"]
    with CaptureQueriesContext(connection) as submit:
        response = clinician_client.post(url, {"attempt": attempt.pk})  # nothing answered
    assert response.status_code == 200  # the form asks for answers
    # Session, user, survey check, module, unread pages, open attempt, option bank, the new
    # attempt and the learner's start, then the questions and options shown.
    assert _data_queries(start.captured_queries) == 11
    assert _data_queries(submit.captured_queries) <= 12


@pytest.mark.django_db
def test_module_page_lists_only_the_latest_attempts(
    clinician_client, clinician, course, before_survey_done
):
    add_history([clinician], course[:1], rounds=12)
    page = clinician_client.get(reverse("training:module", args=["alpha"])).content.decode()
    assert page.count("of 8 (") == 10  # one row per attempt shown: "0 of 8 (0%)"
    assert "Your 10 most recent attempts." in page

    add_history([clinician], course[1:], rounds=2)
    page = clinician_client.get(reverse("training:module", args=["beta"])).content.decode()
    assert page.count("of 8 (") == 2
    assert "most recent attempts" not in page
