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
    _radio(page, re.compile("^Is the patient in danger now"), "Yes")
    _radio(page, re.compile("^Is it unsafe for the patient to go home"), "No")
    _radio(page, "How old is the patient?", "18 or over")
    _radio(page, "Is someone's contact or behaviour towards the patient unwanted?", "Yes")
    _radio(page, "How many times has it happened?", "Two or more times")
    _radio(page, "Does the person seem fixated or obsessed with the patient?", "Yes")
    _radio(page, "How does the patient know the person?", "Their current partner")
    page.get_by_label("Following them").check()
    page.get_by_label("Turning up at their home or work").check()
    _radio(page, re.compile("^Has the person said they will hurt the patient"), "Yes")
    page.get_by_label("The patient is very afraid of what the person will do").check()
    page.get_by_role("group", name="Which of these apply?").get_by_label("None of these").check()
    _radio(page, re.compile("^Are children, or adults who need care"), "No")
    _radio(page, re.compile("^Could the person see the patient's GP record"), "Yes")
    _radio(page, "Have you ever experienced this kind of event?", "Yes")
    for question in ("Had nightmares", "Tried hard", "constantly on guard", "Felt numb"):
        _radio(page, re.compile(question), "Yes")
    _radio(page, re.compile("^Felt guilty"), "No")
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
    expect(page.get_by_role("heading", name="Domestic abuse", exact=True)).to_be_visible()

    page.get_by_role("button", name="Copy summary").click()
    expect(page.get_by_role("status")).to_have_text("Summary copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Safety and wellbeing review")
    assert "stalking indicated" in copied and "rules 2026.2" in copied

    page.get_by_label("Helpline details given").check()
    page.get_by_label("Police contacted").check()
    page.get_by_role("button", name="Save what was done").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    outcome = Outcome.objects.get()
    assert outcome.helpline_given and outcome.police_contacted

    # A clear case: the contact is not unwanted, and nothing else points to stalking.
    page.goto("/screening/new/")
    check_accessibility(page)
    _radio(page, re.compile("^Is the patient in danger now"), "No")
    _radio(page, re.compile("^Is it unsafe for the patient to go home"), "No")
    _radio(page, "How old is the patient?", "18 or over")
    _radio(page, "Is someone's contact or behaviour towards the patient unwanted?", "No")
    _radio(page, "How many times has it happened?", "Once")
    _radio(page, "Does the person seem fixated or obsessed with the patient?", "No")
    _radio(page, "How does the patient know the person?", "Someone from work or study")
    for group in (
        "Select all the behaviours the patient describes",
        "Which of these has the patient told you about?",
        "Which of these apply?",
    ):
        page.get_by_role("group", name=group).get_by_label("None of these").check()
    for question in (
        "^Has the person said they will hurt",
        "^Are children, or adults",
        "^Could the person see",
        "^Has the patient had thoughts of harming",
    ):
        _radio(page, re.compile(question), "No")
    _radio(page, "Have you ever experienced this kind of event?", "No")
    # The five PTSD items hide once the gate is answered no.
    expect(page.get_by_role("group", name=re.compile("^Had nightmares"))).to_be_hidden()
    page.get_by_role("button", name="See the result").click()
    page.wait_for_load_state()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stalking not indicated: standard")
    expect(page.locator(".nhsuk-card--care--emergency")).to_have_count(0)
    expect(page.get_by_role("heading", name="Keep the door open")).to_be_visible()
    expect(page.locator("#record-guidance")).to_be_visible()
    assert Screening.objects.count() == 2

    # Both are listed under My screenings, newest first, by reference.
    page.get_by_role("link", name="My screenings").first.click()
    page.wait_for_load_state()
    check_accessibility(page)
    newest, oldest = Screening.objects.order_by("-created_at")
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text(newest.reference)
    expect(rows.nth(1)).to_contain_text(oldest.reference)


def _danger_now_only(page):
    page.goto("/screening/new/")
    _radio(page, re.compile("^Is the patient in danger now"), "Yes")
    page.get_by_role("button", name="Danger now: see what to do").click()
    page.wait_for_load_state()


def test_danger_now_alone_shows_the_emergency_card_first(page):
    sign_in(page, "gp@example.org")
    check_accessibility(page)
    page.goto("/screening/new/")
    check_accessibility(page)
    _danger_now_only(page)
    check_accessibility(page)
    first_card = page.locator("#maincontent .nhsuk-card").first
    expect(first_card).to_have_class(re.compile("nhsuk-card--care--emergency"))
    expect(first_card).to_contain_text("Call 999 now")
    expect(first_card).to_contain_text("mobiles only")
    expect(
        page.locator(".nhsuk-card--warning", has_text="Not everything was covered")
    ).to_contain_text("Not answered")
    screening = Screening.objects.get()
    assert screening.flag_emergency and "self_harm" in screening.unanswered
    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page)


def test_danger_now_alone_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("nurse@example.org")
    page.get_by_label("Password", exact=True).fill("spotting-stalking-demo")
    page.get_by_role("button", name="Sign in").click()
    _danger_now_only(page)
    first_card = page.locator("#maincontent .nhsuk-card").first
    expect(first_card).to_have_class(re.compile("nhsuk-card--care--emergency"))
    expect(first_card).to_contain_text("Call 999 now")
    assert Screening.objects.get().flag_emergency


def test_checklist_works_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("nurse@example.org")
    page.get_by_label("Password", exact=True).fill("spotting-stalking-demo")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/screening/new/")
    # Without JavaScript the PTSD questions are shown until the gate is answered no.
    expect(page.get_by_role("group", name=re.compile("^Had nightmares"))).to_be_visible()
    _fill_high_concern(page)
    page.get_by_role("button", name="See the result").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stalking indicated: high concern")
    expect(page.get_by_role("button", name="Copy summary")).to_have_count(0)
    expect(page.locator("#record-summary")).to_contain_text("stalking indicated")
