import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

LOGIN = reverse("accounts:login")


def sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
class TestSignIn:
    def test_correct_password_signs_in_and_goes_home(self, client, clinician):
        response = sign_in(client, "Alice@NHS.net", TEST_PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("core:start")
        assert client.session["_auth_user_id"] == str(clinician.pk)

    def test_session_key_is_rotated_at_sign_in(self, client, clinician):
        client.get(LOGIN)
        client.session.save()
        before = client.session.session_key
        sign_in(client, clinician.email, TEST_PASSWORD)
        assert client.session.session_key != before

    def test_wrong_password_shows_error_summary(self, client, clinician):
        response = sign_in(client, clinician.email, "not-the-password")
        assert response.status_code == 200
        html = response.content.decode()
        assert "nhsuk-error-summary" in html
        assert "There is a problem" in html
        assert "Enter a correct email address and password" in html
        assert "<title>Error: Sign in" in html
        assert "_auth_user_id" not in client.session

    def test_unverified_user_cannot_sign_in(self, client, clinician):
        clinician.is_active = False
        clinician.save()
        response = sign_in(client, clinician.email, TEST_PASSWORD)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_sign_out_needs_post_and_ends_the_session(self, clinician_client):
        assert clinician_client.get(reverse("accounts:logout")).status_code == 405
        response = clinician_client.post(reverse("accounts:logout"))
        assert response.status_code == 200
        assert "_auth_user_id" not in clinician_client.session


@pytest.mark.django_db
class TestThrottling:
    def test_repeated_failures_lock_that_username_from_that_address_only(
        self, client, clinician, settings
    ):
        for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            # Changing the case of the address does not dodge the count.
            email = clinician.email.upper() if attempt % 2 else clinician.email
            assert sign_in(client, email, "wrong-password-guess").status_code == 200
        assert sign_in(client, clinician.email, "wrong-password-guess").status_code == 429
        locked = sign_in(client, clinician.email, TEST_PASSWORD)
        assert locked.status_code == 429
        assert b"Too many attempts to sign in" in locked.content

        # The clinician, from their own machine, is not locked out by the attacker.
        response = sign_in(client, clinician.email, TEST_PASSWORD, ip="10.9.9.9")
        assert response.status_code == 302

    def test_behind_a_load_balancer_the_forwarded_client_is_locked_not_the_balancer(
        self, client, clinician, settings
    ):
        settings.TRUSTED_PROXY_COUNT = 1
        balancer = "10.0.0.254"

        def via_balancer(password, client_ip, claimed=""):
            forwarded = f"{claimed}, {client_ip}" if claimed else client_ip
            return client.post(
                reverse("accounts:login"),
                {"username": clinician.email, "password": password},
                REMOTE_ADDR=balancer,
                HTTP_X_FORWARDED_FOR=forwarded,
            )

        # The attacker varies the address they claim; the balancer's own entry gives them away.
        for n in range(settings.AXES_FAILURE_LIMIT):
            via_balancer("wrong-password-guess", "203.0.113.7", claimed=f"198.51.100.{n}")
        assert via_balancer(TEST_PASSWORD, "203.0.113.7").status_code == 429
        # The clinician reaches the same balancer from elsewhere and signs in.
        assert via_balancer(TEST_PASSWORD, "192.0.2.10").status_code == 302
