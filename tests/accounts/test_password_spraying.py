"""Defence in depth (issue 14): one password tried against many accounts from one address is
limited across accounts, counted in the shared cache."""

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email, password, ip):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def accounts(practice):
    return [factories.UserFactory(email=f"user{n}@nhs.net", practice=practice) for n in range(6)]


def test_spraying_one_password_across_accounts_is_stopped(client, accounts, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    # One guess per account: no account reaches its own lock (AXES_FAILURE_LIMIT is 5).
    for user in accounts[:4]:
        assert sign_in(client, user.email, "Summer2026!", ip="203.0.113.9").status_code == 200

    blocked = sign_in(client, accounts[4].email, TEST_PASSWORD, ip="203.0.113.9")

    assert blocked.status_code == 429
    assert "nobody can sign in from this network" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_addresses_are_not_blocked(client, accounts, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    for user in accounts[:4]:
        sign_in(client, user.email, "Summer2026!", ip="203.0.113.9")

    assert sign_in(client, accounts[5].email, TEST_PASSWORD, ip="198.51.100.1").status_code == 302


def test_a_practice_behind_one_address_can_still_make_mistakes(client, accounts, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    for user in accounts[:3]:
        sign_in(client, user.email, "typo", ip="192.0.2.50")

    assert sign_in(client, accounts[5].email, TEST_PASSWORD, ip="192.0.2.50").status_code == 302


def test_the_count_is_kept_in_the_shared_cache(client, accounts, settings):
    """Another app server sees the count: it lives in the cache, not in this process."""
    from django.core.cache import cache

    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 2
    sign_in(client, accounts[0].email, "x", ip="203.0.113.9")
    sign_in(client, accounts[1].email, "x", ip="203.0.113.9")
    counts = [key for key in cache._cache if "sign-in-failures-from-address" in key]  # noqa: SLF001

    assert len(counts) == 1
    assert sign_in(client, accounts[2].email, TEST_PASSWORD, ip="203.0.113.9").status_code == 429


def test_rotating_addresses_within_one_ipv6_network_is_still_one_address(
    client, accounts, settings
):
    """Pen test: one subscriber holds a whole /64, so each of its addresses is not counted apart."""
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    for n, user in enumerate(accounts[:3]):
        sign_in(client, user.email, "Summer2026!", ip=f"2001:db8:1:2::{n + 1:x}")

    blocked = sign_in(client, accounts[4].email, TEST_PASSWORD, ip="2001:db8:1:2::abcd")
    elsewhere = sign_in(client, accounts[5].email, TEST_PASSWORD, ip="2001:db8:1:3::1")

    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


def test_the_per_account_lock_holds_across_one_ipv6_network(client, accounts, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, accounts[0].email, "wrong-guess", ip=f"2001:db8:9::{n + 1:x}")

    assert sign_in(client, accounts[0].email, TEST_PASSWORD, ip="2001:db8:9::ff").status_code == 429
