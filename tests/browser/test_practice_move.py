"""A GP moves to a practice in another ICB; that ICB's admin confirms it (issue 17).

Every page is checked with axe (zero violations) before the test moves on.
"""

from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import check_accessibility
from tests.browser.helpers import sign_in


def _go(page, action):
    action()
    page.wait_for_load_state()
    check_accessibility(page)


def test_gp_moves_to_cheshire_and_merseyside_once_its_admin_confirms(page):
    sign_in(page, "gp@example.org")
    check_accessibility(page)
    _go(page, lambda: page.get_by_role("link", name="Dr Asha Patel (demo)").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    page.get_by_label("Your GP practice's ODS code").fill("X99003")
    _go(page, lambda: page.get_by_role("button", name="Save changes").click())

    notice = page.locator("#practice-move")
    expect(notice).to_contain_text(
        "Your move to Demo Practice C is waiting for Cheshire and Merseyside ICB's admin"
    )
    expect(notice).to_contain_text("Until then you stay at Demo Practice A")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Demo Practice A")
    assert User.objects.get(email="gp@example.org").practice.ods_code == "X99001"
    _go(page, lambda: page.get_by_role("button", name="Sign out").click())

    sign_in(page, "icb.admin.cm@example.org")
    check_accessibility(page)
    _go(page, lambda: page.get_by_role("link", name="Practice moves").first.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice moves to confirm")
    row = page.get_by_role("row", name="Dr Asha Patel (demo)")
    expect(row).to_contain_text("Demo Practice A (X99001)")
    expect(row).to_contain_text("Demo Practice C (X99003)")
    _go(page, lambda: row.get_by_role("button", name="Confirm Dr Asha Patel (demo)'s move").click())
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Dr Asha Patel (demo) is now at Demo Practice C"
    )
    expect(page.get_by_text("There are no moves waiting for you to decide")).to_be_visible()
    assert User.objects.get(email="gp@example.org").practice.ods_code == "X99003"
    _go(page, lambda: page.get_by_role("button", name="Sign out").click())

    sign_in(page, "gp@example.org")
    check_accessibility(page)
    _go(page, lambda: page.get_by_role("link", name="Dr Asha Patel (demo)").click())
    expect(page.locator("#practice-move")).to_contain_text(
        "Your move to Demo Practice C was confirmed"
    )
    expect(page.locator(".nhsuk-summary-list")).to_contain_text(
        "Demo Practice C, Cheshire and Merseyside ICB"
    )
