"""A new clinician takes the whole course in the browser, with axe on every page."""

import re

from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import check_accessibility
from tests.browser.helpers import sign_in
from tests.factories import TEST_PASSWORD, PracticeFactory, UserFactory
from training.content import read_course
from training.models import Attempt, Certificate, Option
from training.services import content_load


def _go(page, action):
    action()
    page.wait_for_load_state()
    check_accessibility(page)


def _answer_quiz(page, *, correctly: bool):
    attempt = Attempt.objects.filter(submitted_at__isnull=True).latest("started_at")
    for item in attempt.presented:
        options = Option.objects.filter(pk__in=item["options"])
        wanted = [o for o in options if o.is_correct == correctly] or list(options)[:1]
        for option in wanted:
            page.locator(f'input[value="{option.pk}"][name="q{item["question"]}"]').check()
    _go(page, lambda: page.get_by_role("button", name="Submit answers").click())


def _read_module(page, title):
    _go(page, lambda: page.get_by_role("link", name=title).click())
    _go(page, lambda: page.get_by_role("button", name="Start reading").click())
    while page.get_by_role("link", name=re.compile("^Next")).count():
        _go(page, lambda: page.get_by_role("link", name=re.compile("^Next")).click())
    _go(page, lambda: page.get_by_role("button", name="Take the quiz").click())


def _survey(page):
    for radio_group in page.locator("fieldset").all():
        radio_group.get_by_label("Agree", exact=True).check()
    _go(page, lambda: page.get_by_role("button", name="Submit survey").click())


def test_new_clinician_completes_the_course_and_verifies_the_certificate(page, live_server):
    content_load(course=read_course())
    UserFactory(email="new.gp@nhs.net", full_name="Nia New", practice=PracticeFactory())
    sign_in(page, "new.gp@nhs.net", TEST_PASSWORD)
    check_accessibility(page)

    _go(page, lambda: page.get_by_role("link", name="My training").first.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    _go(page, lambda: page.get_by_role("link", name="Confidence survey before training").click())
    # Submitting nothing shows the error summary, and nothing is saved.
    _go(page, lambda: page.get_by_role("button", name="Submit survey").click())
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    _survey(page)

    # A GP takes the clinical route; the practice team's module is not on it.
    modules = [m for m in read_course().modules if "clinicians" in m.audiences]
    # Module 1: fail once and see every explanation, then pass on a retake.
    _read_module(page, modules[0].title)
    html = page.content()
    assert "explanation" not in html.lower() or "This is a right answer" not in html
    _answer_quiz(page, correctly=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("You did not pass this time")
    expect(page.get_by_text("This is a right answer.")).not_to_have_count(0)
    _go(page, lambda: page.get_by_role("link", name="try the quiz again").click())
    _answer_quiz(page, correctly=True)
    expect(page.locator(".nhsuk-panel__title")).to_have_text("You passed")

    for module in modules[1:]:
        _go(page, lambda: page.get_by_role("link", name="Go to my training").click())
        _read_module(page, module.title)
        _answer_quiz(page, correctly=True)
        expect(page.locator(".nhsuk-panel__title")).to_have_text("You passed")

    _go(page, lambda: page.get_by_role("link", name="Go to my training").click())
    expect(page.locator(".nhsuk-task-list__status", has_text="Completed")).to_have_count(
        len(modules) + 1
    )
    _go(page, lambda: page.get_by_role("link", name="Confidence survey after training").click())
    _survey(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My certificates")

    certificate = Certificate.objects.get(user=User.objects.get(email="new.gp@nhs.net"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")

    # Signed out, anyone can check the certificate by its address.
    _go(page, lambda: page.get_by_role("button", name="Sign out").click())
    _go(page, lambda: page.goto(f"/certificates/{certificate.pk}/"))
    expect(page.locator(".nhsuk-panel__title")).to_have_text("This certificate is valid")
    expect(page.get_by_text("Nia New")).to_be_visible()
    _go(page, lambda: page.goto("/certificates/00000000-0000-0000-0000-000000000000/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_a_receptionist_takes_the_practice_team_route_and_gets_a_certificate(page, live_server):
    """Issue 15, tried as a new user would: the demo receptionist's own route, start to end."""
    content_load(course=read_course())
    sign_in(page, "reception@example.org", "spotting-stalking-demo")
    check_accessibility(page)

    _go(page, lambda: page.get_by_role("link", name="My training").first.click())
    expect(page.get_by_text("Stalking and the practice team")).to_be_visible()
    expect(page.get_by_text("What stalking is")).to_have_count(0)
    _go(page, lambda: page.get_by_role("link", name="Confidence survey before training").click())
    _survey(page)
    _read_module(page, "Stalking and the practice team")
    page.screenshot(path="var/screenshots/reception-quiz.png", full_page=True)
    _answer_quiz(page, correctly=True)
    expect(page.locator(".nhsuk-panel__title")).to_have_text("You passed")
    page.screenshot(path="var/screenshots/reception-passed.png", full_page=True)
    _go(page, lambda: page.get_by_role("link", name="Go to my training").click())
    _go(page, lambda: page.get_by_role("link", name="Confidence survey after training").click())
    _survey(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My certificates")
    certificate = Certificate.objects.get(user__email="reception@example.org")
    assert [m["slug"] for m in certificate.modules] == ["practice-team-front-desk"]
