"""How sign-in attempts are limited: per account and address (django-axes, in the database),
and per address across all accounts (password spraying, in the shared cache)."""

from django.conf import settings

from accounts.models import normalise_email
from core.audit import client_network
from core.ratelimit import rate_limit_hit, rate_limit_reached

SPRAY_SCOPE = "sign-in-failures-from-address"


def attempted_email(request, credentials) -> str:
    """Return the address tried, in the one form accounts are found by and locked under."""
    source = credentials if credentials is not None else getattr(request, "POST", {})
    value = source.get("username") or ""
    return normalise_email(value)[:254]


def _address(request) -> str:
    return client_network(request) or "unknown"


def sign_in_failure_count(request) -> None:
    """Count a failed sign-in against the address it came from, whichever account it tried."""
    if request is not None:
        rate_limit_hit(
            SPRAY_SCOPE,
            _address(request),
            limit=settings.SIGN_IN_ADDRESS_FAILURE_LIMIT,
            window=settings.AXES_COOLOFF_TIME,
        )


def sign_in_address_blocked(request) -> bool:
    """Return whether this address has failed too often, across accounts, to try again yet."""
    return rate_limit_reached(
        SPRAY_SCOPE,
        _address(request),
        limit=settings.SIGN_IN_ADDRESS_FAILURE_LIMIT,
        window=settings.AXES_COOLOFF_TIME,
    )
