"""The NHS.UK components on our real pages match the official macros.

Each test renders a page in a known state, finds every component on it (header, footer, skip
link, back link, cards, summary lists, tags, inset text, warning callouts, details, panels,
task lists, buttons, pagination) and compares each with the official macro given the
parameters read back from our markup (see `twins`). A difference must be fixed or declared in
`intentional.py`.
"""

import pytest
from django.urls import reverse

from referrals.models import Service
from referrals.services import seed_load
from screening.models import Screening
from tests.components import markup, twins
from tests.components.intentional import check
from tests.screening.test_views import form_data

#: Every page the sweep renders: intentional.py may name only these.
PAGES = (
    "start-signed-out",
    "start-signed-in",
    "training-home",
    "training-page",
    "directory",
    "service-page",
    "screening-new",
    "screening-result",
    "profile",
)


def sweep(page_id: str, html: str) -> None:
    tree = markup.parse(html)
    found = {}
    results = {}
    for name, element in twins.components(tree):
        found[name] = found.get(name, 0) + 1
        case_id = f"page/{page_id}/{name}-{found[name]}"
        official_tree = markup.parse(twins.twin(name, element))
        results[case_id] = markup.differences(markup.fragment(element), official_tree)
    assert results, f"no NHS.UK components found on {page_id}"
    check(results)


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def directory(icbs):
    result = seed_load(examples=True)
    assert result.ok, result.errors


@pytest.mark.django_db
def test_start_page_signed_out(anonymous_client, icbs):
    sweep("start-signed-out", _get(anonymous_client, reverse("core:start")))


@pytest.mark.django_db
def test_start_page_signed_in(clinician_client):
    sweep("start-signed-in", _get(clinician_client, reverse("core:start")))


@pytest.mark.django_db
def test_training_home(clinician_client, course):
    sweep("training-home", _get(clinician_client, reverse("training:home")))


@pytest.mark.django_db
def test_training_page(clinician_client, course, before_survey_done):
    url = reverse("training:page", args=[course[0].slug, 2])
    sweep("training-page", _get(clinician_client, url))


@pytest.mark.django_db
def test_directory(clinician_client, directory):
    sweep("directory", _get(clinician_client, reverse("referrals:directory")))


@pytest.mark.django_db
def test_service_page(clinician_client, directory):
    service = Service.objects.filter(is_national=True).order_by("name").first()
    sweep(
        "service-page", _get(clinician_client, reverse("referrals:service_page", args=[service.pk]))
    )


@pytest.mark.django_db
def test_screening_checklist(clinician_client, directory):
    sweep("screening-new", _get(clinician_client, reverse("screening:new")))


@pytest.mark.django_db
def test_screening_result(clinician_client, directory):
    clinician_client.post(reverse("screening:new"), form_data())
    screening = Screening.objects.get()
    sweep("screening-result", _get(clinician_client, screening.get_absolute_url()))


@pytest.mark.django_db
def test_profile(clinician_client):
    sweep("profile", _get(clinician_client, reverse("accounts:profile")))
