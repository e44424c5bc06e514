"""The add form's submission id makes a double submit add one service, even when the two
requests arrive together (issue 14, point 3): the second is answered as a double click is.
"""

import uuid

import pytest
from django.db import transaction
from django.urls import reverse

from referrals import services
from referrals.models import ChangeAction, Organisation, Service, ServiceChange
from tests.referrals.helpers import details, form_data

pytestmark = pytest.mark.django_db

ADD = reverse("referrals:service_add")


def _racing(monkeypatch, winner):
    """Make `winner()` run once, after service_create's check for the submission and before
    its insert: what a simultaneous request that commits first looks like to the second.
    """
    real = services._organisation_named
    state = {"raced": False}

    def organisation_named(name):
        if not state["raced"]:
            state["raced"] = True
            winner()
        return real(name)

    monkeypatch.setattr(services, "_organisation_named", organisation_named)


def test_a_double_click_adds_one_service(icb_admin_client):
    data = form_data(submission=str(uuid.uuid4()))
    first = icb_admin_client.post(ADD, data)
    second = icb_admin_client.post(ADD, data)
    service = Service.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == service.get_absolute_url()
    assert ServiceChange.objects.get().action == ChangeAction.CREATED


def test_a_simultaneous_second_submit_gets_the_saved_service_not_a_500(
    icb_admin_client, icb_admin, monkeypatch
):
    submission = uuid.uuid4()
    saved = {}

    def winner():
        saved["service"] = services.service_create(
            actor=icb_admin,
            details=details(organisation_name="Calder Support", submission_id=submission),
        )

    _racing(monkeypatch, winner)
    response = icb_admin_client.post(ADD, form_data(submission=str(submission)), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(saved["service"].get_absolute_url(), 302)]
    assert "has been added to the directory" in response.content.decode()
    assert Service.objects.get() == saved["service"]
    assert Service.objects.filter(submission_id=submission).count() == 1
    assert Organisation.objects.count() == 1
    assert ServiceChange.objects.count() == 1


def test_the_losing_request_keeps_a_working_transaction(icb_admin, monkeypatch):
    submission = uuid.uuid4()
    form = details(submission_id=submission)
    saved = {}
    _racing(
        monkeypatch,
        lambda: saved.setdefault("service", services.service_create(actor=icb_admin, details=form)),
    )
    with transaction.atomic():  # as a request that wraps the service call would be
        returned = services.service_create(actor=icb_admin, details=form)
        assert returned == saved["service"]
        assert Service.objects.count() == 1  # the outer transaction still runs queries


def test_two_new_services_for_one_new_organisation_at_once(icb_admin, monkeypatch):
    """Two admins add different services for the same new organisation together."""
    other = Organisation.objects.create(name="Calder Support")
    real_filter = Organisation.objects.filter
    calls = []

    def filter_missing_the_first_time(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:  # the check ran before the other request committed
            return Organisation.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Organisation.objects, "filter", filter_missing_the_first_time)
    service = services.service_create(
        actor=icb_admin, details=details(organisation_name="CALDER SUPPORT")
    )
    assert service.organisation == other
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_an_organisation_name_in_another_unicode_spelling_is_the_same_organisation():
    """Pen test: with "Kent Refuge" saved, "\u212aent Refuge" (Kelvin sign) broke the unique
    lower(name) constraint on PostgreSQL with a 500; both now name one organisation."""
    from referrals.models import Organisation
    from referrals.services import _organisation_named

    first = _organisation_named("Kent Refuge")
    second = _organisation_named("\u212aent Refuge")
    third = _organisation_named("KENT REFUGE")

    assert first.pk == second.pk == third.pk
    assert Organisation.objects.count() == 1
