"""Issue 15: module times and CPD are computed from the content; every page has sources; the
quiz cannot be passed by test-taking tricks."""

import shutil
from types import SimpleNamespace as Item

import pytest

from training.content import CONTENT_DIR, ContentError, read_course
from training.rules import (
    module_minutes,
    quiz_fairness_problems,
    stated_time_is_honest,
    words_to_read,
)


def option(text, correct=False):
    return Item(text=text, correct=correct)


def true_false(key, text, answer):
    return Item(
        key=key,
        kind="true_false",
        text=text,
        options=(option("True", answer), option("False", not answer)),
    )


class TestTime:
    def test_reading_counts_words_without_markup_or_sources(self):
        page = "Some **bold** text and a [link](https://example.org/x).\n\n## Sources\n\n- A B C D"
        assert words_to_read(page) == 6

    @pytest.mark.parametrize(
        "words,questions,minutes", [(0, 8, 8), (1400, 8, 15), (1401, 8, 16), (200, 0, 1)]
    )
    def test_minutes_are_reading_at_200_a_minute_plus_a_minute_a_question(
        self, words, questions, minutes
    ):
        assert module_minutes(words=words, questions_per_attempt=questions) == minutes

    @pytest.mark.parametrize("stated,honest", [(15, True), (19, False), (12, True), (11, False)])
    def test_a_stated_time_must_be_within_a_quarter(self, stated, honest):
        assert stated_time_is_honest(stated=stated, computed=15) is honest

    def test_the_shipped_modules_claim_what_they_take(self):
        course = read_course()
        for module in course.modules:
            words = sum(words_to_read(p.body) for p in module.pages)
            assert module.cpd_minutes == module_minutes(
                words=words, questions_per_attempt=module.questions_per_attempt
            )
            assert module.cpd_minutes < 30, (module.slug, module.cpd_minutes)
        total = sum(m.cpd_minutes for m in course.modules if "clinicians" in m.audiences)
        assert total < 150  # not the 3.5 hours the certificate used to claim

    def test_load_training_refuses_a_time_far_from_the_content(self, tmp_path):
        copy = tmp_path / "content"
        shutil.copytree(CONTENT_DIR, copy)
        meta = copy / "01-what-stalking-is" / "module.yaml"
        meta.write_text(meta.read_text().replace("cpd_minutes: 15", "cpd_minutes: 35", 1))

        with pytest.raises(ContentError, match="more than 25% away"):
            read_course(copy)


