"""Changes to people in the admin are audited: who did it, to whom, which fields, no values."""

import pytest
from django.urls import reverse

from accounts.models import User
from core.models import AuditAction, AuditEvent


def user_form(user: User, **changes) -> dict:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "professional_role": user.professional_role,
        "registration_number": user.registration_number,
        "practice": user.practice_id or "",
        "role": user.role,
        "icb": user.icb_id or "",
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


@pytest.mark.django_db
class TestUserAdminIsAudited:
    def test_a_change_records_the_actor_the_target_and_the_fields(
        self, site_admin_client, site_admin, clinician
    ):
        url = reverse("admin:accounts_user_change", args=[clinician.pk])
        response = site_admin_client.post(url, user_form(clinician, full_name="Alice Secretname"))
        assert response.status_code == 302, response.content.decode()[:2000]
        event = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGED)
        assert event.actor == site_admin
        assert event.actor_email == site_admin.email
        assert event.target == f"accounts.user {clinician.pk}"
        assert "Full name" in event.detail
        assert "Secretname" not in event.detail and "Alice" not in event.detail

    def test_a_role_change_is_also_recorded_as_a_role_change(
        self, site_admin_client, site_admin, clinician
    ):
        url = reverse("admin:accounts_user_change", args=[clinician.pk])
        site_admin_client.post(url, user_form(clinician, role="icb_admin", icb="QWO"))
        changed = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGED)
        assert "Role" in changed.detail and changed.actor == site_admin
        assert AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()

    def test_adding_a_user_is_recorded(self, site_admin_client, site_admin, icbs):
        response = site_admin_client.post(
            reverse("admin:accounts_user_add"),
            {
                "email": "new.admin@nhs.net",
                "full_name": "New Admin",
                "role": "icb_admin",
                "icb": "QWO",
                "usable_password": "true",
                "password1": "a-long-enough-passphrase-4",
                "password2": "a-long-enough-passphrase-4",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        created = User.objects.get(email="new.admin@nhs.net")
        event = AuditEvent.objects.get(action=AuditAction.ADMIN_ADDED)
        assert (event.actor, event.target) == (site_admin, f"accounts.user {created.pk}")

    def test_a_password_reset_by_an_admin_is_recorded(
        self, site_admin_client, site_admin, clinician
    ):
        url = reverse("admin:auth_user_password_change", args=[clinician.pk])
        response = site_admin_client.post(
            url,
            {
                "usable_password": "true",
                "password1": "another-long-passphrase-9",
                "password2": "another-long-passphrase-9",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        event = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGED)
        assert event.target == f"accounts.user {clinician.pk}"
        assert "passphrase" not in event.detail
