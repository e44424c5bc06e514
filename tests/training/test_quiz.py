import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from training.models import Attempt, AttemptAnswer, ModuleCompletion, Option
from training.services import attempt_start, page_view_record


@pytest.fixture
def alpha(course):
    return course[0]


@pytest.fixture
def pages_read(clinician, alpha, before_survey_done):
    for page in alpha.pages.all():
        page_view_record(user=clinician, page=page)


def answers_for(attempt, *, correctly=True, skip_one=False):
    data = {"attempt": str(attempt.pk)}
    for index, item in enumerate(attempt.presented):
        if skip_one and index == 0:
            continue
        options = Option.objects.filter(pk__in=item["options"])
        chosen = [o.pk for o in options if o.is_correct == correctly] or [options[0].pk]
        data[f"q{item['question']}"] = [str(pk) for pk in chosen]
    return data


QUIZ = reverse("training:quiz", args=["alpha"])


@pytest.mark.django_db
class TestQuiz:
    def test_quiz_is_locked_until_pages_are_read(self, clinician_client, alpha, before_survey_done):
        response = clinician_client.get(QUIZ)
        assert b"Read the module before the quiz" in response.content
        assert not Attempt.objects.exists()

    def test_no_answer_or_explanation_reaches_the_page_before_submission(
        self, clinician_client, pages_read
    ):
        html = clinician_client.get(QUIZ).content.decode()
        attempt = Attempt.objects.get()
        assert len(attempt.presented) == 8
        form = html[html.index("<form") : html.index("</form>")].lower()
        assert "correct" not in form and "right" not in form
        for option in Option.objects.filter(question__module__slug="alpha"):
            assert option.explanation not in html
        # Options appear in the order stored on the attempt.
        for item in attempt.presented:
            positions = [html.index(f'value="{oid}"') for oid in item["options"]]
            assert positions == sorted(positions)

    def test_reloading_the_quiz_keeps_the_same_attempt(self, clinician_client, pages_read):
        clinician_client.get(QUIZ)
        clinician_client.get(QUIZ)
        assert Attempt.objects.count() == 1

    def test_unanswered_question_is_shown_as_an_error_and_nothing_is_scored(
        self, clinician_client, pages_read
    ):
        clinician_client.get(QUIZ)
        attempt = Attempt.objects.get()
        response = clinician_client.post(QUIZ, answers_for(attempt, skip_one=True))
        assert response.status_code == 200
        assert b"Select" in response.content and b"nhsuk-error-summary" in response.content
        attempt.refresh_from_db()
        assert attempt.submitted_at is None

    def test_fail_shows_every_explanation_and_does_not_complete(
        self, clinician_client, clinician, pages_read
    ):
        clinician_client.get(QUIZ)
        attempt = Attempt.objects.get()
        response = clinician_client.post(QUIZ, answers_for(attempt, correctly=False), follow=True)
        html = response.content.decode()
        assert "You did not pass this time" in html
        for item in attempt.presented:
            for option in Option.objects.filter(pk__in=item["options"]):
                assert option.explanation in html
        attempt.refresh_from_db()
        assert attempt.passed is False and attempt.is_first
        assert not ModuleCompletion.objects.exists()

    def test_pass_completes_the_module_in_the_same_request(
        self, clinician_client, clinician, pages_read
    ):
        clinician_client.get(QUIZ)
        attempt = Attempt.objects.get()
        response = clinician_client.post(QUIZ, answers_for(attempt), follow=True)
        assert b"You passed" in response.content
        completion = ModuleCompletion.objects.get(user=clinician)
        assert completion.attempt == attempt
        assert completion.content_version == "test.1"

    def test_double_submit_scores_once_and_shows_the_same_result(
        self, clinician_client, pages_read
    ):
        clinician_client.get(QUIZ)
        attempt = Attempt.objects.get()
        first = clinician_client.post(QUIZ, answers_for(attempt, correctly=False))
        second = clinician_client.post(QUIZ, answers_for(attempt, correctly=True))
        assert first["Location"] == second["Location"] == attempt.get_absolute_url()
        attempt.refresh_from_db()
        assert attempt.passed is False
        assert Attempt.objects.filter(submitted_at__isnull=False).count() == 1
        assert AttemptAnswer.objects.count() == attempt.question_count
        assert not ModuleCompletion.objects.exists()

    def test_database_refuses_a_second_set_of_answers(self, clinician, pages_read, alpha):
        attempt = attempt_start(user=clinician, module=alpha)
        question_id = attempt.presented[0]["question"]
        AttemptAnswer.objects.create(
            attempt=attempt, question_id=question_id, selected=[], is_correct=False
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            AttemptAnswer.objects.create(
                attempt=attempt, question_id=question_id, selected=[], is_correct=True
            )

    def test_database_allows_only_one_open_attempt(self, clinician, alpha, pages_read):
        attempt = attempt_start(user=clinician, module=alpha)
        with pytest.raises(IntegrityError), transaction.atomic():
            Attempt.objects.create(
                user=clinician,
                module=alpha,
                content_version="x",
                presented=attempt.presented,
                question_count=8,
            )

    def test_options_not_shown_are_ignored(self, clinician_client, pages_read):
        clinician_client.get(QUIZ)
        attempt = Attempt.objects.get()
        data = answers_for(attempt)
        shown = {oid for item in attempt.presented for oid in item["options"]}
        stranger = Option.objects.exclude(pk__in=shown).first()
        data[f"q{attempt.presented[0]['question']}"] = [str(stranger.pk)]
        response = clinician_client.post(QUIZ, data)
        assert response.status_code == 200  # an invalid choice, shown as an error
        assert b"nhsuk-error-summary" in response.content

    def test_retakes_keep_every_attempt(self, clinician_client, pages_read):
        for correctly in (False, False, True):
            clinician_client.get(QUIZ)
            attempt = Attempt.objects.get(submitted_at__isnull=True)
            clinician_client.post(QUIZ, answers_for(attempt, correctly=correctly))
        assert Attempt.objects.count() == 3
        assert Attempt.objects.filter(is_first=True).count() == 1
        module_page = clinician_client.get(reverse("training:module", args=["alpha"]))
        assert len(re.findall(r"Not passed", module_page.content.decode())) == 2


@pytest.mark.django_db
class TestOwnership:
    def test_another_learner_cannot_see_or_submit_my_attempt(
        self,
        clinician_client,
        clinician,
        other_practice_clinician_client,
        other_practice_clinician,
        pages_read,
        alpha,
    ):
        clinician_client.get(QUIZ)
        attempt = Attempt.objects.get()
        url = attempt.get_absolute_url()
        assert other_practice_clinician_client.get(url).status_code == 404
        from training.services import survey_submit

        survey_submit(
            user=other_practice_clinician, phase="before", version="test.1", answers={"identify": 3}
        )
        for page in alpha.pages.all():
            page_view_record(user=other_practice_clinician, page=page)
        response = other_practice_clinician_client.post(QUIZ, answers_for(attempt))
        assert response.status_code == 404
        attempt.refresh_from_db()
        assert attempt.submitted_at is None

    @pytest.mark.parametrize("bad", ["not-a-uuid", "", "' OR 1=1 --"])
    def test_malformed_attempt_id_is_404(self, clinician_client, pages_read, bad):
        clinician_client.get(QUIZ)
        assert clinician_client.post(QUIZ, {"attempt": bad}).status_code == 404

    @pytest.mark.parametrize("persona", ["icb_admin", "site_admin"])
    def test_admins_may_take_the_training_too(self, role_clients, persona, course):
        # Issue 15: to know what they report on; their progress never counts (reporting).
        assert role_clients(persona).get(reverse("training:home")).status_code == 200

    def test_anonymous_is_sent_to_sign_in(self, anonymous_client, course):
        response = anonymous_client.get(QUIZ)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
