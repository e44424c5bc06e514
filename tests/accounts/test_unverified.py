"""Issue 14, point 6: an account whose address is not confirmed yet has one clear way on.

Signing in says the address is not confirmed and offers a new link; an expired link offers a
new one; a password reset for such an address sends the verification link; and none of these
tells anyone without the password whether an account exists.
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "new.starter@nhs.net"
LINK = re.compile(r"http://testserver(/accounts/verify/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def unverified(practice):
    return factories.UserFactory(
        email=EMAIL, practice=practice, is_active=False, email_verified_at=None
    )


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def sign_in(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def confirm(client, link, password):
    """Open the emailed link and confirm it with the account's password, as a person would."""
    page = client.get(link)
    assert page.status_code == 200, page.status_code
    assert "Confirm your email address" in page.content.decode()
    return client.post(link, {"password": password})


def links_sent() -> list[str]:
    return [m.group(1) for message in mail.outbox for m in [LINK.search(message.body)] if m]


class TestSigningIn:
    def test_the_right_password_says_the_address_is_not_confirmed_and_offers_a_new_link(
        self, client, unverified
    ):
        response = sign_in(client, EMAIL, TEST_PASSWORD)

        html = response.content.decode()
        assert response.status_code == 200
        assert "You have not confirmed your email address yet" in html
        assert "Enter a correct email address and password" not in html
        assert f'action="{reverse("accounts:verification_resend")}"' in html
        assert f'value="{EMAIL}"' in html  # the resend form is filled in
        assert "_auth_user_id" not in client.session

    def test_a_wrong_password_says_nothing_about_the_account(self, client, unverified):
        response = sign_in(client, EMAIL, "not-the-password")

        html = response.content.decode()
        assert "Enter a correct email address and password" in html
        assert "not confirmed" not in html
        assert "verification_resend" not in html and "new-link" not in html

    def test_a_turned_off_account_that_was_verified_is_not_called_unverified(
        self, client, clinician
    ):
        User.objects.filter(pk=clinician.pk).update(is_active=False)

        html = sign_in(client, clinician.email, TEST_PASSWORD).content.decode()

        assert "Enter a correct email address and password" in html
        assert "not confirmed" not in html

    def test_the_check_counts_towards_the_lock_and_stops_once_locked(
        self, client, unverified, settings
    ):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, EMAIL, "not-the-password")

        response = sign_in(client, EMAIL, TEST_PASSWORD)

        assert response.status_code == 429
        assert "not confirmed" not in response.content.decode()


class TestResending:
    def test_a_new_link_is_sent_and_the_old_one_still_verifies_once(
        self, client, unverified, on_commit
    ):
        response = on_commit(
            client.post, reverse("accounts:verification_resend"), {"email": EMAIL.upper()}
        )

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:verification_sent")
        assert len(links_sent()) == 1
        assert confirm(client, links_sent()[0], TEST_PASSWORD).status_code == 302
        unverified.refresh_from_db()
        assert unverified.is_active and unverified.email_verified_at

    @pytest.mark.parametrize("email", ["nobody@nhs.net", "alice@nhs.net"])
    def test_an_address_with_nothing_to_confirm_gets_the_same_answer_and_no_email(
        self, client, clinician, on_commit, email
    ):
        response = on_commit(client.post, reverse("accounts:verification_resend"), {"email": email})

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:verification_sent")
        assert mail.outbox == []

    def test_one_address_cannot_be_flooded(self, client, unverified, on_commit, settings):
        settings.VERIFICATION_RESEND_LIMIT = 3
        for _ in range(6):
            on_commit(client.post, reverse("accounts:verification_resend"), {"email": EMAIL})

        assert len(mail.outbox) == 3

    def test_a_bad_address_gets_a_message_next_to_the_field(self, client, icbs):
        response = client.post(reverse("accounts:verification_resend"), {"email": "not-an-email"})

        html = response.content.decode()
        assert response.status_code == 200
        assert "nhsuk-error-summary" in html
        assert 'id="id_email-error"' in html or "nhsuk-error-message" in html


