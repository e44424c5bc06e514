"""Steps that browser tests share."""

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import check_accessibility


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in page, checking it for accessibility on the way."""
    page.goto("/accounts/login/")
    check_accessibility(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
