"""The West Yorkshire ICB admin reads the dashboard, filters it and downloads it."""

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.browser.helpers import sign_in
from tests.factories import PracticeFactory, UserFactory, icb
from tests.reporting.conftest import complete
from training.content import read_course
from training.models import Module
from training.services import content_load


def test_icb_admin_dashboard_filters_and_downloads(page):
    content_load(course=read_course())
    modules = list(Module.objects.order_by("order"))
    practice = PracticeFactory(ods_code="P00001", name="Alder Surgery", icb=icb("QWO"))
    for _ in range(10):
        complete(UserFactory(practice=practice, professional_role="gp"), modules)
    UserFactory(practice=practice, professional_role="practice_nurse")

    sign_in(page, "icb.admin@example.org")
    check_accessibility(page)
    page.get_by_role("link", name="Reports").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "NHS West Yorkshire Integrated Care Board"
    )
    expect(page.locator("svg.app-chart[role=img]").first).to_be_visible()
    expect(page.get_by_role("table").first).to_be_visible()

    page.get_by_label("Professional role", exact=True).select_option("gp")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    check_accessibility(page)
    summary = page.locator(".nhsuk-summary-list").first
    expect(summary).to_contain_text("Registered clinicians")
    # 10 GPs here plus the demo GP at Demo Practice A: 11, rounded to the nearest 5.
    expect(summary.locator(".nhsuk-summary-list__row").first).to_contain_text("10")
    expect(page.get_by_text("Monthly figures are shown for the whole area only")).to_be_visible()

    # Periods are whole months, quarters or years, chosen from a list; a single month of one
    # role is refused, with the reason next to the field.
    this_month = timezone.localdate()
    page.get_by_label("Period", exact=True).select_option(f"{this_month:%Y-%m}")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("choose a quarter")
    page.get_by_label("Professional role", exact=True).select_option("")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.locator(".nhsuk-lede-text")).to_contain_text(f"{this_month:%B %Y} (so far)")
    page.goto("/reporting/?period=2026-12-01")
    check_accessibility(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose a period from the list")

    page.goto("/reporting/?professional_role=gp")
    check_accessibility(page)
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Tables as CSV").click()
    text = csv_download.value.path().read_text()
    # The file says what it holds before the figures.
    assert text.startswith("Area,NHS West Yorkshire Integrated Care Board")
    assert "Period,All months" in text and "Professional role,GP" in text
    assert "Registered clinicians,value,10" in text
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Report as PDF").click()
    assert pdf_download.value.path().read_bytes().startswith(b"%PDF")


def test_an_icb_admin_takes_a_module_and_the_dashboard_does_not_change(page):
    """Issue 15, tried as a new user would: the admin learns; no figure counts them."""
    import re

    from tests.browser.test_training_journey import _answer_quiz, _go, _read_module, _survey

    content_load(course=read_course())
    modules = list(Module.objects.filter(for_clinicians=True).order_by("order"))
    practice = PracticeFactory(ods_code="P00002", name="Birch Surgery", icb=icb("QWO"))
    for _ in range(6):
        complete(UserFactory(practice=practice, professional_role="gp"), modules)

    sign_in(page, "icb.admin@example.org")
    _go(page, lambda: page.goto("/reporting/"))
    before = page.locator("main").inner_text()

    _go(page, lambda: page.get_by_role("link", name="My training").first.click())
    _go(page, lambda: page.get_by_role("link", name="Confidence survey before training").click())
    _survey(page)
    _read_module(page, modules[0].title)
    _answer_quiz(page, correctly=True)
    expect(page.locator(".nhsuk-panel__title")).to_have_text("You passed")
    expect(page.get_by_role("link", name=re.compile("^Next module"))).to_be_visible()

    _go(page, lambda: page.goto("/reporting/"))
    assert page.locator("main").inner_text() == before


def test_report_charts_keep_readable_text_and_scroll_at_320px(page):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, "icb.admin@example.org")
    page.goto("/reporting/")
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Every chart keeps its own size (scale 1), so its 12 px and 13 px text stays that size.
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.app-chart')].flatMap(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(t =>
                parseFloat(t.getAttribute('font-size')) * scale);
        }))"""
    )
    assert smallest >= 12
    wrapper = page.locator(".app-chart-wrapper").first
    assert wrapper.evaluate("w => w.scrollWidth > w.clientWidth")  # it scrolls in its own box
    wrapper.focus()  # and a keyboard user can reach it to scroll
    assert wrapper.evaluate("w => document.activeElement === w")