class TestExpiredLink:
    def test_an_expired_link_offers_a_new_one_that_works(
        self, client, unverified, on_commit, settings
    ):
        on_commit(client.post, reverse("accounts:verification_resend"), {"email": EMAIL})
        old_link = links_sent()[0]
        settings.PASSWORD_RESET_TIMEOUT = -1  # every link has now expired

        failed = client.get(old_link)

        html = failed.content.decode()
        assert failed.status_code == 400
        assert "This link is not valid" in html
        assert "create your account again" not in html
        assert f'action="{reverse("accounts:verification_resend")}"' in html

        settings.PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
        mail.outbox.clear()
        on_commit(client.post, reverse("accounts:verification_resend"), {"email": EMAIL})
        assert confirm(client, links_sent()[0], TEST_PASSWORD).status_code == 302
        assert sign_in(client, EMAIL, TEST_PASSWORD).status_code == 302


class TestPasswordReset:
    def test_a_reset_for_an_unverified_address_sends_the_verification_link(
        self, client, unverified, on_commit
    ):
        response = on_commit(client.post, reverse("accounts:password_reset"), {"email": EMAIL})

        assert response.status_code == 302
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [EMAIL]
        assert len(links_sent()) == 1
        assert "/accounts/reset/" not in mail.outbox[0].body

    def test_a_reset_for_a_verified_account_still_sends_a_reset_link(
        self, client, clinician, on_commit
    ):
        on_commit(client.post, reverse("accounts:password_reset"), {"email": "ALICE@nhs.net"})

        assert len(mail.outbox) == 1
        assert "/accounts/reset/" in mail.outbox[0].body

    def test_a_reset_by_a_folded_spelling_reaches_the_same_account(
        self, client, clinician, on_commit
    ):
        on_commit(
            client.post, reverse("accounts:password_reset"), {"email": "a\u217cice@nhs.net"}
        )  # U+217C, small roman numeral fifty, folds to l

        assert [m.to for m in mail.outbox] == [["alice@nhs.net"]]


class TestSignUpRace:
    def test_a_simultaneous_second_sign_up_gets_the_same_page_not_a_500(
        self, client, practice, on_commit, monkeypatch
    ):
        """The second request checks before the first commits, then inserts after it."""
        from accounts import services

        data = {
            "full_name": "Dana Doctor",
            "email": "dana.doctor@nhs.net",
            "professional_role": "gp",
            "practice": practice.ods_code,
            "password1": "purple-otter-lamp-42",
            "password2": "purple-otter-lamp-42",
        }
        first = on_commit(client.post, reverse("accounts:signup"), data)
        real_filter = User.objects.filter
        misses = iter([True])

        def filter_missing_the_first(*args, **kwargs):
            # The losing request's first look-up ran before the winner's row existed.
            if kwargs.get("email") == "dana.doctor@nhs.net" and next(misses, False):
                return real_filter(pk__in=[])
            return real_filter(*args, **kwargs)

        monkeypatch.setattr(services.User.objects, "filter", filter_missing_the_first)
        second = on_commit(client.post, reverse("accounts:signup"), data)

        assert first.status_code == second.status_code == 302
        assert second["Location"] == reverse("accounts:signup_done")
        assert real_filter(email="dana.doctor@nhs.net").count() == 1


def test_the_whole_route_for_a_lost_link(client, practice, on_commit):
    """Sign up, lose the link, sign in, ask for a new one, verify, sign in."""
    on_commit(
        client.post,
        reverse("accounts:signup"),
        {
            "full_name": "Dana Doctor",
            "email": "dana.doctor@nhs.net",
            "professional_role": "gp",
            "practice": practice.ods_code,
            "password1": "purple-otter-lamp-42",
            "password2": "purple-otter-lamp-42",
        },
    )
    mail.outbox.clear()  # the first link is lost
    User.objects.filter(email="dana.doctor@nhs.net").update(
        date_joined=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )

    page = sign_in(client, "dana.doctor@nhs.net", "purple-otter-lamp-42")
    assert "You have not confirmed your email address yet" in page.content.decode()
    on_commit(
        client.post, reverse("accounts:verification_resend"), {"email": "dana.doctor@nhs.net"}
    )
    assert confirm(client, links_sent()[0], "purple-otter-lamp-42").status_code == 302
    assert sign_in(client, "dana.doctor@nhs.net", "purple-otter-lamp-42").status_code == 302


