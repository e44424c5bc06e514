"""The referral directory in the browser: a GP finds services, an ICB admin curates them.

Every page is checked with axe (zero violations) before the test moves on.
"""

import re

from playwright.sync_api import expect

from referrals.models import Service
from referrals.services import seed_load
from tests.browser.conftest import check_accessibility
from tests.browser.helpers import sign_in


def _go(page, action):
    action()
    page.wait_for_load_state()
    check_accessibility(page)


def _card_titles(page, section_id):
    """Return the card headings under a section heading, in page order."""
    return page.locator(f"h2#{section_id} ~ .nhsuk-card .nhsuk-card__heading").all_inner_texts()


def test_gp_finds_local_then_national_services_and_filters_them(page):
    assert seed_load(examples=True).ok
    sign_in(page, "gp@example.org")
    check_accessibility(page)

    _go(page, lambda: page.get_by_role("link", name="Referral directory").first.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral directory")
    expect(page.get_by_label("ICB area")).to_have_value("QWO")
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    local = next(i for i, h in enumerate(headings) if h.startswith("Services in West Yorkshire"))
    national = next(i for i, h in enumerate(headings) if h.startswith("National services"))
    assert local < national
    titles = page.locator(".nhsuk-card__heading").all_inner_texts()
    assert titles[0] == "Example West Yorkshire Stalking Advocacy Service (ISAC)"
    assert titles.index("National Stalking Helpline") > titles.index(
        "Example West Yorkshire Talking Therapies"
    )
    expect(page.get_by_role("link", name="0808 802 0300")).to_have_attribute(
        "href", "tel:+448088020300"
    )

    # Only mental health services: local first, then national.
    page.get_by_label("Type of service").select_option("mental_health")
    _go(page, lambda: page.get_by_role("button", name="Show services").click())
    titles = page.locator(".nhsuk-card__heading").all_inner_texts()
    assert titles == [
        "Example West Yorkshire Talking Therapies",
        "NHS 111 mental health option",
        "Samaritans",
    ]
    expect(page.locator(".nhsuk-tag", has_text="Not checked for over 12 months")).to_be_visible()

    # Only services a patient can contact themselves, in another ICB.
    page.get_by_label("ICB area").select_option("QYG")
    page.get_by_label("Type of service").select_option("")
    page.get_by_label("Only services patients can contact themselves").check()
    _go(page, lambda: page.get_by_role("button", name="Show services").click())
    titles = page.locator(".nhsuk-card__heading").all_inner_texts()
    assert "Example Cheshire and Merseyside Stalking Advocacy Service (ISAC)" in titles
    assert "Example Merseyside Police Stalking Single Point of Contact" not in titles
    assert "Paladin National Stalking Advocacy Service" not in titles
    assert not [t for t in titles if "West Yorkshire" in t]

    # A tampered address shows the error summary, not a failure.
    _go(page, lambda: page.goto("/referrals/?icb=ZZZ"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select an ICB from the list")


def test_icb_admin_adds_edits_retires_a_service_and_cannot_touch_others(page):
    assert seed_load(examples=True).ok
    cheshire = Service.objects.get(name__startswith="Example Cheshire and Merseyside Stalking")
    national = Service.objects.get(name="National Stalking Helpline")
    sign_in(page, "icb.admin@example.org")
    check_accessibility(page)

    _go(page, lambda: page.get_by_role("link", name="Manage directory").first.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage the directory")
    expect(page.get_by_text("National Stalking Helpline")).to_have_count(0)
    _go(page, lambda: page.get_by_role("button", name="Add a service").click())

    # Saving an empty form shows every problem, and saves nothing.
    _go(page, lambda: page.get_by_role("button", name="Save service").click())
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter service name")
    expect(summary).to_contain_text("Select the type of service")

    page.get_by_label("Service name").fill("Kirklees Stalking Advocacy")
    page.get_by_label("Organisation that runs it").fill("Kirklees Support")
    page.get_by_label("Specialist stalking advocacy (ISAC)").check()
    page.get_by_label("What the service does").fill("Advocacy for people being stalked.")
    page.get_by_label("Self-referral or professional referral").check()
    page.get_by_label("Phone number (optional)").fill("0113 496 0400")
    _go(page, lambda: page.get_by_role("button", name="Save service").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirklees Stalking Advocacy")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("has been added")

    _go(page, lambda: page.get_by_role("button", name="Edit").click())
    page.get_by_label("Phone number (optional)").fill("0113 496 0401")
    page.get_by_label("Opening hours (optional)").fill("Weekdays, 9am to 5pm")
    page.get_by_label("I have checked these details with the service today").check()
    _go(page, lambda: page.get_by_role("button", name="Save service").click())
    history = page.locator("table", has_text="What changed")
    expect(history).to_contain_text("Jo Lister (demo ICB admin)")
    expect(history).to_contain_text("Phone: was “0113 496 0400”, now “0113 496 0401”")
    expect(history).to_contain_text("Added")

    _go(page, lambda: page.get_by_role("link", name="Retire this service").click())
    _go(page, lambda: page.get_by_role("button", name="Retire service").click())
    expect(page.locator(".nhsuk-tag", has_text=re.compile("^Retired"))).to_be_visible()
    expect(page.locator("table", has_text="What changed")).to_contain_text("Retired")

    _go(page, lambda: page.goto("/referrals/"))
    expect(page.get_by_role("heading", name="Kirklees Stalking Advocacy")).to_have_count(0)

    # Another ICB's service and a national service are not theirs: not found.
    for other in (cheshire, national):
        _go(page, lambda other=other: page.goto(f"/referrals/manage/{other.pk}/edit/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    _go(page, lambda: page.goto("/referrals/coverage/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Directory coverage")
    expect(
        page.get_by_role("row", name=re.compile("Example West Yorkshire Talking"))
    ).to_be_visible()


def test_site_admin_adds_a_service_for_two_icbs(page):
    assert seed_load().ok
    sign_in(page, "admin@example.org")
    check_accessibility(page)
    _go(page, lambda: page.goto("/referrals/manage/new/"))
    page.get_by_label("Service name").fill("Pennine Advocacy")
    page.get_by_label("Organisation that runs it").fill("Pennine Support")
    page.get_by_label("Specialist stalking advocacy (ISAC)").check()
    page.get_by_label("What the service does").fill("Advocacy across the Pennines.")
    page.get_by_label("Professional referral only").check()
    page.get_by_label("Email address (optional)").fill("pennine@example.org")
    page.get_by_label("In one or more ICB areas").check()
    page.get_by_label("West Yorkshire ICB").check()
    page.get_by_label("Cheshire and Merseyside ICB").check()
    check_accessibility(page)  # with the conditional ICB list revealed
    _go(page, lambda: page.get_by_role("button", name="Save service").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Pennine Advocacy")
    service = Service.objects.get(name="Pennine Advocacy")
    assert sorted(i.ods_code for i in service.area_icbs.all()) == ["QWO", "QYG"]


def test_directory_filters_work_without_javascript(page_without_js):
    assert seed_load(examples=True).ok
    page = page_without_js
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("gp@example.org")
    page.get_by_label("Password", exact=True).fill("spotting-stalking-demo")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/referrals/")
    page.get_by_label("Type of service").select_option("domestic_abuse")
    page.get_by_role("button", name="Show services").click()
    assert page.locator(".nhsuk-card__heading").all_inner_texts() == [
        "Example West Yorkshire Domestic Abuse Service",
        "Galop",
        "Men's Advice Line",
        "National Domestic Abuse Helpline",
    ]
    assert "type=domestic_abuse" in page.url
