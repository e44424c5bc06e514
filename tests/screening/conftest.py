import pytest

from referrals.services import seed_load


@pytest.fixture(autouse=True)
def directory(db, icbs):
    """The national services and the example local services, as `make run` loads them."""
    result = seed_load(examples=True)
    assert result.ok, result.errors
