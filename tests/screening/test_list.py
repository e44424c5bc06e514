"""My screenings: the clinician's own, newest first, with a reference and no patient details."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.models import Outcome, Screening
from tests.screening.test_views import form_data

LIST = reverse("screening:list")
NEW = reverse("screening:new")
pytestmark = pytest.mark.django_db


def _screen(client, n=1, **answers):
    for _ in range(n):
        assert client.post(NEW, form_data(**answers)).status_code == 302


def test_newest_first_with_date_reference_result_and_outcome(clinician_client):
    _screen(clinician_client, relationship="stranger")
    _screen(clinician_client, immediate_danger="yes")
    older, newer = Screening.objects.order_by("created_at")
    Screening.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    Outcome.objects.create(screening=older, helpline_given=True)
    html = clinician_client.get(LIST).content.decode()
    assert html.index(newer.reference) < html.index(older.reference)
    assert "Stalking indicated: high concern" in html
    assert "Emergency" in html
    assert "Recorded" in html and "Not recorded yet" in html


def test_only_the_owner_sees_their_screenings(clinician_client, role_clients):
    _screen(clinician_client)
    screening = Screening.objects.get()
    html = role_clients("other_practice_clinician").get(LIST).content.decode()
    assert screening.reference not in html
    assert "You have not made any screenings yet." in html
    for persona in ("icb_admin", "site_admin"):
        assert role_clients(persona).get(LIST).status_code == 403


def test_nothing_identifying_a_patient_is_listed(clinician_client):
    _screen(clinician_client)
    html = clinician_client.get(LIST).content.decode()
    for answer in ("ex_partner", "Ex-partner", "following"):
        assert answer not in html


def test_reference_is_in_the_record_summary(clinician_client):
    _screen(clinician_client)
    screening = Screening.objects.get()
    page = clinician_client.get(screening.get_absolute_url()).content.decode()
    summary = page[page.index('id="record-summary"') :]
    assert f"ref {screening.reference}" in summary[: summary.index("</textarea>")]


def test_query_count_does_not_grow_with_screenings(clinician_client, django_assert_num_queries):
    _screen(clinician_client, n=2)
    with django_assert_num_queries(6):
        clinician_client.get(LIST)
    _screen(clinician_client, n=3)
    with django_assert_num_queries(6):
        clinician_client.get(LIST)


def test_pages_of_fifty(clinician_client, clinician):
    _screen(clinician_client)
    first = Screening.objects.get()
    Screening.objects.bulk_create(
        [
            Screening(
                clinician=clinician,
                submission_id=uuid.uuid4(),
                answers=first.answers,
                rules_version=first.rules_version,
                stalking=first.stalking,
                concern=first.concern,
                reasons=first.reasons,
                risk_count=first.risk_count,
                ptsd_count=first.ptsd_count,
            )
            for _ in range(55)
        ]
    )
    html = clinician_client.get(LIST).content.decode()
    assert html.count('class="nhsuk-table__row"') == 51  # header and 50 rows
    assert "?page=2" in html
    assert clinician_client.get(LIST + "?page=99").status_code == 200
    assert clinician_client.get(LIST + "?page=%00").status_code == 200


def test_purge_removes_them_from_the_list(clinician_client, settings):
    from django.core.management import call_command

    _screen(clinician_client)
    screening = Screening.objects.get()
    Screening.objects.update(
        created_at=timezone.now() - datetime.timedelta(days=settings.SCREENING_RETENTION_DAYS + 1)
    )
    call_command("purge_screenings")
    assert screening.reference not in clinician_client.get(LIST).content.decode()
