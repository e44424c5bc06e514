import pytest

from referrals.services import seed_load
from tests.referrals.factories import ServiceFactory


@pytest.fixture
def seeded(icbs):
    """The national services and the example local services, as `make run` loads them."""
    result = seed_load(examples=True)
    assert result.ok, result.errors
    return result


@pytest.fixture
def wy_service(icbs):
    """A service listed for West Yorkshire only: the QWO admin's to edit."""
    return ServiceFactory(name="Leeds Stalking Advocacy", icbs=["QWO"])


@pytest.fixture
def cm_service(icbs):
    """A service listed for Cheshire and Merseyside only."""
    return ServiceFactory(name="Liverpool Stalking Advocacy", icbs=["QYG"])


@pytest.fixture
def shared_service(icbs):
    """A service covering both demo ICBs: only a site admin may edit it."""
    return ServiceFactory(name="Pennine Advocacy", icbs=["QWO", "QYG"])


@pytest.fixture
def national_service(icbs):
    return ServiceFactory(name="National Line", is_national=True, icbs=[])
