"""Back-channel logout: CIS2 posts a signed logout token and that person's sessions end."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from joserfc import jwt

from accounts.models import CIS2Session, User
from core.models import AuditAction, AuditEvent
from tests.cis2.conftest import cis2_sign_in
from tests.cis2.provider import Identity, new_key

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in(cis2_on, client, practice, live_server):
    cis2_on.identity = Identity.at("A11111")
    assert cis2_sign_in(client).status_code == 302
    cis2_on.logout_url = live_server.url + reverse("accounts:cis2_backchannel_logout")
    return client


def still_signed_in(client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


def test_a_logout_token_for_the_session_ends_it(cis2_on, signed_in):
    sid = cis2_on.session_ids()[-1]
    status, body = cis2_on.backchannel_logout(cis2_on.logout_url, cis2_on.logout_token(sid=sid))
    assert (status, body) == (200, b"{}")
    assert not still_signed_in(signed_in)
    assert not CIS2Session.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_OUT, detail="Source: NHS CIS2. Back-channel logout"
    ).exists()


def test_a_logout_token_naming_only_the_person_ends_all_their_sessions(cis2_on, signed_in):
    second = Client()
    assert cis2_sign_in(second).status_code == 302
    token = cis2_on.logout_token(sub="910000000001")
    assert cis2_on.backchannel_logout(cis2_on.logout_url, token)[0] == 200
    assert not still_signed_in(signed_in)
    assert not still_signed_in(second)


def test_another_persons_sessions_are_left_alone(cis2_on, signed_in):
    token = cis2_on.logout_token(sub="910000000999")
    assert cis2_on.backchannel_logout(cis2_on.logout_url, token)[0] == 200
    assert still_signed_in(signed_in)


@pytest.mark.parametrize(
    "bad",
    [
        {"events": None},
        {"events": {"http://schemas.openid.net/event/something-else": {}}},
        {"nonce": "a-nonce"},
        {"aud": "another-client"},
        {"iss": "https://impostor.example"},
        {"iat": int(time.time()) - 3600},
        {"jti": None},
    ],
    ids=["no-event", "other-event", "nonce", "audience", "issuer", "too-old", "no-jti"],
)
def test_a_bad_logout_token_is_refused_and_ends_nothing(cis2_on, signed_in, bad):
    sid = cis2_on.session_ids()[-1]
    token = cis2_on.logout_token(sid=sid, **bad)
    status, _ = cis2_on.backchannel_logout(cis2_on.logout_url, token)
    assert status == 400
    assert still_signed_in(signed_in)


def test_a_logout_token_naming_nobody_is_refused(cis2_on, signed_in):
    assert cis2_on.backchannel_logout(cis2_on.logout_url, cis2_on.logout_token())[0] == 400


def test_a_forged_logout_token_is_refused(cis2_on, signed_in):
    sid = cis2_on.session_ids()[-1]
    genuine = cis2_on.logout_token(sid=sid)
    forger = new_key(cis2_on.signing_key.kid)  # CIS2's kid, someone else's key
    token = jwt.encode(
        {"alg": "RS256", "kid": forger.kid, "typ": "logout+jwt"},
        jwt.decode(genuine, cis2_on.signing_key).claims,
        forger,
    )
    assert cis2_on.backchannel_logout(cis2_on.logout_url, token)[0] == 400
    assert still_signed_in(signed_in)


def test_a_replayed_logout_token_is_refused(cis2_on, signed_in):
    token = cis2_on.logout_token(sub="910000000999")
    assert cis2_on.backchannel_logout(cis2_on.logout_url, token)[0] == 200
    assert cis2_on.backchannel_logout(cis2_on.logout_url, token)[0] == 400


def test_not_a_token_at_all(cis2_on, signed_in):
    assert cis2_on.backchannel_logout(cis2_on.logout_url, "not-a-jwt")[0] == 400
    assert still_signed_in(signed_in)


def test_signing_out_here_forgets_the_cis2_session(cis2_on, signed_in):
    assert CIS2Session.objects.count() == 1
    signed_in.post(reverse("accounts:logout"))
    assert not CIS2Session.objects.exists()
    assert User.objects.filter(cis2_sub="910000000001").exists()
    assert Session.objects.count() <= 1
