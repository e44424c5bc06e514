import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User

URL = reverse("accounts:signup")


def valid_data(**overrides):
    data = {
        "full_name": "Dana Doctor",
        "email": "dana.doctor@nhs.net",
        "professional_role": "gp",
        "registration_number": "1234567",
        "practice": "a11111",
        "password1": "purple-otter-lamp-42",
        "password2": "purple-otter-lamp-42",
    }
    data.update(overrides)
    return data


@pytest.fixture
def post(client, practice, django_capture_on_commit_callbacks):
    def do(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, valid_data(**overrides))

    return do


def error_summary_links(response) -> list[str]:
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    return re.findall(
        r'<a href="#([^"]+)"', html.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    )


@pytest.mark.django_db
class TestSignUp:
    def test_page_renders_for_anonymous(self, client, icbs):
        response = client.get(URL)
        assert response.status_code == 200
        assert b"Create an account" in response.content

    def test_valid_sign_up_creates_inactive_user_and_emails_a_link(self, post, client):
        response = post()
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:signup_done")
        user = User.objects.get(email="dana.doctor@nhs.net")
        assert not user.is_active
        assert user.practice.ods_code == "A11111"
        assert user.registration_number == "1234567"
        assert len(mail.outbox) == 1
        link = re.search(r"http://testserver(/accounts/verify/\S+)", mail.outbox[0].body).group(1)

        assert client.get(link).status_code == 200  # asks for the password chosen above
        response = client.post(link, {"password": "purple-otter-lamp-42"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.is_active and user.email_verified_at
        # The link works once.
        assert client.get(link).status_code == 400
        signed_in = client.post(
            reverse("accounts:login"),
            {"username": "dana.doctor@nhs.net", "password": "purple-otter-lamp-42"},
        )
        assert signed_in.status_code == 302

    def test_tampered_verification_link_is_refused(self, client, icbs):
        response = client.get(reverse("accounts:verify_email", args=["MQ", "bad-token"]))
        assert response.status_code == 400
        assert b"This link is not valid" in response.content

    @pytest.mark.parametrize("email", ["dana@gmail.com", "dana@nhs.net.evil.com", "dana@notnhs.uk"])
    def test_email_domain_must_be_accepted(self, post, email):
        response = post(email=email)
        assert response.status_code == 200
        assert error_summary_links(response) == ["id_email"]
        assert "Enter an email address ending in" in response.content.decode()
        assert not User.objects.filter(email=email).exists()

    def test_subdomain_of_accepted_domain_is_accepted(self, post):
        assert post(email="dana@somewhere.nhs.uk").status_code == 302

    @pytest.mark.parametrize("number", ["123456", "12A345", "ABCDEFG"])
    def test_malformed_registration_number_gets_inline_error(self, post, number):
        response = post(registration_number=number)
        assert response.status_code == 200
        assert error_summary_links(response) == ["id_registration_number"]
        assert "Enter a GMC number" in response.content.decode()

    def test_mismatched_passwords_get_inline_error(self, post):
        response = post(password2="something-else-entirely")
        assert error_summary_links(response) == ["id_password2"]
        assert "The passwords do not match" in response.content.decode()

    def test_short_or_common_password_is_refused(self, post):
        response = post(password1="password1234", password2="password1234")
        assert error_summary_links(response) == ["id_password1"]
        assert "too common" in response.content.decode()

    def test_unknown_practice_is_refused(self, post):
        response = post(practice="Z99999")
        assert error_summary_links(response) == ["id_practice"]
        assert "could not find a GP practice" in response.content.decode()

    def test_an_existing_address_gets_the_same_page_and_its_owner_an_email(self, post, clinician):
        """Issue 14, point 5: sign-up no longer says that an account exists."""
        new = post(email="dana.doctor@nhs.net")
        mail.outbox.clear()
        existing = post(email="ALICE@nhs.net", full_name="Mallory Attacker")

        assert existing.status_code == new.status_code == 302
        assert existing["Location"] == new["Location"] == reverse("accounts:signup_done")
        assert User.objects.filter(email="alice@nhs.net").count() == 1
        clinician.refresh_from_db()
        assert clinician.full_name == "Alice Clinician"  # nothing about the account changed
        assert len(mail.outbox) == 1
        note = mail.outbox[0]
        assert note.to == ["alice@nhs.net"]
        assert "tried to create" in note.subject
        assert "/accounts/password_reset/" in note.body
        assert "/accounts/verify/" not in note.body

    def test_the_check_your_email_page_reads_the_same_either_way(self, client, post, clinician):
        post(email="dana.doctor@nhs.net")
        page_new = client.get(reverse("accounts:signup_done")).content.decode()
        post(email="alice@nhs.net")
        page_existing = client.get(reverse("accounts:signup_done")).content.decode()

        def strip_address(html):
            return html.replace("dana.doctor@nhs.net", "X").replace("alice@nhs.net", "X")

        def strip_token(html):
            return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

        assert strip_token(strip_address(page_new)) == strip_token(strip_address(page_existing))

    def test_signing_up_again_before_verifying_sends_a_new_link(
        self, post, client, practice, settings
    ):
        post()
        user = User.objects.get(email="dana.doctor@nhs.net")
        User.objects.filter(pk=user.pk).update(
            date_joined=user.date_joined - datetime.timedelta(hours=3)
        )
        mail.outbox.clear()

        assert post(full_name="Dana D").status_code == 302

        assert User.objects.filter(email="dana.doctor@nhs.net").count() == 1
        assert len(mail.outbox) == 1
        assert "/accounts/verify/" in mail.outbox[0].body

    def test_a_double_click_sends_one_link(self, post):
        post()
        post()
        assert len(mail.outbox) == 1

    def test_values_are_kept_when_the_form_is_redisplayed(self, post):
        response = post(password2="nope-not-the-same")
        html = response.content.decode()
        assert 'value="Dana Doctor"' in html
        assert 'value="dana.doctor@nhs.net"' in html
        assert "purple-otter-lamp-42" not in html  # passwords are never echoed

    def test_domain_setting_controls_acceptance(self, post, settings):
        settings.ACCEPTED_EMAIL_DOMAINS = ["nhs.net"]
        assert post(email="dana@nhs.uk").status_code == 200
        assert post(email="dana@nhs.net").status_code == 302

    def test_signed_in_user_is_sent_home(self, clinician_client):
        assert clinician_client.get(URL)["Location"] == reverse("core:start")


@pytest.mark.django_db
def test_sign_ups_cannot_flood_an_existing_owner_with_email(post, clinician, settings):
    settings.VERIFICATION_RESEND_LIMIT = 2
    for _ in range(5):
        post(email="alice@nhs.net")
    assert len(mail.outbox) == 2
