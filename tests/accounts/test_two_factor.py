"""Two-factor authentication: set-up from the profile, the second sign-in step, backup codes,
the lock after wrong codes, and admins held at the second factor where it is required."""

import contextlib

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import two_factor_locked
from tests.factories import TEST_PASSWORD
from tests.two_factor import add_two_factor, totp_code

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")
BACKUP_CODES = reverse("accounts:two_factor_backup_codes")
PROFILE = reverse("accounts:profile")
WRONG_CODE = "The code is not correct"


def sign_in(client, email, password=TEST_PASSWORD, next_url=None, ip="10.0.0.1"):
    url = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


@pytest.mark.django_db
class TestSetUp:
    def test_profile_offers_set_up(self, clinician_client):
        html = clinician_client.get(PROFILE).content.decode()
        assert "Two-factor authentication" in html
        assert f'href="{SETUP}"' in html

    def test_set_up_page_shows_a_qr_code_and_the_key(self, clinician_client, clinician):
        response = clinician_client.get(SETUP)
        assert response.status_code == 200
        html = response.content.decode()
        device = TOTPDevice.objects.get(user=clinician)
        assert not device.confirmed
        assert '<svg role="img" aria-label="QR code' in html
        assert 'id="two-factor-key"' in html
        from accounts.two_factor import totp_secret

        assert totp_secret(device) in html
        assert "style=" not in html
        # Reloading keeps the same key, so a half-scanned code stays valid.
        clinician_client.get(SETUP)
        assert TOTPDevice.objects.filter(user=clinician).count() == 1

    def test_right_code_turns_it_on_and_shows_backup_codes_once(self, clinician_client, clinician):
        clinician_client.get(SETUP)
        device = TOTPDevice.objects.get(user=clinician)
        response = clinician_client.post(SETUP, {"code": totp_code(device)})
        assert response.status_code == 302
        assert response["Location"] == BACKUP_CODES
        device.refresh_from_db()
        assert device.confirmed
        assert verified(clinician_client)  # this session has used the new factor

        page = clinician_client.get(BACKUP_CODES)
        html = page.content.decode()
        codes = list(StaticToken.objects.filter(device__user=clinician))
        assert len(codes) == 10
        for token in codes:
            assert token.token in html
        assert page["Cache-Control"].startswith("max-age=0")
        # Shown once: a second visit does not show them again.
        again = clinician_client.get(BACKUP_CODES, follow=True)
        assert codes[0].token not in again.content.decode()

        profile = clinician_client.get(PROFILE).content.decode()
        assert "You have 10 unused backup codes" in profile

    def test_wrong_code_gets_an_inline_error_and_nothing_changes(self, clinician_client, clinician):
        clinician_client.get(SETUP)
        device = TOTPDevice.objects.get(user=clinician)
        wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
        response = clinician_client.post(SETUP, {"code": wrong})
        assert response.status_code == 200
        html = response.content.decode()
        assert "nhsuk-error-summary" in html
        assert 'href="#id_code"' in html
        assert "nhsuk-error-message" in html
        assert WRONG_CODE in html
        assert "<title>Error: Set up two-factor authentication" in html
        device.refresh_from_db()
        assert not device.confirmed
        assert not StaticToken.objects.filter(device__user=clinician).exists()

    @pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
    def test_malformed_code_is_refused(self, clinician_client, code):
        clinician_client.get(SETUP)
        response = clinician_client.post(SETUP, {"code": code})
        assert response.status_code == 200
        assert b"Enter the 6-digit code from your authenticator app" in response.content

    def test_user_with_two_factor_is_sent_back_to_profile(self, client, clinician):
        device, _ = add_two_factor(clinician)
        sign_in(client, clinician.email)
        client.post(VERIFY, {"code": totp_code(device)})
        response = client.get(SETUP)
        assert response["Location"] == PROFILE


