"""Every change made in Django's admin is written to the audit log (issue 14, point 9)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from core.admin import AuditedAdmin, ReadOnlyAdmin, admin_change_detail
from core.models import AuditAction, AuditEvent
from tests import factories
from tests.two_factor import add_two_factor


def test_every_registered_admin_is_audited():
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdmin)
    ]
    assert unaudited == []


def test_third_party_admins_are_wrapped_not_replaced():
    from django.contrib.auth.admin import GroupAdmin

    assert isinstance(admin.site._registry[Group], GroupAdmin)


def test_the_audit_log_itself_is_view_only():
    from core.models import AuditEvent

    assert isinstance(admin.site._registry[AuditEvent], ReadOnlyAdmin)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ([{"added": {}}], "added"),
        ([{"changed": {"fields": ["Full name", "Role"]}}], "changed: Full name, Role"),
        ('[{"changed": {"fields": ["password"]}}]', "changed: password"),
        (
            [
                {"changed": {"fields": ["Name"]}},
                {"added": {"name": "page", "object": "Secret title"}},
                {"deleted": {"name": "option", "object": "Jane Patient"}},
            ],
            "changed: Name; added page; deleted option",
        ),
        ([], ""),
        ("", ""),
        ("Free text a site admin wrote about Jane Patient", "changed"),
        ([{"changed": {}}], "changed"),
    ],
)
def test_change_messages_become_words_without_values(message, expected):
    assert admin_change_detail(message) == expected


@pytest.mark.django_db
class TestAdminActionsAreAudited:
    def test_adding_a_group_is_recorded(self, site_admin_client, site_admin):
        response = site_admin_client.post(reverse("admin:auth_group_add"), {"name": "Reviewers"})
        assert response.status_code == 302
        group = Group.objects.get(name="Reviewers")
        event = AuditEvent.objects.get(action=AuditAction.ADMIN_ADDED)
        assert event.actor == site_admin
        assert event.target == f"auth.group {group.pk}"
        assert event.detail == "added"

    def test_deleting_one_record_is_recorded_before_it_goes(self, site_admin_client, site_admin):
        practice = factories.PracticeFactory()
        url = reverse("admin:accounts_practice_delete", args=[practice.pk])
        assert site_admin_client.post(url, {"post": "yes"}).status_code == 302
        event = AuditEvent.objects.get(action=AuditAction.ADMIN_DELETED)
        assert (event.actor, event.target) == (site_admin, f"accounts.practice {practice.pk}")

    def test_bulk_delete_action_records_each_record(self, site_admin_client, site_admin):
        practices = factories.PracticeFactory.create_batch(3)
        response = site_admin_client.post(
            reverse("admin:accounts_practice_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [p.pk for p in practices[:2]],
                "post": "yes",
            },
        )
        assert response.status_code == 302
        events = AuditEvent.objects.filter(action=AuditAction.ADMIN_DELETED)
        assert sorted(events.values_list("target", flat=True)) == sorted(
            f"accounts.practice {p.pk}" for p in practices[:2]
        )
        assert {e.actor for e in events} == {site_admin}
        assert {e.detail for e in events} == {"deleted, one of 2"}

    def test_removing_someones_authenticator_is_recorded(
        self, site_admin_client, site_admin, clinician
    ):
        device, _ = add_two_factor(clinician)
        url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
        assert site_admin_client.post(url, {"post": "yes"}).status_code == 302
        event = AuditEvent.objects.get(action=AuditAction.ADMIN_DELETED)
        assert event.target == f"otp_totp.totpdevice {device.pk}"
        assert event.actor == site_admin
