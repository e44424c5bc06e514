"""Signing in with NHS CIS2 through the test provider: discovery, the redirects, PKCE, the
client assertion, and the account it gives (matched by sub, refreshed at every sign-in)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts.models import CIS2Session, PracticeMove, ProfessionalRole, Role, User
from core.models import AuditAction, AuditEvent
from tests.cis2.conftest import CALLBACK, cis2_sign_in, provider_get, start
from tests.cis2.provider import Identity
from tests.factories import PracticeFactory, UserFactory, icb

pytestmark = pytest.mark.django_db(transaction=True)


def cis2_changes():
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.ROLE_CHANGED, detail__startswith="Source: NHS CIS2"
        )
        .order_by("at", "pk")
        .values_list("detail", flat=True)
    )


def test_off_unless_configured(client):
    assert client.get(reverse("accounts:cis2_start")).status_code == 404
    assert client.get(reverse("accounts:cis2_jwks")).status_code == 404
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with NHS CIS2" not in page


def test_the_sign_in_page_offers_cis2_when_it_is_on(cis2_on, client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with NHS CIS2" in page
    assert f'href="{reverse("accounts:cis2_start")}"' in page


def test_start_redirects_to_the_discovered_authorisation_endpoint(cis2_on, client):
    location = start(client)
    url = urlsplit(location)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{cis2_on.issuer}/authorize"
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert params["response_type"] == "code"
    assert params["client_id"] == "spotting-stalking-test-client"
    assert params["redirect_uri"] == CALLBACK
    assert params["scope"].split() == [
        "openid",
        "profile",
        "email",
        "nationalrbacaccess",
        "selectedrole",
        "associatedorgs",
    ]
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43  # base64url of a SHA-256 digest
    assert params["acr_values"] == "AAL2_OR_AAL3_ANY"
    assert params["state"] and params["nonce"] and params["state"] != params["nonce"]


def test_a_gp_signs_in_and_gets_an_account_at_their_practice(cis2_on, client, practice):
    cis2_on.identity = Identity.at("A11111")
    response = cis2_sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("training:home")
    user = User.objects.get(cis2_sub="910000000001")
    assert (user.role, user.professional_role, user.practice, user.icb) == (
        Role.CLINICIAN,
        ProfessionalRole.GP,
        practice,
        None,
    )
    assert user.full_name == "Asha Patel"
    assert user.email == "asha.patel@nhs.net"
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert CIS2Session.objects.get(user=user).sid == cis2_on.session_ids()[-1]
    page = client.get(response["Location"]).content.decode()
    assert "My training" in page
    assert (
        "You are signed in with NHS CIS2 as GP at Alpha Surgery (A11111) in West Yorkshire ICB"
        in page
    )
    assert cis2_changes() == [
        "Source: NHS CIS2. Account created: GP at Alpha Surgery (A11111) in West Yorkshire ICB"
    ]
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=user).count() == 1


def test_the_token_request_uses_pkce_and_a_signed_client_assertion(cis2_on, client, practice):
    cis2_on.identity = Identity.at("A11111")
    cis2_sign_in(client)
    (form,) = cis2_on.token_requests
    assert form["grant_type"] == "authorization_code"
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert form["client_assertion"].count(".") == 2
    assert len(form["code_verifier"]) >= 43
    assert "client_secret" not in form
    assert cis2_on.token_errors == []


def test_a_code_is_used_once_and_a_replayed_callback_is_refused(cis2_on, client, practice):
    cis2_on.identity = Identity.at("A11111")
    status, location = provider_get(start(client))
    callback = location.removeprefix("http://testserver")
    assert client.get(callback).status_code == 302
    replayed = client.get(callback)
    assert replayed.status_code == 400
    assert "Your sign-in timed out" in replayed.content.decode()
    assert len(cis2_on.token_requests) == 1  # the state was spent: the code was not sent again


def test_a_callback_for_a_sign_in_this_browser_did_not_start_is_refused(cis2_on, client, practice):
    cis2_on.identity = Identity.at("A11111")
    status, location = provider_get(start(client))
    other_browser = type(client)()
    response = other_browser.get(location.removeprefix("http://testserver"))
    assert response.status_code == 400
    assert "_auth_user_id" not in other_browser.session
    assert cis2_on.token_requests == []


def test_cancelling_at_cis2_signs_nobody_in(cis2_on, client):
    cis2_on.identity = None  # the person closes the smartcard window
    response = cis2_sign_in(client)
    assert response.status_code == 403
    assert "You did not finish signing in" in response.content.decode()
    assert not User.objects.exists()


def test_next_is_kept_when_it_is_on_this_site(cis2_on, client, practice):
    cis2_on.identity = Identity.at("A11111")
    assert cis2_sign_in(client, next="/referrals/")["Location"] == "/referrals/"
    client.logout()
    cis2_on.identity = Identity.at("A11111")
    assert cis2_sign_in(client, next="https://evil.example/")["Location"] == reverse(
        "training:home"
    )


def test_users_are_matched_by_sub_never_by_email(cis2_on, client, practice):
    local = UserFactory(email="asha.patel@nhs.net", full_name="Local Asha", practice=practice)
    cis2_on.identity = Identity.at("A11111")
    cis2_sign_in(client)
    cis2_user = User.objects.get(cis2_sub="910000000001")
    assert cis2_user.pk != local.pk
    assert client.session["_auth_user_id"] == str(cis2_user.pk)
    # The local account keeps its address; the CIS2 account gets one no mail reaches.
    assert cis2_user.email.endswith("@cis2.invalid")
    local.refresh_from_db()
    assert (local.cis2_sub, local.full_name) == (None, "Local Asha")

    # Someone else whom CIS2 gives the same email address is still someone else.
    client.logout()
    cis2_on.identity = Identity.at("A11111", sub="910000000002", given_name="Another")
    cis2_sign_in(client)
    assert User.objects.filter(cis2_sub__isnull=False).count() == 2
    assert client.session["_auth_user_id"] == str(User.objects.get(cis2_sub="910000000002").pk)


def test_role_and_practice_are_refreshed_at_every_sign_in_and_audited(
    cis2_on, client, practice, other_icb_practice
):
    cis2_on.identity = Identity.at("A11111")
    cis2_sign_in(client)
    client.logout()
    # Now a nurse, at a practice in another ICB: CIS2 is the authority, so no confirmation.
    cis2_on.identity.select(org_code="C33333", role_code="S8000:G8000:R8001")
    response = cis2_sign_in(client)
    assert response.status_code == 302
    user = User.objects.get(cis2_sub="910000000001")
    assert user.practice == other_icb_practice
    assert user.professional_role == ProfessionalRole.PRACTICE_NURSE
    assert user.home_icb == icb("QYG")
    assert not PracticeMove.objects.exists()
    assert cis2_changes()[1:] == [
        "Source: NHS CIS2. Professional role: GP → Practice nurse",
        "Source: NHS CIS2. Practice: Alpha Surgery (A11111) → Gamma Medical Practice (C33333)",
    ]
    # The generic audit of role changes did not record the same change a second time.
    assert AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).count() == 3

    client.logout()
    cis2_sign_in(client)  # nothing has changed: nothing more is audited
    assert len(cis2_changes()) == 3


def test_a_move_still_pending_is_cancelled_when_cis2_says_where_they_work(
    cis2_on, client, practice, other_icb_practice
):
    cis2_on.identity = Identity.at("A11111")
    cis2_sign_in(client)
    user = User.objects.get(cis2_sub="910000000001")
    PracticeMove.objects.create(user=user, from_practice=practice, to_practice=other_icb_practice)
    client.logout()
    cis2_sign_in(client)
    assert not PracticeMove.objects.pending().exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.PRACTICE_MOVE, detail__startswith="Cancelled (NHS CIS2"
    ).exists()


def test_an_icb_role_at_an_icb_makes_an_icb_admin_of_that_icb(cis2_on, client):
    cis2_on.identity = Identity.at(
        "QWO", "S8000:G8000:R8013", role_name="Health Service Management"
    )
    response = cis2_sign_in(client)
    assert response.status_code == 302
    user = User.objects.get(cis2_sub="910000000001")
    assert (user.role, user.icb, user.practice, user.professional_role) == (
        Role.ICB_ADMIN,
        icb("QWO"),
        None,
        "",
    )


def test_a_clinician_who_becomes_an_icb_admin_leaves_their_practice(cis2_on, client, practice):
    cis2_on.identity = Identity.at("A11111")
    cis2_sign_in(client)
    client.logout()
    cis2_on.identity.select(org_code="QWO", role_code="S8000:G8000:R8013")
    cis2_sign_in(client)
    user = User.objects.get(cis2_sub="910000000001")
    assert (user.role, user.icb_id, user.practice_id) == (Role.ICB_ADMIN, "QWO", None)
    assert "Source: NHS CIS2. Role: Clinician → ICB admin" in cis2_changes()
    assert (
        "Source: NHS CIS2. ICB administered: none → NHS West Yorkshire Integrated Care Board"
        in (cis2_changes())
    )


def test_a_cis2_user_cannot_change_their_practice_in_the_profile(cis2_on, client, practice):
    other = PracticeFactory(ods_code="B22222", icb=icb("QWO"))
    cis2_on.identity = Identity.at("A11111")
    cis2_sign_in(client)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Your name, role and organisation come from NHS CIS2" in page
    assert "Change your password" not in page
    client.post(
        reverse("accounts:profile"),
        {
            "practice": other.ods_code,
            "professional_role": "practice_staff",
            "registration_number": "1234567",
        },
    )
    user = User.objects.get(cis2_sub="910000000001")
    assert (user.practice, user.professional_role, user.registration_number) == (
        practice,
        ProfessionalRole.GP,
        "1234567",
    )
