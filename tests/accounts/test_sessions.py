"""Sessions end after 30 minutes idle or 12 hours in all, and when the password changes
(everywhere but where it was changed) or is reset (everywhere). Rotation at sign-in is proved
in test_login.py and, with a second factor, in test_two_factor.py."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.middleware import (
    ABSOLUTE,
    IDLE,
    LAST_ACTIVITY,
    SIGNED_IN_AT,
    session_end_reason,
)
from tests.factories import TEST_PASSWORD

LOGIN = reverse("accounts:login")
PROFILE = reverse("accounts:profile")
IDLE_MESSAGE = "You were signed out after 30 minutes without activity"
MINUTE = 60


@pytest.mark.parametrize(
    "since_sign_in,since_activity,expected",
    [
        (0, 0, None),
        (29 * MINUTE, 29 * MINUTE, None),
        (30 * MINUTE, 30 * MINUTE, IDLE),
        (11 * 60 * MINUTE, 29 * MINUTE, None),
        (12 * 60 * MINUTE, 1, ABSOLUTE),
        (12 * 60 * MINUTE, 45 * MINUTE, ABSOLUTE),  # both passed: the absolute limit is named
    ],
)
def test_session_end_reason(since_sign_in, since_activity, expected):
    now = 1_000_000_000.0
    assert (
        session_end_reason(
            now=now,
            signed_in_at=now - since_sign_in,
            last_activity=now - since_activity,
            idle=timedelta(minutes=30),
            absolute=timedelta(hours=12),
        )
        == expected
    )


def sign_in(client, email, password=TEST_PASSWORD):
    response = client.post(LOGIN, {"username": email, "password": password})
    assert response.status_code == 302, response.content
    return response


def age_session(client, *, signed_in_ago=0, active_ago=0):
    """Move the session's clocks back, as if time had passed."""
    session = client.session
    session[SIGNED_IN_AT] -= signed_in_ago
    session[LAST_ACTIVITY] -= active_ago
    session.save()


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.django_db
class TestTimeouts:
    def test_sign_in_starts_both_clocks(self, client, clinician):
        sign_in(client, clinician.email)
        session = client.session
        assert session[SIGNED_IN_AT] == session[LAST_ACTIVITY]

    def test_idle_session_is_ended_with_a_message(self, client, clinician):
        sign_in(client, clinician.email)
        age_session(client, signed_in_ago=31 * MINUTE, active_ago=31 * MINUTE)
        response = client.get(PROFILE)
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={PROFILE}"
        assert not signed_in(client)
        page = client.get(response["Location"])
        assert IDLE_MESSAGE in page.content.decode()
        assert "nhsuk-notification-banner" in page.content.decode()

    def test_activity_keeps_the_session_alive(self, client, clinician):
        sign_in(client, clinician.email)
        for _ in range(3):
            age_session(client, signed_in_ago=20 * MINUTE, active_ago=20 * MINUTE)
            assert client.get(PROFILE).status_code == 200
        assert signed_in(client)  # an hour in all, never 30 minutes idle

    def test_session_ends_12_hours_after_sign_in_however_active(self, client, clinician):
        sign_in(client, clinician.email)
        age_session(client, signed_in_ago=12 * 60 * MINUTE, active_ago=0)
        response = client.get(PROFILE, follow=True)
        assert not signed_in(client)
        assert "signed in for 12 hours" in response.content.decode()

    def test_form_posted_into_an_idle_session_is_not_replayed(self, client, clinician):
        sign_in(client, clinician.email)
        age_session(client, active_ago=45 * MINUTE)
        response = client.post(PROFILE, {"full_name": "Changed"})
        assert response.status_code == 302
        assert response["Location"] == LOGIN
        clinician.refresh_from_db()
        assert clinician.full_name == "Alice Clinician"

    def test_force_logged_in_clients_are_timed_too(self, clinician_client):
        age_session(clinician_client, active_ago=31 * MINUTE)
        assert clinician_client.get(PROFILE).status_code == 302

    def test_anonymous_requests_are_untouched(self, client, icbs):
        assert client.get(reverse("core:start")).status_code == 200
        assert LAST_ACTIVITY not in client.session


@pytest.mark.django_db
class TestSessionEnds:
    def test_password_change_keeps_this_session_and_ends_the_others(self, clinician):
        here, elsewhere = Client(), Client()
        sign_in(here, clinician.email)
        sign_in(elsewhere, clinician.email)
        assert elsewhere.get(PROFILE).status_code == 200

        response = here.post(
            reverse("accounts:password_change"),
            {
                "old_password": TEST_PASSWORD,
                "new_password1": "a-new-long-passphrase-7",
                "new_password2": "a-new-long-passphrase-7",
            },
        )
        assert response.status_code == 302
        assert here.get(PROFILE).status_code == 200
        assert signed_in(here)

        response = elsewhere.get(PROFILE)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert not signed_in(elsewhere)

    def test_password_reset_ends_every_session(self, clinician):
        first, second, resetter = Client(), Client(), Client()
        sign_in(first, clinician.email)
        sign_in(second, clinician.email)

        resetter.post(reverse("accounts:password_reset"), {"email": clinician.email})
        link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
        set_url = resetter.get(link, follow=True).redirect_chain[-1][0]
        response = resetter.post(
            set_url,
            {
                "new_password1": "a-new-long-passphrase-7",
                "new_password2": "a-new-long-passphrase-7",
            },
        )
        assert response.status_code == 302
        assert not signed_in(resetter)  # a reset does not sign anyone in

        for client in (first, second):
            response = client.get(PROFILE)
            assert response.status_code == 302
            assert response["Location"].startswith(LOGIN)
            assert not signed_in(client)