@pytest.mark.django_db
class TestSignIn:
    def test_user_without_two_factor_signs_in_with_a_password(self, client, clinician):
        response = sign_in(client, clinician.email)
        assert response["Location"] == reverse("core:start")
        assert signed_in(client)

    def test_password_alone_does_not_sign_in_a_user_with_two_factor(self, client, clinician):
        add_two_factor(clinician)
        client.get(LOGIN)
        client.session.save()
        before = client.session.session_key
        response = sign_in(client, clinician.email)
        assert response["Location"] == VERIFY
        assert not signed_in(client)
        assert client.session.session_key != before
        # Nothing else can be opened part-way through.
        assert client.get(PROFILE)["Location"].startswith(LOGIN)

        page = client.get(VERIFY)
        assert page.status_code == 200
        assert b"Enter your security code" in page.content

    def test_totp_code_finishes_signing_in(self, client, clinician):
        device, _ = add_two_factor(clinician)
        sign_in(client, clinician.email, next_url=PROFILE)
        pending_key = client.session.session_key
        response = client.post(VERIFY, {"code": totp_code(device)})
        assert response.status_code == 302
        assert response["Location"] == PROFILE
        assert signed_in(client)
        assert verified(client)
        assert client.session.session_key != pending_key
        assert client.get(PROFILE).status_code == 200

    def test_code_with_spaces_is_accepted(self, client, clinician):
        device, _ = add_two_factor(clinician)
        sign_in(client, clinician.email)
        code = totp_code(device)
        client.post(VERIFY, {"code": f" {code[:3]} {code[3:]} "})
        assert signed_in(client)

    def test_wrong_code_gets_an_inline_nhs_error(self, client, clinician):
        device, _ = add_two_factor(clinician)
        sign_in(client, clinician.email)
        wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
        response = client.post(VERIFY, {"code": wrong})
        assert response.status_code == 200
        html = response.content.decode()
        assert "nhsuk-error-summary" in html
        assert 'href="#id_code"' in html
        assert 'class="nhsuk-error-message"' in html or "nhsuk-error-message" in html
        assert WRONG_CODE in html
        assert "<title>Error: Enter your security code" in html
        assert not signed_in(client)

    def test_a_code_is_accepted_only_once(self, clinician):
        device, _ = add_two_factor(clinician)
        first, second = Client(), Client()
        code = totp_code(device)
        sign_in(first, clinician.email)
        first.post(VERIFY, {"code": code})
        assert signed_in(first)
        sign_in(second, clinician.email)
        second.post(VERIFY, {"code": code})
        assert not signed_in(second)

    def test_backup_code_works_once(self, clinician):
        _, codes = add_two_factor(clinician)
        first = Client()
        sign_in(first, clinician.email)
        response = first.post(VERIFY, {"code": codes[0].upper()}, follow=True)
        assert signed_in(first)
        assert verified(first)
        assert "You used a backup code. You have 9 left" in response.content.decode()

        second = Client()
        sign_in(second, clinician.email)
        response = second.post(VERIFY, {"code": codes[0]})
        assert WRONG_CODE in response.content.decode()
        assert not signed_in(second)
        second.post(VERIFY, {"code": codes[1]})
        assert signed_in(second)

    def test_step_two_without_step_one_goes_back_to_sign_in(self, client, icbs):
        response = client.get(VERIFY)
        assert response["Location"] == LOGIN

    def test_pending_sign_in_is_cancelled_by_a_password_change(self, client, clinician):
        device, _ = add_two_factor(clinician)
        sign_in(client, clinician.email)
        clinician.set_password("another-long-passphrase")
        clinician.save()
        response = client.post(VERIFY, {"code": totp_code(device)})
        assert response["Location"] == LOGIN
        assert not signed_in(client)

    def test_wrong_password_is_still_throttled_by_axes(self, client, clinician, settings):
        add_two_factor(clinician)
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert sign_in(client, clinician.email, "wrong-password-guess").status_code == 200
        assert sign_in(client, clinician.email, "wrong-password-guess").status_code == 429
        assert sign_in(client, clinician.email).status_code == 429
        # From the clinician's own address the password step still works.
        assert sign_in(client, clinician.email, ip="10.9.9.9")["Location"] == VERIFY


