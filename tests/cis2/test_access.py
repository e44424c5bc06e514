"""Which role a CIS2 sign-in gives: the selected role, mapped by CIS2_ROLE_MAP, at a practice or
ICB we know. Anything else is a clear 403 page that says why and whom to contact."""

import datetime

import pytest

from accounts.models import ICB, User
from core.models import AuditAction, AuditEvent
from tests.cis2.conftest import cis2_sign_in
from tests.cis2.provider import Identity
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def refusal(client, *, text: str) -> str:
    response = cis2_sign_in(client)
    assert response.status_code == 403
    page = response.content.decode()
    assert text in page
    assert "_auth_user_id" not in response.wsgi_request.session
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.target == "CIS2 910000000001"
    return page


def test_no_selected_role(cis2_on, client, practice):
    cis2_on.identity = Identity.at("A11111")
    cis2_on.identity.selected_roleid = None
    page = refusal(client, text="We could not find the role you selected")
    assert "Registration Authority" in page
    assert not User.objects.exists()


def test_a_selected_role_that_is_not_among_the_roles(cis2_on, client, practice):
    cis2_on.identity = Identity.at("A11111")
    cis2_on.identity.selected_roleid = "some-other-role"
    refusal(client, text="We could not find the role you selected")


def test_no_roles_at_all(cis2_on, client, practice):
    cis2_on.identity = Identity.at("A11111")
    cis2_on.identity.roles = []
    refusal(client, text="We could not find the role you selected")


def test_a_role_that_gives_no_access(cis2_on, client, practice, settings):
    cis2_on.identity = Identity.at(
        "A11111", "S8001:G8005:R8015", role_name="Systems Support Access Role"
    )
    page = refusal(client, text="Your role does not give access to this service")
    assert "Systems Support Access Role (S8001:G8005:R8015)" in page
    assert settings.CIS2_SUPPORT_CONTACT in page
    assert not User.objects.exists()


def test_an_unknown_organisation(cis2_on, client):
    cis2_on.identity = Identity.at("Z98765")
    page = refusal(client, text="Your organisation is not set up on this service")
    assert "ODS code Z98765" in page
    assert not User.objects.exists()


def test_a_practice_role_at_an_icb(cis2_on, client):
    cis2_on.identity = Identity.at("QWO", "S8000:G8000:R8000")
    page = refusal(client, text="Your role does not match your organisation")
    assert "an ICB. On Spotting Stalking this role gives access only at a GP practice" in page


def test_an_icb_that_has_closed_is_not_an_organisation_here(cis2_on, client):
    closed = ICB.objects.filter(valid_to__isnull=False).order_by("ods_code").first()
    cis2_on.identity = Identity.at(closed.ods_code, "S8000:G8000:R8013")
    refusal(client, text="Your organisation is not set up on this service")


def test_a_closed_practice(cis2_on, client, icbs):
    PracticeFactory(ods_code="D44444", name="Delta Surgery", closed_on=datetime.date(2025, 3, 31))
    cis2_on.identity = Identity.at("D44444")
    page = refusal(client, text="Your practice has closed")
    assert "Delta Surgery (D44444), which closed on 31 March 2025" in page


def test_the_map_is_the_operators_to_change(cis2_on, client, practice, settings):
    settings.CIS2_ROLE_MAP = {"S8001:G8005:R8015": "practice_staff"}
    cis2_on.identity = Identity.at("A11111", "S8001:G8005:R8015")
    assert cis2_sign_in(client).status_code == 302
    assert User.objects.get().professional_role == "practice_staff"


def test_an_account_turned_off_by_a_site_admin_cannot_sign_in(cis2_on, client, practice):
    cis2_on.identity = Identity.at("A11111")
    cis2_sign_in(client)
    User.objects.update(is_active=False)
    client.logout()
    response = cis2_sign_in(client)
    assert response.status_code == 403
    assert "Your account has been turned off" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session
