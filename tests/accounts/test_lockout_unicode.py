"""Issue 14, point 1: no spelling of an address reaches its account by another lockout bucket.

The attack: five wrong passwords lock nurse@… from one address, then nurſe@… (long s, which
PostgreSQL's UPPER() folds to S) signs in with the right password. Now the lockout key and the
account look-up are the same normalised address, whatever letters were typed.
"""

import unicodedata

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import User, normalise_email
from accounts.throttling import attempted_email
from tests import factories
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "nurse.kirsty.smith@nhs.net"

FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(ord("a"), ord("z") + 1)}

# Each turns the address into another spelling that a case-insensitive look-up could match.
VARIANTS = {
    "upper case": str.upper,
    "title case": str.title,
    "long s for s (U+017F)": lambda e: e.replace("s", "\u017f"),
    "Kelvin sign for k (U+212A)": lambda e: e.replace("k", "\u212a"),
    "full-width letters": lambda e: "".join(FULL_WIDTH.get(c, c) for c in e),
    "spaces around it": lambda e: f"  {e}  ",
    "decomposed capitals": lambda e: unicodedata.normalize("NFD", e.upper()),
}


def sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def nurse(practice):
    return factories.UserFactory(email=EMAIL, full_name="Kirsty Nurse", practice=practice)


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_locked_address_stays_locked_under_every_spelling(client, nurse, settings, variant):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, EMAIL, "wrong-password-guess")
    assert sign_in(client, EMAIL, TEST_PASSWORD).status_code == 429

    response = sign_in(client, variant(EMAIL), TEST_PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_failures_under_other_spellings_count_towards_one_lock(client, nurse, settings, variant):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        email = variant(EMAIL) if attempt % 2 else EMAIL
        sign_in(client, email, "wrong-password-guess")

    assert sign_in(client, EMAIL, TEST_PASSWORD).status_code == 429


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_an_unlocked_account_signs_in_under_a_spelling_that_folds_to_it(client, nurse, variant):
    assert sign_in(client, variant(EMAIL), TEST_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "spelling",
    [
        EMAIL.replace("i", "\u0131"),  # dotless i: PostgreSQL's UPPER() makes it I
        EMAIL.replace("i", "\u0130"),  # capital I with dot
        EMAIL.replace("e", "\u0435"),  # Cyrillic e
    ],
    ids=["dotless i", "dotted capital I", "Cyrillic e"],
)
def test_letters_no_address_can_have_are_refused_without_trying_the_password(
    client, nurse, spelling
):
    response = sign_in(client, spelling, TEST_PASSWORD)

    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_dotless_i_does_not_reach_the_account_by_any_route(nurse):
    """The look-up itself: the old email__iexact matched this on PostgreSQL."""
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key(EMAIL.replace("i", "\u0131"))


def test_sign_up_refuses_an_address_outside_plain_letters(client, practice):
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Dana Doctor",
            "email": "d\u0131ana@nhs.net",
            "professional_role": "gp",
            "practice": practice.ods_code,
            "password1": "purple-otter-lamp-42",
            "password2": "purple-otter-lamp-42",
        },
    )

    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()
    assert not User.objects.exists() or not User.objects.filter(full_name="Dana Doctor").exists()


@given(st.text(min_size=1, max_size=40))
@hypothesis_settings(max_examples=300, deadline=None)
def test_the_lockout_key_is_the_look_up_key_for_any_text(text):
    """Whatever is typed, axes locks exactly the address the account is looked up by."""
    assert attempted_email(None, {"username": text}) == normalise_email(text)[:254]
    # Normalising is idempotent, so a stored address is found by its own normal form.
    assert normalise_email(normalise_email(text)) == normalise_email(text)
