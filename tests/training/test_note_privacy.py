"""Issue 14, point 2: a reflective note holding a patient identifier is refused beside the
field, never stored, and never printed on a certificate."""

import pytest
from django.urls import reverse

from training.models import Certificate, ReflectiveNote
from training.services import survey_submit
from training.survey import STATEMENTS

from .test_surveys_and_certificates import complete_module

pytestmark = pytest.mark.django_db

PEN_TEST_NOTE = "Patient Jane Smith NHS 943 476 5919 DOB 1/2/1980"


@pytest.fixture
def module_slug(course):
    return course[0].slug


def post_note(client, slug, text):
    return client.post(reverse("training:note", kwargs={"slug": slug}), {"text": text})


def test_the_pen_test_note_is_refused_beside_the_field(
    clinician_client, clinician, module_slug, before_survey_done
):
    response = post_note(clinician_client, module_slug, PEN_TEST_NOTE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert 'href="#id_text"' in html
    assert "Remove an NHS number and a date from your note." in html
    assert "nhsuk-error-message" in html
    assert PEN_TEST_NOTE in html  # kept in the box to edit, not lost
    assert not ReflectiveNote.objects.filter(user=clinician).exists()


def test_an_earlier_note_is_left_as_it_was(
    clinician_client, clinician, module_slug, before_survey_done
):
    post_note(clinician_client, module_slug, "Ask about the pattern earlier.")
    post_note(clinician_client, module_slug, "Call 07911 123456 about LS1 4AP")

    assert ReflectiveNote.objects.get(user=clinician).text == "Ask about the pattern earlier."


def test_the_form_says_notes_are_never_about_a_patient():
    from training.forms import ReflectiveNoteForm

    html = str(ReflectiveNoteForm()["text"].help_text)
    assert "never about a patient" in html
    assert "NHS numbers, dates of birth" in html


def test_a_learning_note_is_saved(clinician_client, clinician, module_slug, before_survey_done):
    response = post_note(
        clinician_client, module_slug, "Call 999 and press 55; Samaritans 116 123. Ask twice."
    )

    assert response.status_code == 302
    assert ReflectiveNote.objects.filter(user=clinician).exists()


def test_a_note_stored_before_the_check_is_left_off_the_certificate(
    clinician_client, clinician, course, before_survey_done
):
    for module in course:
        complete_module(clinician, module)
    survey_submit(
        user=clinician, phase="after", version="test.1", answers={k: 5 for k, _ in STATEMENTS}
    )
    certificate = Certificate.objects.get(user=clinician)
    ReflectiveNote.objects.create(user=clinician, module=course[0], text=PEN_TEST_NOTE)
    captured = {}

    import training.certificate_views as views

    real = views.certificate_pdf

    def capture(certificate, *, verify_url, notes):
        captured["notes"] = notes
        return real(certificate, verify_url=verify_url, notes=notes)

    views.certificate_pdf = capture
    try:
        response = clinician_client.get(
            reverse("certificates:pdf", args=[certificate.pk]) + "?notes=1"
        )
    finally:
        views.certificate_pdf = real

    assert response.status_code == 200
    assert [n["text"] for n in captured["notes"]] == [""]
    assert b"943 476 5919" not in response.content
