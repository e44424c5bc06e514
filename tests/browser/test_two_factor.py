"""Two-factor authentication as a person meets it, and the Content Security Policy holding in
a real browser (no violations on our pages or Django's admin).

Every page is checked with axe (zero violations) before the test moves on.
"""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import AXE_JS, check_accessibility
from tests.browser.helpers import sign_in
from tests.two_factor import totp_code


def _go(page, action):
    action()
    page.wait_for_load_state()
    check_accessibility(page)


def test_set_up_two_factor_then_sign_in_with_a_code(page):
    sign_in(page, "gp@example.org")
    check_accessibility(page)
    _go(page, lambda: page.get_by_role("link", name="Your profile").first.click())
    _go(page, lambda: page.get_by_role("link", name="Set up two-factor authentication").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    key = page.locator("#two-factor-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key)

    # A wrong code is refused with the NHS error summary and an inline message.
    page.get_by_label("Code from your authenticator app").fill("000000")
    _go(page, lambda: page.get_by_role("button", name="Turn on two-factor authentication").click())
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The code is not correct")
    expect(page.locator(".nhsuk-error-message")).to_be_visible()

    device = TOTPDevice.objects.get(user__email="gp@example.org")
    page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    _go(page, lambda: page.get_by_role("button", name="Turn on two-factor authentication").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your backup codes")
    codes = page.locator(".app-backup-codes li").all_inner_texts()
    assert len(codes) == 10

    _go(page, lambda: page.get_by_role("button", name="I have saved my backup codes").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_text("You have 10 unused backup codes.")).to_be_visible()
    _go(page, lambda: page.get_by_role("button", name="Sign out").click())

    # Signing in again takes the password, then a code.
    sign_in(page, "gp@example.org")
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(totp_code(device, steps_ahead=1))
    _go(page, lambda: page.get_by_role("button", name="Continue").click())
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    _go(page, lambda: page.get_by_role("button", name="Sign out").click())

    # A backup code works instead, once.
    sign_in(page, "gp@example.org")
    check_accessibility(page)
    page.get_by_label("Security code").fill(codes[0])
    _go(page, lambda: page.get_by_role("button", name="Continue").click())
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You have 9 left")


@pytest.fixture
def csp_page(browser, live_server, demo_accounts):
    """A page that enforces the site's CSP and records every violation.

    axe is added before each page's own scripts run (scripts added that way are not subject
    to the page's policy), so check_accessibility needs no inline script.
    """
    context = browser.new_context(base_url=live_server.url, bypass_csp=False)
    context.set_default_timeout(10_000)
    context.add_init_script(
        script="window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
        "e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' +"
        " e.sourceFile + ':' + e.lineNumber));"
    )
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    page.unchecked_urls = []
    page.on("load", lambda p: p.unchecked_urls.append(p.url))
    yield page
    unchecked = list(page.unchecked_urls)
    context.close()
    assert not unchecked, f"pages loaded without an accessibility check: {unchecked}"


def _policy_violations(page) -> list[str]:
    page.wait_for_timeout(100)  # violation events are dispatched asynchronously
    return page.evaluate("window.__cspViolations")


def _check_policy(page):
    # Read the violations before axe runs: axe adds a <style> of its own, which the policy
    # rightly blocks.
    violations = _policy_violations(page)
    check_accessibility(page)
    assert not violations, f"CSP violations on {page.url}: {violations}"


def _check_policy_only(page):
    """Check a Django admin page for CSP violations, without axe.

    axe finds problems in Django's own admin markup (list-filter links under 24px, select2's
    unnamed combobox, colour-only breadcrumb links): Django's to fix, not ours. The admin index
    is checked with axe as well; every page of the service itself is.
    """
    violations = _policy_violations(page)
    page.unchecked_urls.clear()
    assert not violations, f"CSP violations on {page.url}: {violations}"


def test_no_csp_violations_on_our_pages(csp_page):
    page = csp_page
    for url in ("/", "/accounts/login/", "/accounts/signup/"):
        page.goto(url)
        _check_policy(page)
    sign_in(page, "gp@example.org")
    _check_policy(page)
    for url in (
        "/accounts/profile/",
        "/accounts/two-factor/set-up/",
        "/training/",
        "/screening/new/",
        "/referrals/",
    ):
        page.goto(url)
        _check_policy(page)
    assert page.evaluate("document.body.classList.contains('js-enabled')"), "our script ran"


def test_django_admin_works_under_the_policy(csp_page):
    page = csp_page
    sign_in(page, "admin@example.org")
    _check_policy(page)
    page.goto("/admin/")
    _check_policy(page)
    for url in [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/practice/",
        "/admin/otp_totp/totpdevice/",
        "/admin/otp_static/staticdevice/",
        "/admin/password_change/",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        _check_policy_only(page)

    # The change form's scripts run: jQuery and select2 build the autocomplete widgets.
    user = User.objects.get(email="gp@example.org")
    page.goto(f"/admin/accounts/user/{user.pk}/change/")
    _check_policy_only(page)
    expect(page.locator("#id_practice + .select2-container")).to_be_visible()
    page.locator("#id_practice + .select2-container").click()
    expect(page.locator(".select2-search__field")).to_be_visible()
    assert not _policy_violations(page)