class TestPreAccountTakeover:
    """Pen test: someone signs up first with another person's address and their own password;
    the owner's later sign-up and click must never activate the first person's password."""

    def _sign_up(self, client, on_commit, practice, name, password):
        return on_commit(
            client.post,
            reverse("accounts:signup"),
            {
                "full_name": name,
                "email": "dr.victim@nhs.net",
                "professional_role": "gp",
                "practice": practice.ods_code,
                "password1": password,
                "password2": password,
            },
        )

    def test_the_owners_sign_up_replaces_the_squatters_and_only_her_password_works(
        self, client, practice, other_practice, on_commit
    ):
        self._sign_up(client, on_commit, other_practice, "Eve Attacker", "eve-chose-this-one-1")
        squatter_link = links_sent()[-1]  # it went to the victim's inbox, not to Eve
        User.objects.filter(email="dr.victim@nhs.net").update(
            date_joined=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        )

        self._sign_up(client, on_commit, practice, "Vic Owner", "vic-chose-this-one-2")
        owner_link = links_sent()[-1]

        # Eve's link is dead (the password behind it changed); Eve's password confirms nothing.
        assert client.get(squatter_link).status_code == 400
        wrong = client.post(owner_link, {"password": "eve-chose-this-one-1"})
        assert wrong.status_code == 200
        assert "not the password this account was created with" in wrong.content.decode()
        assert confirm(client, owner_link, "vic-chose-this-one-2").status_code == 302

        user = User.objects.get(email="dr.victim@nhs.net")
        assert user.full_name == "Vic Owner" and user.practice == practice
        assert sign_in(client, "dr.victim@nhs.net", "eve-chose-this-one-1").status_code == 200
        assert sign_in(client, "dr.victim@nhs.net", "vic-chose-this-one-2").status_code == 302

    def test_clicking_the_squatters_link_without_its_password_activates_nothing(
        self, client, other_practice, on_commit
    ):
        self._sign_up(client, on_commit, other_practice, "Eve Attacker", "eve-chose-this-one-1")

        response = client.post(links_sent()[-1], {"password": "vic-chose-this-one-2"})

        assert response.status_code == 200
        assert not User.objects.get(email="dr.victim@nhs.net").is_active


def test_password_reset_emails_share_the_hourly_limit(client, clinician, on_commit, settings):
    settings.VERIFICATION_RESEND_LIMIT = 2
    for _ in range(5):
        on_commit(client.post, reverse("accounts:password_reset"), {"email": "alice@nhs.net"})

    assert len(mail.outbox) == 2


HOSTILE = [
    "",
    " ",
    "\x00",
    "a" * 100_000,
    "\U0001f600@nhs.net",
    "x@nhs.net\x00",
    "<script>@nhs.net",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_to_the_resend_form_gets_a_message_not_a_500(client, icbs, value):
    response = client.post(reverse("accounts:verification_resend"), {"email": value})

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "nhsuk-error-summary" in response.content.decode()


@pytest.mark.parametrize("value", [*HOSTILE, TEST_PASSWORD + "\x00"])
def test_hostile_input_to_the_confirm_form_gets_a_message_not_a_500(
    client, unverified, on_commit, value
):
    on_commit(client.post, reverse("accounts:verification_resend"), {"email": EMAIL})
    response = client.post(links_sent()[-1], {"password": value})

    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    unverified.refresh_from_db()
    assert not unverified.is_active
