"""Shared fixtures: the personas every permission test uses, and a client signed in as each.

Alice is a GP at a West Yorkshire practice; Bob a nurse at a different West Yorkshire practice;
Chloe a GP in Cheshire and Merseyside. Wendy administers West Yorkshire ICB, Carl administers
Cheshire and Merseyside ICB, and Sue is a site admin.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.reference import load_icbs
from tests import factories


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with no rate-limit counts left over from an earlier one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def icbs(db):
    """Make sure the ICB reference data is present (transactional tests flush it)."""
    from accounts.models import ICB

    if not ICB.objects.exists():
        load_icbs(ICB)
    return ICB.objects


@pytest.fixture
def practice(icbs):
    return factories.PracticeFactory(
        ods_code="A11111", name="Alpha Surgery", icb=factories.icb("QWO")
    )


@pytest.fixture
def other_practice(icbs):
    return factories.PracticeFactory(
        ods_code="B22222", name="Beta Health Centre", icb=factories.icb("QWO")
    )


@pytest.fixture
def other_icb_practice(icbs):
    return factories.PracticeFactory(
        ods_code="C33333", name="Gamma Medical Practice", icb=factories.icb("QYG")
    )


@pytest.fixture
def clinician(practice):
    return factories.UserFactory(
        email="alice@nhs.net", full_name="Alice Clinician", practice=practice
    )


@pytest.fixture
def other_practice_clinician(other_practice):
    return factories.UserFactory(
        email="bob@nhs.net",
        full_name="Bob Nurse",
        professional_role="practice_nurse",
        practice=other_practice,
    )


@pytest.fixture
def other_icb_clinician(other_icb_practice):
    return factories.UserFactory(
        email="chloe@nhs.net", full_name="Chloe Clinician", practice=other_icb_practice
    )


@pytest.fixture
def icb_admin(icbs):
    return factories.ICBAdminFactory(
        email="wendy@nhs.net", full_name="Wendy Admin", icb=factories.icb("QWO")
    )


@pytest.fixture
def other_icb_admin(icbs):
    return factories.ICBAdminFactory(
        email="carl@nhs.net", full_name="Carl Admin", icb=factories.icb("QYG")
    )


@pytest.fixture
def site_admin(icbs):
    return factories.SiteAdminFactory(email="sue@nhs.net", full_name="Sue Admin")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def clinician_client(clinician):
    return _client_for(clinician)


@pytest.fixture
def other_practice_clinician_client(other_practice_clinician):
    return _client_for(other_practice_clinician)


@pytest.fixture
def icb_admin_client(icb_admin):
    return _client_for(icb_admin)


@pytest.fixture
def other_icb_admin_client(other_icb_admin):
    return _client_for(other_icb_admin)


@pytest.fixture
def site_admin_client(site_admin):
    return _client_for(site_admin)


@pytest.fixture
def role_clients(request):
    """Return a function giving the client for a persona name used in parametrised tests."""

    def get(name: str) -> Client:
        return request.getfixturevalue(f"{name}_client")

    return get