@pytest.mark.django_db
class TestLock:
    def wrong(self, device):
        return f"{(int(totp_code(device)) + 500_000) % 1_000_000:06d}"

    def test_five_wrong_codes_lock_the_second_step(self, client, clinician, settings):
        device, codes = add_two_factor(clinician)
        sign_in(client, clinician.email)
        for _ in range(settings.OTP_FAILURE_LIMIT - 1):
            response = client.post(VERIFY, {"code": self.wrong(device)})
            assert response.status_code == 200
        response = client.post(VERIFY, {"code": "zzzzzzzz"})  # a wrong backup code counts too
        assert response.status_code == 429
        html = response.content.decode()
        assert "Too many incorrect security codes" in html
        assert "you cannot finish signing in for 15 minutes" in html
        assert not signed_in(client)
        assert two_factor_locked(user=clinician)

        # The half-finished sign-in is gone, and a fresh one is locked too: a right code fails.
        assert client.get(VERIFY)["Location"] == LOGIN
        other = Client()
        sign_in(other, clinician.email, ip="10.9.9.9")
        response = other.post(VERIFY, {"code": totp_code(device)})
        assert response.status_code == 429
        assert not signed_in(other)

    def test_lock_ends_after_the_cool_off(self, client, clinician, settings):
        device, _ = add_two_factor(clinician)
        sign_in(client, clinician.email)
        for _ in range(settings.OTP_FAILURE_LIMIT):
            client.post(VERIFY, {"code": self.wrong(device)})
        assert two_factor_locked(user=clinician)
        device.refresh_from_db()
        device.throttling_failure_timestamp -= settings.OTP_LOCKOUT_TIME
        device.save()
        assert not two_factor_locked(user=clinician)
        sign_in(client, clinician.email)
        client.post(VERIFY, {"code": totp_code(device)})
        assert signed_in(client)
        device.refresh_from_db()
        assert device.throttling_failure_count == 0

    def test_right_code_clears_earlier_failures(self, client, clinician):
        device, _ = add_two_factor(clinician)
        sign_in(client, clinician.email)
        for _ in range(3):
            client.post(VERIFY, {"code": self.wrong(device)})
        client.post(VERIFY, {"code": totp_code(device)})
        assert signed_in(client)
        device.refresh_from_db()
        assert device.throttling_failure_count == 0


@pytest.mark.django_db
class TestBackupCodesAndTurnOff:
    def verified_client(self, user):
        device, codes = add_two_factor(user)
        client = Client()
        sign_in(client, user.email)
        client.post(VERIFY, {"code": totp_code(device)})
        assert verified(client)
        return client, codes

    def test_new_backup_codes_replace_the_old(self, clinician):
        client, old = self.verified_client(clinician)
        response = client.post(reverse("accounts:two_factor_new_backup_codes"))
        assert response["Location"] == BACKUP_CODES
        html = client.get(BACKUP_CODES).content.decode()
        tokens = set(
            StaticToken.objects.filter(device__user=clinician).values_list("token", flat=True)
        )
        assert len(tokens) == 10
        assert not tokens & set(old)
        assert all(token in html for token in tokens)

    def test_unverified_session_cannot_get_new_codes(self, clinician_client, clinician):
        add_two_factor(clinician)
        response = clinician_client.post(reverse("accounts:two_factor_new_backup_codes"))
        assert response["Location"] == VERIFY

    def test_turn_off(self, clinician):
        client, _ = self.verified_client(clinician)
        url = reverse("accounts:two_factor_turn_off")
        assert client.get(url).status_code == 200
        response = client.post(url)
        assert response["Location"] == PROFILE
        assert not TOTPDevice.objects.filter(user=clinician).exists()
        assert not StaticToken.objects.filter(device__user=clinician).exists()
        assert sign_in(Client(), clinician.email)["Location"] == reverse("core:start")

    def test_admin_cannot_turn_it_off_where_it_is_required(self, icb_admin, settings):
        settings.OTP_REQUIRED_FOR_ADMINS = True
        client, _ = self.verified_client(icb_admin)
        assert b"Turn off two-factor" not in client.get(PROFILE).content
        assert client.post(reverse("accounts:two_factor_turn_off")).status_code == 403
        assert TOTPDevice.objects.filter(user=icb_admin).exists()


def admin_only_paths() -> list[str]:
    paths = [reverse("referrals:manage"), reverse("admin:index")]
    with contextlib.suppress(NoReverseMatch):  # the reports may not be built yet
        paths.append(reverse("reporting:dashboard"))
    return paths


