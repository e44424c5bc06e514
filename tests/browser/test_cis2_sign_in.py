"""A GP of a demo practice signs in through the test NHS CIS2 provider and lands on "My
training" with the right practice and ICB (issue 17); someone at an organisation the service
does not know gets a page that says why. Every page is checked with axe."""

import pytest
from django.urls import reverse
from joserfc.jwk import RSAKey
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import check_accessibility
from tests.cis2.provider import CLIENT_ID, Identity, Provider


@pytest.fixture
def cis2_provider(settings, live_server):
    provider = Provider().start()
    settings.CIS2_ISSUER = provider.issuer
    settings.CIS2_CLIENT_ID = CLIENT_ID
    settings.CIS2_PRIVATE_KEY = RSAKey.generate_key(2048).as_pem(private=True).decode()
    provider.client_jwks_url = live_server.url + reverse("accounts:cis2_jwks")
    provider.redirect_uris = {live_server.url + reverse("accounts:cis2_callback")}
    yield provider
    provider.stop()


def _sign_in_with_cis2(page) -> None:
    page.goto("/accounts/login/")
    check_accessibility(page)
    page.get_by_role("button", name="Sign in with NHS CIS2").click()
    page.wait_for_load_state()
    check_accessibility(page)


def test_a_gp_signs_in_with_cis2_and_lands_on_my_training(page, cis2_provider):
    cis2_provider.identity = Identity.at("X99001", given_name="Grace", family_name="Okoro")
    _sign_in_with_cis2(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "You are signed in with NHS CIS2 as GP at Demo Practice A (X99001) in West Yorkshire ICB"
    )
    user = User.objects.get(cis2_sub="910000000001")
    assert (user.practice.ods_code, user.home_icb.ods_code) == ("X99001", "QWO")

    page.get_by_role("link", name="Grace Okoro").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.locator(".nhsuk-summary-list")).to_contain_text(
        "Demo Practice A, West Yorkshire ICB"
    )
    expect(page.get_by_text("Your name, role and organisation come from NHS CIS2")).to_be_visible()


def test_someone_at_an_unknown_organisation_is_told_why_and_whom_to_contact(page, cis2_provider):
    cis2_provider.identity = Identity.at("Z98765")
    _sign_in_with_cis2(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your organisation is not set up on this service"
    )
    expect(page.get_by_text("give them the ODS code Z98765")).to_be_visible()
    assert not User.objects.filter(cis2_sub="910000000001").exists()
