"""The service publishes the public half of its key, and only that, for CIS2 to check its
client assertions with."""

import pytest
from django.urls import reverse
from joserfc.jwk import KeySet, RSAKey

from accounts import cis2

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_jwks_has_our_public_key_and_no_private_parts(cis2_on, client, client_private_key_pem):
    response = client.get(reverse("accounts:cis2_jwks"))
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)
    ours = RSAKey.import_key(client_private_key_pem)
    assert key["kid"] == ours.thumbprint()
    assert (key["kty"], key["use"], key["alg"], key["n"]) == (
        "RSA",
        "sig",
        "RS256",
        ours.as_dict()["n"],
    )
    KeySet.import_key_set(response.json())  # a well-formed key set


def test_needs_no_sign_in_and_the_kid_can_be_set(cis2_on, client, settings):
    settings.CIS2_PRIVATE_KEY_ID = "spotting-stalking-2026-12"
    (key,) = client.get(reverse("accounts:cis2_jwks")).json()["keys"]
    assert key["kid"] == "spotting-stalking-2026-12"


def test_a_retired_key_stays_published_while_cis2_moves_over(cis2_on, client, settings):
    old = RSAKey.generate_key(2048)
    settings.CIS2_RETIRED_PUBLIC_KEYS = old.as_pem(private=False).decode()
    keys = client.get(reverse("accounts:cis2_jwks")).json()["keys"]
    assert [k["kid"] for k in keys][1:] == [old.thumbprint()]
    assert "d" not in keys[1]


def test_a_public_key_given_as_the_private_key_fails_the_system_check(settings):
    settings.CIS2_ISSUER = "https://cis2.example"
    settings.CIS2_CLIENT_ID = "client"
    settings.CIS2_PRIVATE_KEY = RSAKey.generate_key(2048).as_pem(private=False).decode()
    (error,) = cis2.check_settings()
    assert error.id == "accounts.E102"