@pytest.mark.django_db
class TestRequiredForAdmins:
    @pytest.fixture(autouse=True)
    def required(self, settings):
        settings.OTP_REQUIRED_FOR_ADMINS = True

    @pytest.mark.parametrize("persona", ["icb_admin", "site_admin"])
    def test_admin_without_a_device_is_sent_to_set_up(self, persona, request):
        client = request.getfixturevalue(f"{persona}_client")
        for path in [*admin_only_paths(), PROFILE, reverse("core:start")]:
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"].startswith(f"{SETUP}?next="), path

    def test_reporting_is_refused_without_a_second_factor(self, icb_admin_client):
        try:
            url = reverse("reporting:dashboard")
        except NoReverseMatch:
            pytest.skip("reporting:dashboard does not exist yet")
        assert icb_admin_client.get(url)["Location"].startswith(SETUP)

    def test_admin_with_a_device_but_unverified_session_is_sent_to_enter_a_code(
        self, icb_admin, icb_admin_client
    ):
        add_two_factor(icb_admin)
        manage = reverse("referrals:manage")
        response = icb_admin_client.get(manage)
        assert response["Location"] == f"{VERIFY}?next={manage.replace('/', '%2F')}"

    def test_pages_open_before_the_second_factor(self, icb_admin_client):
        assert icb_admin_client.get(SETUP).status_code == 200
        assert icb_admin_client.get(reverse("core:healthz")).status_code == 200
        assert icb_admin_client.post(reverse("accounts:logout")).status_code == 200

    def test_set_up_then_carries_on_to_the_page_asked_for(self, icb_admin_client, icb_admin):
        manage = reverse("referrals:manage")
        setup_url = icb_admin_client.get(manage)["Location"]
        page = icb_admin_client.get(setup_url)
        assert b"Admins must set up two-factor authentication" in page.content
        device = TOTPDevice.objects.get(user=icb_admin)
        response = icb_admin_client.post(setup_url, {"code": totp_code(device)})
        assert response["Location"].startswith(BACKUP_CODES)
        codes_page = icb_admin_client.get(response["Location"])
        assert f'href="{manage}"' in codes_page.content.decode()
        for path in admin_only_paths():
            response = icb_admin_client.get(path)
            assert not response.get("Location", "").startswith(SETUP), path

    @pytest.mark.parametrize("persona", ["icb_admin", "site_admin"])
    def test_verified_admin_gets_through(self, persona, request):
        user = request.getfixturevalue(persona)
        device, _ = add_two_factor(user)
        client = Client()
        sign_in(client, user.email)
        client.post(VERIFY, {"code": totp_code(device)})
        assert verified(client)
        for path in admin_only_paths():
            response = client.get(path, follow=True)
            # Site admins reach every page; an ICB admin is refused Django's admin by its role.
            expected = 403 if persona == "icb_admin" and path.startswith("/admin/") else 200
            assert response.status_code == expected, path

    def test_admin_sites_own_sign_in_cannot_skip_the_second_factor(self, client, site_admin):
        add_two_factor(site_admin)
        response = client.get("/admin/login/?next=/admin/")
        assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"
        response = client.post(
            "/admin/login/", {"username": site_admin.email, "password": TEST_PASSWORD}
        )
        assert not signed_in(client)

    def test_clinicians_are_not_asked(self, clinician_client):
        assert clinician_client.get(PROFILE).status_code == 200

    def test_off_in_test_settings_by_default(self, icb_admin_client, settings):
        settings.OTP_REQUIRED_FOR_ADMINS = False
        assert icb_admin_client.get(reverse("referrals:manage")).status_code == 200


def test_required_in_production_settings_only():
    import importlib

    from config.settings import base

    assert base.OTP_REQUIRED_FOR_ADMINS is False
    source = importlib.util.find_spec("config.settings.production").origin
    with open(source, encoding="utf-8") as fh:
        assert "OTP_REQUIRED_FOR_ADMINS = True" in fh.read()


@pytest.mark.django_db
def test_site_admins_never_see_keys_or_backup_codes_in_the_admin(site_admin_client, clinician):
    device, codes = add_two_factor(clinician)
    html = site_admin_client.get(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    ).content.decode()
    assert device.key not in html
    assert "qrcode" not in html
    static = StaticToken.objects.filter(device__user=clinician).first().device
    html = site_admin_client.get(
        reverse("admin:otp_static_staticdevice_change", args=[static.pk])
    ).content.decode()
    assert not any(code in html for code in codes)