def test_load_training_refuses_a_page_without_sources(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    page = sorted((copy / "02-recognising-stalking" / "pages").glob("*.md"))[0]
    page.write_text(page.read_text().split("## Sources")[0])

    with pytest.raises(ContentError, match="Sources") as info:
        read_course(copy)
    assert page.name in str(info.value)


class TestFairness:
    def test_the_whole_bank_is_fair(self):
        questions = [q for m in read_course().modules for q in m.questions]
        assert quiz_fairness_problems(questions) == []

    def test_unbalanced_true_false_keys_are_caught(self):
        bank = [true_false(f"q{n}", "Stalking is a crime.", True) for n in range(4)]
        assert "unbalanced" in quiz_fairness_problems(bank)[0]

    @pytest.mark.parametrize("word", ["never", "only", "must", "cannot", "always"])
    def test_absolute_words_in_true_false_items_are_caught(self, word):
        bank = [
            true_false("q1", f"A victim {word} reports early.", False),
            true_false("q2", "Stalking can affect health.", True),
        ]
        assert quiz_fairness_problems(bank) == [f"question q1: true/false statement uses {word}"]

    def test_a_correct_option_that_gives_itself_away_by_length_is_caught(self):
        item = Item(
            key="q9",
            kind="single",
            text="What should you do?",
            options=(
                option("Ask about the pattern, record it in the patient's words, and refer.", True),
                option("Wait."),
                option("Do nothing."),
            ),
        )
        problems = quiz_fairness_problems([item])
        assert any("far longer" in p for p in problems)
        assert any("longest in 1 of 1" in p for p in problems)


class TestRefreshBy:
    def test_refresh_by_is_three_years_on_and_handles_29_february(self):
        import datetime

        from training.models import refresh_by_for

        assert refresh_by_for(datetime.date(2026, 12, 3), 3) == datetime.date(2029, 12, 3)
        assert refresh_by_for(datetime.date(2028, 2, 29), 3) == datetime.date(2031, 2, 28)

    @pytest.mark.django_db
    def test_an_issued_certificate_shows_both_dates_and_a_due_refresher_is_announced(
        self, clinician, clinician_client, course, before_survey_done, settings
    ):
        import datetime

        from django.urls import reverse
        from django.utils import timezone

        from training.models import REFRESH_NOTICE, Certificate
        from training.services import survey_submit
        from training.survey import STATEMENTS

        from .test_surveys_and_certificates import complete_module

        settings.TRAINING_REFRESH_YEARS = 2
        for module in course:
            complete_module(clinician, module)
        survey_submit(
            user=clinician, phase="after", version="test.1", answers={k: 5 for k, _ in STATEMENTS}
        )
        certificate = Certificate.objects.get(user=clinician)
        today = timezone.localdate()
        assert certificate.refresh_by.year == today.year + 2
        assert certificate.cpd_minutes == sum(m.cpd_minutes for m in course)

        verify = clinician_client.get(certificate.get_absolute_url()).content.decode()
        assert "Issued on" in verify and "Refresh by" in verify
        home = clinician_client.get(reverse("training:home")).content.decode()
        assert "Your refresher is due" not in home
        assert f"Refresh by {certificate.refresh_by:%-d %B %Y}" in home

        Certificate.objects.filter(pk=certificate.pk).update(
            refresh_by=today + REFRESH_NOTICE - datetime.timedelta(days=1)
        )
        home = clinician_client.get(reverse("training:home")).content.decode()
        assert "Your refresher is due" in home


@pytest.mark.django_db
class TestResultPage:
    def _submit(self, user, module, right: bool):
        from training.models import Option
        from training.services import attempt_start, attempt_submit, page_view_record

        for page in module.pages.all():
            page_view_record(user=user, page=page)
        attempt = attempt_start(user=user, module=module)
        selections = {}
        for item in attempt.presented:
            options = Option.objects.filter(pk__in=item["options"])
            chosen = [o.pk for o in options if o.is_correct == right]
            selections[item["question"]] = frozenset(chosen[:1] if not right else chosen)
        attempt_submit(attempt=attempt, selections=selections)
        return attempt

    def test_a_pass_ends_with_next_module_and_marks_each_answer(
        self, clinician, clinician_client, course, before_survey_done
    ):
        attempt = self._submit(clinician, course[0], right=True)
        html = clinician_client.get(attempt.get_absolute_url()).content.decode()

        assert "You passed" in html
        assert html.rindex("Next module: Module beta") > html.rindex("Your answers")
        assert "app-mark--right" in html and "Question 1: correct" in html
        assert "Try again" not in html

    def test_a_fail_ends_with_try_again(
        self, clinician, clinician_client, course, before_survey_done
    ):
        attempt = self._submit(clinician, course[0], right=False)
        html = clinician_client.get(attempt.get_absolute_url()).content.decode()

        assert "You did not pass this time" in html
        assert html.rindex(">Try again</a>") > html.rindex("Your answers")
        assert "app-mark--wrong" in html and "not correct" in html
        assert "Next module" not in html


@pytest.mark.django_db
class TestPracticeTeamRoute:
    """Issue 15: non-clinical staff take a route of their own, with its own certificate."""

    @pytest.fixture
    def shipped_course(self, db):
        from training.services import content_load

        content_load(course=read_course())

    @pytest.fixture
    def receptionist(self, practice):
        from tests import factories

        return factories.UserFactory(
            email="reception@nhs.net", practice=practice, professional_role="practice_staff"
        )

    def test_each_route_sees_its_own_modules(self, shipped_course, clinician, receptionist):
        from training.selectors import modules_for

        clinical = [m.slug for m in modules_for(clinician)]
        team = [m.slug for m in modules_for(receptionist)]

        assert team == ["practice-team-front-desk"]
        assert "practice-team-front-desk" not in clinical
        assert "partners-harm-technology-record" in clinical and len(clinical) == 8

    def test_a_module_off_the_route_is_not_found(self, shipped_course, receptionist, client):
        from training.services import survey_submit
        from training.survey import STATEMENTS

        survey_submit(
            user=receptionist,
            phase="before",
            version=read_course().version,
            answers={k: 4 for k, _ in STATEMENTS},
        )
        client.force_login(receptionist)
        assert client.get("/training/what-stalking-is/").status_code == 404
        assert client.get("/training/practice-team-front-desk/").status_code == 200

    def test_the_receptionist_gets_a_certificate_for_the_team_route(
        self, shipped_course, receptionist
    ):
        from training.models import Certificate, Module
        from training.services import survey_submit

        from .test_surveys_and_certificates import complete_module

        version = read_course().version
        answers = {k: 4 for k, _ in __import__("training.survey").survey.STATEMENTS}
        survey_submit(user=receptionist, phase="before", version=version, answers=answers)
        complete_module(receptionist, Module.objects.get(slug="practice-team-front-desk"))
        survey_submit(user=receptionist, phase="after", version=version, answers=answers)

        certificate = Certificate.objects.get(user=receptionist)
        assert [m["slug"] for m in certificate.modules] == ["practice-team-front-desk"]
        assert (
            certificate.cpd_minutes
            == Module.objects.get(slug="practice-team-front-desk").cpd_minutes
        )


@pytest.mark.django_db
def test_the_start_page_shows_the_next_step_and_progress(
    clinician, clinician_client, course, before_survey_done
):
    from .test_surveys_and_certificates import complete_module

    html = clinician_client.get("/").content.decode()
    assert "Start Module alpha" in html and "0 of 2 modules done" in html

    complete_module(clinician, course[0])
    html = clinician_client.get("/").content.decode()
    assert "Start Module beta" in html and "1 of 2 modules done" in html


@pytest.mark.django_db
def test_the_start_page_shows_no_training_card_to_an_icb_admin(icb_admin_client):
    assert "modules done" not in icb_admin_client.get("/").content.decode()


@pytest.mark.django_db
def test_an_icb_admin_takes_a_module_and_no_report_figure_changes(
    icb_admin, icb_admin_client, course
):
    """Issue 15: admins may take the training; their progress never counts in any figure."""
    from reporting.models import ConfidenceStat, LearnerProgress, ModuleStat, QuestionStat
    from reporting.summaries import rebuild_all
    from training.models import Certificate
    from training.services import survey_submit
    from training.survey import STATEMENTS

    from .test_surveys_and_certificates import complete_module

    def figures():
        return [
            list(model.objects.values_list())
            for model in (ConfidenceStat, LearnerProgress, ModuleStat, QuestionStat)
        ]

    before = figures()
    answers = {k: 4 for k, _ in STATEMENTS}
    survey_submit(user=icb_admin, phase="before", version="test.1", answers=answers)
    assert icb_admin_client.get("/training/").status_code == 200
    for module in course:
        complete_module(icb_admin, module)
    survey_submit(user=icb_admin, phase="after", version="test.1", answers=answers)

    assert Certificate.objects.filter(user=icb_admin).exists()
    assert figures() == before
    rebuild_all()
    assert figures() == before
