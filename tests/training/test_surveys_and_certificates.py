import pytest
from django.urls import reverse

from training.models import (
    Attempt,
    Certificate,
    ImmutableError,
    ModuleCompletion,
    SurveyAnswer,
    SurveyResponse,
)
from training.services import (
    attempt_start,
    attempt_submit,
    certificate_issue_if_complete,
    page_view_record,
    survey_submit,
)
from training.survey import STATEMENTS

ALL_AGREE = {key: "4" for key, _ in STATEMENTS}


def complete_module(user, module):
    for page in module.pages.all():
        page_view_record(user=user, page=page)
    attempt = attempt_start(user=user, module=module)
    key = {}
    for item in attempt.presented:
        key[item["question"]] = frozenset(
            module.questions.get(pk=item["question"])
            .options.filter(is_correct=True)
            .values_list("pk", flat=True)
        )
    attempt_submit(attempt=attempt, selections=key)


@pytest.mark.django_db
class TestSurveys:
    def test_before_survey_is_required_before_the_first_module(self, clinician_client, course):
        response = clinician_client.get(reverse("training:module", args=["alpha"]))
        assert response["Location"] == reverse("training:survey", args=["before"])

    def test_missing_answers_are_shown_and_nothing_saved(self, clinician_client, course):
        data = dict(ALL_AGREE)
        del data["ptsd"]
        data["refer"] = "9"
        response = clinician_client.post(reverse("training:survey", args=["before"]), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'href="#id_ptsd_0"' in html and 'href="#id_refer_0"' in html
        assert not SurveyResponse.objects.exists()

    def test_one_before_and_one_after_per_person_paired_by_version(
        self, clinician_client, clinician, course
    ):
        url = reverse("training:survey", args=["before"])
        clinician_client.post(url, ALL_AGREE)
        # A second submission (back button, replay) changes nothing.
        clinician_client.post(url, {key: "1" for key, _ in STATEMENTS})
        response = SurveyResponse.objects.get(user=clinician, phase="before")
        assert set(response.answers.values_list("value", flat=True)) == {4}
        assert SurveyAnswer.objects.count() == len(STATEMENTS)

        after = reverse("training:survey", args=["after"])
        assert clinician_client.get(after)["Location"] == reverse("training:home")
        for module in course:
            complete_module(clinician, module)
        clinician_client.post(after, {key: "5" for key, _ in STATEMENTS})
        pair = SurveyResponse.objects.filter(user=clinician, content_version="test.1")
        assert sorted(pair.values_list("phase", flat=True)) == ["after", "before"]

    def test_unknown_phase_is_404(self, clinician_client, course):
        assert clinician_client.get("/training/survey/during/").status_code == 404


@pytest.mark.django_db
class TestCertificates:
    def test_issued_only_when_every_module_and_the_after_survey_are_done(
        self, clinician, course, before_survey_done
    ):
        complete_module(clinician, course[0])
        assert certificate_issue_if_complete(user=clinician, version="test.1") is None
        complete_module(clinician, course[1])
        assert certificate_issue_if_complete(user=clinician, version="test.1") is None
        survey_submit(
            user=clinician, phase="after", version="test.1", answers={k: 5 for k, _ in STATEMENTS}
        )
        certificate = Certificate.objects.get(user=clinician)
        assert certificate.learner_name == "Alice Clinician"
        assert [m["slug"] for m in certificate.modules] == ["alpha", "beta"]
        assert certificate.cpd_minutes == 60 and certificate.cpd_hours == "1"
        assert ModuleCompletion.objects.filter(user=clinician).count() == 2

    def test_failed_module_does_not_count(self, clinician, course, before_survey_done):
        module = course[0]
        for page in module.pages.all():
            page_view_record(user=clinician, page=page)
        attempt = attempt_start(user=clinician, module=module)
        attempt_submit(attempt=attempt, selections={})
        assert Attempt.objects.get().passed is False
        assert not ModuleCompletion.objects.exists()

    @pytest.fixture
    def certificate(self, clinician, course, before_survey_done):
        for module in course:
            complete_module(clinician, module)
        survey_submit(
            user=clinician, phase="after", version="test.1", answers={k: 5 for k, _ in STATEMENTS}
        )
        return Certificate.objects.get(user=clinician)

    def test_record_is_immutable_and_keeps_the_name_as_it_was(self, certificate, clinician):
        clinician.full_name = "Alice Renamed"
        clinician.save()
        certificate.refresh_from_db()
        assert certificate.learner_name == "Alice Clinician"
        certificate.learner_name = "Tampered"
        with pytest.raises(ImmutableError):
            certificate.save()

    def test_public_verification_shows_only_what_is_needed(self, certificate, anonymous_client):
        response = anonymous_client.get(certificate.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert "Alice Clinician" in html and "Module alpha" in html
        assert "alice@nhs.net" not in html
        assert "Alpha Surgery" not in html

    @pytest.mark.parametrize(
        "path",
        [
            "/certificates/00000000-0000-0000-0000-000000000000/",
            "/certificates/not-a-uuid/",
        ],
    )
    def test_unknown_or_malformed_certificate_is_a_404_page(self, anonymous_client, path, icbs):
        response = anonymous_client.get(path)
        assert response.status_code == 404
        assert b"Page not found" in response.content

    def test_owner_downloads_pdf_others_get_404(
        self, certificate, clinician_client, other_practice_clinician_client, anonymous_client
    ):
        url = reverse("certificates:pdf", args=[certificate.pk])
        response = clinician_client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert other_practice_clinician_client.get(url).status_code == 404
        assert anonymous_client.get(url).status_code == 302

    def test_pdf_includes_notes_only_when_asked(
        self, certificate, clinician_client, clinician, course
    ):
        from training.services import note_save

        note_save(user=clinician, module=course[0], text="I will ask about stalking.")
        url = reverse("certificates:pdf", args=[certificate.pk])
        without = clinician_client.get(url).content
        with_notes = clinician_client.get(url + "?notes=1").content
        assert len(with_notes) > len(without)
