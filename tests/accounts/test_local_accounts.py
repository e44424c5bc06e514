"""LOCAL_ACCOUNTS_ENABLED: on, local accounts work as ever; off, only site admins use a password.

With the setting off, sign-up, email verification and password sign-in and reset say local
accounts are turned off and to sign in with NHS CIS2 (ask your organisation's administrator),
never with an error; site admins can still sign in, so the service can be administered.
"""

import html as html_lib
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.services import email_verification_token
from tests import factories
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SIGNUP = reverse("accounts:signup")
RESET = reverse("accounts:password_reset")
OFF = "Local accounts are turned off"
ASK = "ask your organisation's administrator"


@pytest.fixture
def local_accounts_off(settings):
    settings.LOCAL_ACCOUNTS_ENABLED = False


def text(response) -> str:
    """Return the page as a reader sees it, entities decoded."""
    return html_lib.unescape(response.content.decode())


def sign_in(client, email):
    return client.post(LOGIN, {"username": email, "password": TEST_PASSWORD})


def reset_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", args=[uid, token])


SIGN_UP_DATA = {
    "full_name": "Dana Doctor",
    "email": "dana.doctor@nhs.net",
    "professional_role": "gp",
    "practice": "a11111",
    "password1": "purple-otter-lamp-42",
    "password2": "purple-otter-lamp-42",
}


class TestOn:
    def test_is_the_default(self, settings):
        assert settings.LOCAL_ACCOUNTS_ENABLED is True

    def test_sign_up_and_sign_in_work(self, client, clinician):
        page = text(client.get(SIGNUP))
        assert "Create an account" in page and OFF not in page
        login = text(client.get(LOGIN))
        assert OFF not in login
        assert "New to Spotting Stalking?" in login
        assert sign_in(client, clinician.email).status_code == 302

    def test_a_clinician_can_reset_their_password(self, client, clinician):
        client.post(RESET, {"email": clinician.email})
        assert len(mail.outbox) == 1
        page = text(client.get(reset_link(clinician), follow=True))
        assert "Choose a new password" in page


@pytest.mark.usefixtures("local_accounts_off")
class TestOff:
    @pytest.mark.parametrize(
        "name,kwargs",
        [
            ("accounts:signup", None),
            ("accounts:signup_done", None),
            ("accounts:verification_resend", None),
            ("accounts:verification_sent", None),
            ("accounts:verify_email", {"uidb64": "MQ", "token": "bad-token"}),
        ],
    )
    def test_account_pages_say_so(self, client, icbs, name, kwargs):
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200
        html = text(response)
        assert f"<h1>{OFF}</h1>" in html
        assert "NHS CIS2" in html
        assert ASK in html.lower()

    def test_a_sign_up_sent_anyway_is_refused_and_makes_nothing(self, client, practice):
        response = client.post(SIGNUP, SIGN_UP_DATA)
        assert response.status_code == 403
        assert OFF in text(response)
        assert not User.objects.filter(email="dana.doctor@nhs.net").exists()
        assert mail.outbox == []

    def test_a_verification_link_activates_nothing(self, client, practice):
        user = factories.UserFactory(
            email="new@nhs.net", practice=practice, is_active=False, email_verified_at=None
        )
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        url = reverse(
            "accounts:verify_email", args=[uid, email_verification_token.make_token(user)]
        )
        response = client.post(url, {"password": TEST_PASSWORD})
        assert response.status_code == 403
        user.refresh_from_db()
        assert not user.is_active

    def test_sign_in_page_says_so_and_offers_no_sign_up(self, client, icbs):
        html = text(client.get(LOGIN))
        assert OFF in html and ASK in html.lower()
        assert "New to Spotting Stalking?" not in html  # (the header's link shows the notice)

    def test_a_clinician_with_the_right_password_is_not_signed_in(self, client, clinician):
        response = sign_in(client, clinician.email)
        assert response.status_code == 200
        html = text(response)
        assert "nhsuk-error-summary" in html
        assert "Sign in with NHS CIS2 instead" in html and ASK in html.lower()
        assert "_auth_user_id" not in client.session

    @pytest.mark.parametrize("fixture", ["icb_admin", "other_icb_admin"])
    def test_icb_admins_are_not_signed_in_either(self, client, request, fixture):
        user = request.getfixturevalue(fixture)
        assert sign_in(client, user.email).status_code == 200
        assert "_auth_user_id" not in client.session

    def test_a_wrong_password_still_says_only_that(self, client, clinician):
        response = client.post(LOGIN, {"username": clinician.email, "password": "wrong-one"})
        html = text(response)
        assert "Enter a correct email address and password" in html
        assert "NHS CIS2 instead" not in html  # nothing said about the account without it

    def test_an_unconfirmed_account_is_told_so_not_offered_a_link(self, client, practice):
        factories.UserFactory(
            email="new@nhs.net", practice=practice, is_active=False, email_verified_at=None
        )
        html = text(sign_in(client, "new@nhs.net"))
        assert "NHS CIS2 instead" in html
        assert "Send a new link" not in html

    def test_a_site_admin_can_still_sign_in(self, client, site_admin):
        assert sign_in(client, site_admin.email).status_code == 302
        assert client.session["_auth_user_id"] == str(site_admin.pk)

    def test_password_reset_page_says_so_and_emails_only_site_admins(
        self, client, clinician, site_admin
    ):
        page = client.get(RESET)
        assert page.status_code == 200
        assert OFF in text(page)
        assert client.post(RESET, {"email": clinician.email}).status_code == 302
        assert mail.outbox == []
        assert client.post(RESET, {"email": site_admin.email}).status_code == 302
        assert len(mail.outbox) == 1
        assert re.search(r"/accounts/reset/\S+", mail.outbox[0].body)

    def test_an_earlier_reset_link_works_only_for_a_site_admin(self, client, clinician, site_admin):
        refused = text(client.get(reset_link(clinician), follow=True))
        assert "Choose a new password" not in refused
        assert OFF in refused and ASK in refused.lower()
        allowed = text(client.get(reset_link(site_admin), follow=True))
        assert "Choose a new password" in allowed
