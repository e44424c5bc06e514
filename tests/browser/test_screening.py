"""A clinician screens two patients in the browser: a high-concern case and a clear one."""

import re

import pytest
from playwright.sync_api import expect

from referrals.services import seed_load
from screening.models import Outcome, Screening
from tests.browser.conftest import check_accessibility
from tests.browser.helpers import sign_in


@pytest.fixture(autouse=True)
def directory(demo_accounts):
    seed_load(examples=True)


def _radio(page, question, answer):
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def _fill_high_concern(page):
    _radio(page, "Is someone's contact or behaviour towards the patient unwanted?", "Yes")
    _radio(page, "How many times has it happened?", "Two or more times")
    _radio(page, "Does the person seem fixated or obsessed with the patient?", "Yes")
    _radio(page, "How does the patient know the person?", "Ex-partner or partner")
    page.get_by_label("Following them").check()
    page.get_by_label("Turning up at their home or work").check()
    page.get_by_label("The patient is very frightened").check()
    page.get_by_label("The person has threatened physical or sexual violence").check()
    _radio(page, re.compile("^Could the patient be in danger right now"), "Yes")
    _radio(page, re.compile("^Are children or adults at risk"), "No")
    _radio(page, re.compile("^Could the person see the patient's online GP record"), "Yes")
    _radio(page, re.compile("^Has the stalking, or anything else"), "Yes")
    for question in ("bad dreams", "kept away", "jumpy", "emotionally flat"):
        _radio(page, re.compile(question), "Yes")
    _radio(page, re.compile("blamed themselves"), "No")
    _radio(page, re.compile("^Has the patient had thoughts of harming"), "No")


def test_high_concern_case_then_a_clear_case(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, "gp@example.org")
    check_accessibility(page)
    page.get_by_role("link", name="Screening checklist").first.click()
    page.wait_for_load_state()
    check_accessibility(page)

    # Submitting with answers missing keeps what was given and lists what is missing.
    page.get_by_label("Following them").check()
    page.get_by_role("button", name="See the result").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Following them")).to_be_checked()

    _fill_high_concern(page)
    page.get_by_role("button", name="See the result").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.locator(".nhsuk-card--care--emergency")).to_contain_text("Call 999 now")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stalking indicated: high concern")
    expect(page.get_by_role("heading", name="Arrange a PTSD assessment")).to_be_visible()
    expect(page.get_by_role("heading", name="Protect the patient's record")).to_be_visible()

    page.get_by_role("button", name="Copy summary").click()
    expect(page.get_by_role("status")).to_have_text("Summary copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Stalking indicated" in copied and "rules version 2026.1" in copied

    page.get_by_label("Helpline details given").check()
    page.get_by_label("Police contacted").check()
    page.get_by_role("button", name="Save what was done").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    outcome = Outcome.objects.get()
    assert outcome.helpline_given and outcome.police_contacted

    # A clear case: the contact is not unwanted.
    page.goto("/screening/new/")
    check_accessibility(page)
    _radio(page, "Is someone's contact or behaviour towards the patient unwanted?", "No")
    _radio(page, "How many times has it happened?", "Once")
    _radio(page, "Does the person seem fixated or obsessed with the patient?", "No")
    _radio(page, "How does the patient know the person?", "Someone from work or study")
    for question in (
        "^Could the patient be in danger",
        "^Are children or adults at risk",
        "^Could the person see",
        "^Has the patient had thoughts of harming",
    ):
        _radio(page, re.compile(question), "No")
    page.get_by_role("button", name="See the result").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stalking not indicated: standard")
    expect(page.locator(".nhsuk-card--care--emergency")).to_have_count(0)
    assert Screening.objects.count() == 2


def test_checklist_works_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("nurse@example.org")
    page.get_by_label("Password", exact=True).fill("spotting-stalking-demo")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/screening/new/")
    # Without JavaScript the PTSD questions are simply shown, not hidden.
    expect(page.get_by_role("group", name=re.compile("bad dreams"))).to_be_visible()
    _fill_high_concern(page)
    page.get_by_role("button", name="See the result").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stalking indicated: high concern")
    expect(page.get_by_role("button", name="Copy summary")).to_have_count(0)
    expect(page.locator("#record-summary")).to_contain_text("Stalking indicated")
