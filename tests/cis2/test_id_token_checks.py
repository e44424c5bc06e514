"""Every check on CIS2's ID token, each failing over HTTP through the test provider: the
signature (and key rotation), issuer, audience, expiry, nonce and assurance level."""

import time

import pytest
from django.core.cache import cache

from accounts import cis2
from accounts.models import User
from core.models import AuditAction, AuditEvent
from tests.cis2.conftest import cis2_sign_in
from tests.cis2.provider import Identity, new_key

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gp(cis2_on, practice):
    cis2_on.identity = Identity.at("A11111")
    return cis2_on


def refused(response, status=403, text="We could not sign you in with NHS CIS2"):
    assert response.status_code == status, response.status_code
    assert text in response.content.decode()
    assert not User.objects.exists()
    assert "_auth_user_id" not in response.wsgi_request.session
    return AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED).detail


def test_a_good_token_signs_in(gp, client):
    assert cis2_sign_in(client).status_code == 302


def test_a_token_signed_with_another_key_under_a_published_kid_is_refused(gp, client):
    forger = new_key(gp.signing_key.kid)  # the kid CIS2 publishes, but not CIS2's key
    gp.sign_id_tokens_with = forger
    detail = refused(cis2_sign_in(client))
    assert "signature" in detail


def test_a_token_signed_with_an_unpublished_key_is_refused_after_one_refetch(gp, client):
    gp.sign_id_tokens_with = new_key("not-published")
    detail = refused(cis2_sign_in(client))
    assert "which CIS2 does not publish" in detail
    assert gp.jwks_fetches == 2  # fetched, then fetched again once for the unknown kid


def test_key_rotation_fetches_the_new_keys_and_signs_in(gp, client):
    assert cis2_sign_in(client).status_code == 302
    assert gp.jwks_fetches == 1
    client.logout()
    gp.rotate_key()  # the old key is no longer published; the cached set is stale
    assert cis2_sign_in(client).status_code == 302
    assert gp.jwks_fetches == 2
    client.logout()
    assert cis2_sign_in(client).status_code == 302
    assert gp.jwks_fetches == 2  # the new set is cached


def test_a_token_for_another_audience_is_refused(gp, client):
    gp.id_token_claims = {"aud": "someone-elses-client", "azp": "someone-elses-client"}
    assert "aud" in refused(cis2_sign_in(client))


def test_a_token_from_another_issuer_is_refused(gp, client):
    gp.id_token_claims = {"iss": "https://impostor.example"}
    assert "iss" in refused(cis2_sign_in(client))


def test_an_expired_token_is_refused(gp, client):
    now = int(time.time())
    gp.id_token_claims = {"iat": now - 900, "exp": now - 600}
    assert "expired" in refused(cis2_sign_in(client))


def test_a_token_issued_for_another_sign_in_is_refused(gp, client):
    gp.id_token_claims = {"nonce": "a-nonce-from-another-sign-in"}
    assert "nonce" in refused(cis2_sign_in(client))


def test_a_token_without_a_nonce_is_refused(gp, client):
    gp.id_token_claims = {"nonce": None}
    assert "nonce" in refused(cis2_sign_in(client))


def test_a_replayed_id_token_is_refused(gp, client):
    assert cis2_sign_in(client).status_code == 302
    client.logout()
    gp.replay_last_id_token = True  # the token endpoint answers with the earlier ID token
    response = cis2_sign_in(client)
    assert response.status_code == 403
    assert "_auth_user_id" not in response.wsgi_request.session
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, detail__contains="nonce"
    ).exists()


def test_a_nonce_is_accepted_once(gp, client):
    """Defence in depth: even a sign-in whose stored state were replayed could not use an ID
    token's nonce a second time."""
    now = int(time.time())
    claims = {
        "iss": gp.issuer,
        "sub": "910000000001",
        "aud": gp.client_id,
        "exp": now + 300,
        "iat": now,
        "nonce": "once-only",
        "acr": "AAL3_ANY",
    }
    token = gp.sign(claims)
    assert cis2.id_token_validate(token, nonce="once-only")["sub"] == "910000000001"
    with pytest.raises(cis2.CIS2Failure, match="used already"):
        cis2.id_token_validate(token, nonce="once-only")


@pytest.mark.parametrize("acr", ["AAL1_USERPASS", "", None])
def test_too_low_an_assurance_level_is_refused(gp, client, acr):
    gp.identity.acr = acr
    detail = refused(cis2_sign_in(client), text="Sign in with a stronger authentication method")
    assert "acr" in detail


@pytest.mark.parametrize("acr", ["AAL2_OR_AAL3_ANY", "AAL2_ANY", "AAL3_ANY"])
def test_aal2_or_above_is_accepted(gp, client, acr):
    gp.identity.acr = acr
    assert cis2_sign_in(client).status_code == 302


def test_the_accepted_levels_are_a_setting(gp, client, settings):
    settings.CIS2_ACCEPTED_ACR = ["AAL3_ANY"]
    gp.identity.acr = "AAL2_OR_AAL3_ANY"
    refused(cis2_sign_in(client), text="Sign in with a stronger authentication method")


def test_discovery_must_name_the_configured_issuer(gp, client, settings):
    settings.CIS2_ISSUER = gp.issuer + "/"  # discovery still says the issuer without the slash
    response = client.get("/accounts/cis2/start/")
    assert response.status_code == 503
    assert "NHS CIS2 is not answering" in response.content.decode()


def test_cis2_down_gives_a_page_not_an_error(gp, client):
    gp.stop()
    cache.clear()
    response = client.get("/accounts/cis2/start/")
    assert response.status_code == 503
    assert "NHS CIS2 is not answering" in response.content.decode()
