"""Certificates cannot be forged, changed or deleted in the admin (issue 14, point 9).

Nor can the records they rest on (attempts, survey responses) or the training content, which
changes only through `manage.py load_training`. Site admins can still look at all of them.
"""

import json

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from core.admin import ReadOnlyAdmin
from core.models import AuditEvent
from referrals.models import Service, ServiceChange
from training.models import Attempt, Certificate, Module, Question, SurveyResponse

VIEW_ONLY = [Certificate, Attempt, SurveyResponse, Module, Question, Service, ServiceChange]


def forged_form(user) -> dict:
    now = timezone.localtime()
    return {
        "user": user.pk,
        "learner_name": "Someone Who Did No Training",
        "professional_role": "GP",
        "registration_number": "1234567",
        "content_version": "test.1",
        "modules": json.dumps([{"title": "Module alpha", "content_version": "test.1"}]),
        "cpd_minutes": "210",
        "issued_at_0": now.strftime("%Y-%m-%d"),
        "issued_at_1": now.strftime("%H:%M:%S"),
    }


@pytest.fixture
def certificate(clinician):
    return Certificate.objects.create(
        user=clinician,
        learner_name="Alice Clinician",
        content_version="test.1",
        modules=[{"title": "Module alpha", "content_version": "test.1"}],
        cpd_minutes=60,
        issued_at=timezone.now(),
        refresh_by=timezone.localdate(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", VIEW_ONLY, ids=lambda m: m._meta.label)
def test_records_the_service_writes_are_view_only_in_the_admin(model, rf, site_admin):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = site_admin
    assert isinstance(model_admin, ReadOnlyAdmin)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


@pytest.mark.django_db
class TestCertificatesCannotBeForged:
    def test_adding_one_is_forbidden_and_nothing_is_saved(self, site_admin_client, clinician):
        url = reverse("admin:training_certificate_add")
        assert site_admin_client.get(url).status_code == 403
        assert site_admin_client.post(url, forged_form(clinician)).status_code == 403
        assert not Certificate.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="admin_").exists()

    def test_changing_one_is_forbidden(self, site_admin_client, certificate, clinician):
        url = reverse("admin:training_certificate_change", args=[certificate.pk])
        assert site_admin_client.get(url).status_code == 200  # viewing is allowed
        response = site_admin_client.post(
            url, {**forged_form(clinician), "learner_name": "Tampered"}
        )
        assert response.status_code == 403
        certificate.refresh_from_db()
        assert certificate.learner_name == "Alice Clinician"

    def test_deleting_one_is_forbidden(self, site_admin_client, certificate):
        url = reverse("admin:training_certificate_delete", args=[certificate.pk])
        assert site_admin_client.get(url).status_code == 403
        assert site_admin_client.post(url, {"post": "yes"}).status_code == 403
        assert Certificate.objects.filter(pk=certificate.pk).exists()

    def test_the_bulk_delete_action_is_not_offered_or_obeyed(self, site_admin_client, certificate):
        url = reverse("admin:training_certificate_changelist")
        listing = site_admin_client.get(url)
        assert listing.status_code == 200
        assert b"delete_selected" not in listing.content
        site_admin_client.post(
            url,
            {"action": "delete_selected", "_selected_action": [certificate.pk], "post": "yes"},
        )
        assert Certificate.objects.filter(pk=certificate.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:training_module_add",
        "admin:training_question_add",
        "admin:training_attempt_add",
        "admin:training_surveyresponse_add",
    ],
)
def test_content_and_learner_records_cannot_be_added(site_admin_client, url_name):
    assert site_admin_client.post(reverse(url_name), {}).status_code == 403
