"""A service's own page in the browser: a GP finds a service in the directory and opens it.

Every page is checked with axe (zero violations), at desktop width and at 320 px.
"""

from playwright.sync_api import expect

from referrals.services import seed_load
from tests.browser.conftest import check_accessibility
from tests.browser.helpers import sign_in

ISAC = "Example West Yorkshire Stalking Advocacy Service (ISAC)"


def _at_both_widths(page):
    """Check the page at 1280 px and at 320 px wide (WCAG reflow), without sideways scrolling."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        check_accessibility(page)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px wide"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_gp_opens_a_service_from_the_directory_and_sees_how_to_refer(page):
    assert seed_load(examples=True).ok
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "gp@example.org")
    check_accessibility(page)

    page.get_by_role("link", name="Referral directory").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral directory")

    page.get_by_role("link", name=ISAC, exact=True).click()
    page.wait_for_load_state()
    _at_both_widths(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(ISAC)
    expect(page.get_by_role("heading", name="How to refer", level=2)).to_be_visible()
    expect(page.get_by_text("Self-referral or professional referral")).to_be_visible()
    expect(page.get_by_text("completed DASH risk assessment")).to_be_visible()
    expect(page.get_by_role("link", name="0113 496 0000")).to_have_attribute(
        "href", "tel:+441134960000"
    )
    expect(page.get_by_text("Last checked on 1 September 2026")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="West Yorkshire ICB")).to_be_visible()

    # Back to the directory, then a national entry whose curators still have checks to do.
    page.get_by_role("link", name="Referral directory").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_role("link", name="National Stalking Helpline", exact=True).click()
    page.wait_for_load_state()
    _at_both_widths(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("National Stalking Helpline")
    expect(page.get_by_text("National: available across England.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Check before go-live")


def test_unknown_service_shows_page_not_found(page):
    sign_in(page, "gp@example.org")
    check_accessibility(page)
    for tail in ("00000000-0000-0000-0000-000000000000", "not-a-service"):
        response = page.goto(f"/referrals/{tail}/")
        assert response.status == 404
        check_accessibility(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
