"""The West Yorkshire ICB admin reads the dashboard, filters it and downloads it."""

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
    for _ in range(6):
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
    # 6 GPs here plus the demo GP at Demo Practice A.
    expect(summary.locator(".nhsuk-summary-list__row").first).to_contain_text("7")

    page.get_by_label("From", exact=True).fill("2030-01-01")
    page.get_by_label("To", exact=True).fill("2029-01-01")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("end date")

    page.goto("/reporting/?professional_role=gp")
    check_accessibility(page)
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Tables as CSV").click()
    text = csv_download.value.path().read_text()
    assert "Registered clinicians,value,7" in text
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
