"""Issue 14, point 6, tried as a new user would: sign up, let the link expire, be told at
sign-in why it fails, ask for a new link, verify, sign in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility

EMAIL = "new.nurse@example.org"
PASSWORD = "violet-harbour-kettle-58"
LINK = re.compile(r"http://[^/\s]+(/accounts/verify/[^/\s]+/[^/\s]+/)")
SHOTS = "var/screenshots"


def latest_link() -> str:
    return LINK.findall(mail.outbox[-1].body)[-1]


@pytest.mark.parametrize("width", [1024, 320])
def test_an_expired_link_leads_back_to_a_working_account(page, settings, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/signup/")
    check_accessibility(page)
    page.get_by_label("Full name").fill("Nia Nurse")
    page.get_by_label("Work email address").fill(EMAIL)
    page.get_by_label("Practice nurse", exact=True).check()
    page.get_by_label("Your GP practice's ODS code").fill("X99001")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    first_link = latest_link()

    # The link is lost or too old: signing in says why, and offers a new one.
    settings.PASSWORD_RESET_TIMEOUT = -1
    page.goto("/accounts/login/")
    check_accessibility(page)
    page.get_by_label("Email address", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "You have not confirmed your email address yet"
    )
    page.screenshot(path=f"{SHOTS}/unverified-sign-in-{width}.png", full_page=True)

    page.goto(first_link)
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not valid")
    expect(page.get_by_text("create your account again")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/expired-link-{width}.png", full_page=True)
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Send a new link").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    sent = len(mail.outbox)
    assert sent >= 2

    settings.PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
    page.goto(latest_link())
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm my email address").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.locator("body")).to_contain_text("Your email address is confirmed")

    page.get_by_label("Email address", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(
        page.get_by_role("link", name="Sign out")
        .or_(page.get_by_role("button", name="Sign out"))
        .first
    ).to_be_visible()


def test_the_resend_route_works_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/accounts/verify/new-link/")
    page.get_by_label("Email address").fill("someone@example.org")
    page.get_by_role("button", name="Send a new link").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
