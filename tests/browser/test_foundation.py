"""The foundation as a person meets it: start, sign-in, sign-up, profile and error pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.helpers import sign_in

ROLES = [
    ("gp@example.org", ["Your profile"], "GP at Demo Practice A"),
    ("nurse@example.org", ["Your profile"], "Practice nurse at Demo Practice B"),
    ("gp.cm@example.org", ["Your profile"], "GP at Demo Practice C"),
    ("icb.admin@example.org", ["Your profile"], "ICB admin for West Yorkshire ICB"),
    ("icb.admin.cm@example.org", ["Your profile"], "ICB admin for Cheshire and Merseyside ICB"),
    ("admin@example.org", ["Site administration"], "site admin"),
]


def test_start_page_for_anonymous_is_styled_and_accessible(page):
    page.goto("/")
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Spotting Stalking")
    # Styled by NHS.UK frontend: the header is NHS blue.
    header_colour = page.locator("header.nhsuk-header").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert header_colour == "rgb(0, 94, 184)"


@pytest.mark.parametrize("email,links,description", ROLES)
def test_each_demo_role_signs_in_and_sees_its_navigation(page, email, links, description):
    sign_in(page, email)
    expect(page).to_have_url(re.compile(r"/$"))
    check_accessibility(page)
    expect(page.locator(".nhsuk-lede-text")).to_contain_text(description)
    for link in links:
        expect(page.get_by_role("link", name=link).first).to_be_visible()
    if email != "admin@example.org":
        expect(page.get_by_role("link", name="Site administration")).to_have_count(0)

    page.get_by_role("link", name="Your profile").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")


def test_wrong_password_shows_error_summary_and_focuses_it(page):
    sign_in(page, "gp@example.org", "not-the-right-password")
    check_accessibility(page)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))


def test_sign_up_errors_are_inline_and_linked(page):
    page.goto("/accounts/signup/")
    check_accessibility(page)
    page.get_by_label("Full name").fill("Test Person")
    page.get_by_label("Work email address").fill("test@gmail.com")
    page.get_by_label("GP", exact=True).check()
    page.get_by_label("GMC or NMC number (optional)").fill("12345")
    page.get_by_label("Your GP practice's ODS code").fill("X99001")
    page.get_by_label("Create a password").fill("a-long-enough-passphrase")
    page.get_by_label("Confirm your password").fill("a-different-passphrase")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    check_accessibility(page)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link")).to_have_count(3)
    expect(page.locator("#id_email-error, .nhsuk-error-message").first).to_be_visible()
    # The summary's link moves focus to the field.
    summary.get_by_role("link", name=re.compile("GMC number")).click()
    expect(page.locator("#id_registration_number")).to_be_focused()


def test_error_pages_are_styled_and_accessible(page, settings):
    page.goto("/no-such-page/")
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    settings.ROOT_URLCONF = "tests.core.failing_urls"
    page.goto("/boom/")
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sorry, there is a problem with the service"
    )
    sign_in(page, "gp@example.org")
    page.goto("/forbidden/")
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")


def test_skip_link_is_first_and_works_by_keyboard(page):
    page.goto("/")
    check_accessibility(page)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#maincontent$"))


def test_sign_in_and_out_work_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("nurse@example.org")
    page.get_by_label("Password", exact=True).fill("spotting-stalking-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Practice nurse at Demo Practice B")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
