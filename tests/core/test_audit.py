"""The audit log records who did what, is append-only, and holds no clinical answers."""

import pytest
from django.urls import reverse

from core.audit import client_ip
from core.models import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
class TestAudit:
    def test_sign_in_and_failed_sign_in_are_recorded_with_address(self, client, clinician):
        client.post(
            reverse("accounts:login"),
            {"username": clinician.email, "password": "x"},
            REMOTE_ADDR="10.1.2.3",
        )
        client.post(
            reverse("accounts:login"),
            {"username": clinician.email, "password": TEST_PASSWORD},
            REMOTE_ADDR="10.1.2.3",
        )
        failed = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
        assert failed.actor_email == clinician.email and failed.ip_address == "10.1.2.3"
        assert "x" not in failed.detail
        signed_in = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
        assert signed_in.actor == clinician

    def test_role_and_organisation_changes_are_recorded_with_who(
        self, site_admin_client, clinician, other_practice
    ):
        clinician.practice = other_practice
        clinician.save()
        event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
        assert event.target == clinician.email
        assert "practice" in event.detail

    def test_report_exports_and_screening_views_are_recorded(
        self, icb_admin_client, clinician_client
    ):
        icb_admin_client.get(reverse("reporting:export_csv"))
        event = AuditEvent.objects.get(action=AuditAction.REPORT_EXPORTED)
        assert event.target == "NHS West Yorkshire Integrated Care Board"

    def test_log_is_append_only(self, clinician):
        event = AuditEvent.objects.create(action=AuditAction.SIGN_IN, actor=clinician)
        event.detail = "tampered"
        with pytest.raises(PermissionError):
            event.save()
        with pytest.raises(PermissionError):
            event.delete()
        with pytest.raises(PermissionError):
            AuditEvent.objects.all().delete()
        with pytest.raises(PermissionError):
            AuditEvent.objects.update(detail="x")

    def test_only_site_admins_can_read_it(self, site_admin_client, icb_admin_client):
        url = reverse("admin:core_auditevent_changelist")
        assert site_admin_client.get(url).status_code == 200
        assert icb_admin_client.get(url).status_code == 302  # to the admin sign-in


@pytest.mark.django_db
def test_directory_changes_are_audited(icb_admin):
    from referrals.models import Service
    from referrals.services import seed_load, service_retire

    seed_load(examples=True)
    service = Service.objects.filter(area_icbs="QWO").first()
    service_retire(actor=icb_admin, service=service)
    event = AuditEvent.objects.get(action=AuditAction.DIRECTORY_CHANGED, actor=icb_admin)
    assert service.name in event.target


class TestClientAddress:
    @pytest.mark.parametrize(
        ("proxies", "forwarded", "expected"),
        [
            (0, "203.0.113.7", "10.0.0.254"),  # no proxy trusted: the header is ignored
            (1, "203.0.113.7", "203.0.113.7"),
            (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the client's own claim ignored
            (2, "198.51.100.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
            (2, "203.0.113.7", "10.0.0.254"),  # fewer hops than proxies: not believed
            (1, "not-an-address", "10.0.0.254"),
            (1, "", "10.0.0.254"),
            (1, "2001:db8::1", "2001:db8::1"),
        ],
    )
    def test_client_is_the_entry_our_outermost_proxy_added(
        self, rf, settings, proxies, forwarded, expected
    ):
        settings.TRUSTED_PROXY_COUNT = proxies
        request = rf.get("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=forwarded)
        assert client_ip(request) == expected
