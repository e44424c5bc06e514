"""Fixtures for CIS2 sign-in: the test provider on a local port, CIS2 turned on for the test,
and a helper that goes through the whole sign-in over HTTP."""

from urllib import error as urlerror
from urllib import request as urlrequest
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from joserfc.jwk import RSAKey

from tests.cis2.provider import CLIENT_ID, Provider

CALLBACK = "http://testserver/accounts/cis2/callback/"


@pytest.fixture(scope="session")
def client_private_key_pem() -> str:
    """The service's own key for these tests (a fresh one each run)."""
    return RSAKey.generate_key(2048).as_pem(private=True).decode()


@pytest.fixture
def provider():
    provider = Provider().start()
    yield provider
    provider.stop()


@pytest.fixture
def cis2_on(settings, provider, live_server, client_private_key_pem, icbs):
    """Turn CIS2 sign-in on, pointed at the test provider, which fetches our JWKS from the
    live server. Our app itself is driven through Django's test client (host testserver)."""
    settings.CIS2_ISSUER = provider.issuer
    settings.CIS2_CLIENT_ID = CLIENT_ID
    settings.CIS2_PRIVATE_KEY = client_private_key_pem
    settings.CIS2_PRIVATE_KEY_ID = ""
    provider.client_jwks_url = live_server.url + reverse("accounts:cis2_jwks")
    provider.redirect_uris = {CALLBACK}
    return provider


class _NoRedirects(urlrequest.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urlrequest.build_opener(_NoRedirects)


def provider_get(url: str) -> tuple[int, str]:
    """GET a provider address as a browser would; return the status and any Location."""
    try:
        with _opener.open(url, timeout=10) as response:
            return response.status, response.headers.get("Location", "")
    except urlerror.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


def start(client: Client, **query):
    """Start a CIS2 sign-in; return the provider's authorisation address it redirects to."""
    response = client.get(reverse("accounts:cis2_start"), query)
    assert response.status_code == 302, response.status_code
    return response["Location"]


def to_callback(location: str) -> str:
    assert location.startswith(CALLBACK), location
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def cis2_sign_in(client: Client, **query):
    """Sign in with CIS2 from start to callback over HTTP; return our callback's response."""
    status, location = provider_get(start(client, **query))
    assert status == 302, status
    return client.get(to_callback(location))


@pytest.fixture
def browser_client():
    return Client()
