import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.reporting.conftest import complete, screening

DASHBOARD = reverse("reporting:dashboard")
CSV = reverse("reporting:export_csv")
PDF = reverse("reporting:report_pdf")


def rows(client, query=""):
    response = client.get(CSV + query)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def value(data, table, row, column="value"):
    matches = [
        r["value"]
        for r in data
        if r["table"] == table and r["row"] == row and r["column"] == column
    ]
    assert len(matches) == 1, (table, row, column, matches)
    return matches[0]


@pytest.mark.django_db
class TestFigures:
    def test_training_headlines(self, icb_admin_client, report_data):
        data = rows(icb_admin_client)
        assert value(data, "Headlines", "Registered clinicians") == "16"
        assert value(data, "Headlines", "Started the training") == "14"
        assert value(data, "Headlines", "Completed the training") == "11"
        assert (
            value(
                data,
                "Headlines",
                "Fully trained practices (75% or more of clinical staff completed)",
            )
            == "1 of 2"
        )

    def test_by_role(self, icb_admin_client, report_data):
        data = rows(icb_admin_client)
        table = "Training by professional role"
        assert value(data, table, "GP", "Registered") == "10"
        assert value(data, table, "GP", "Started") == "9"
        # 3 nurses completed: shown as fewer than 5, and GP's 8 hidden so it can't be worked
        # out from the total of 11.
        assert value(data, table, "Practice nurse", "Completed") == "fewer than 5"
        assert value(data, table, "GP", "Completed") == "suppressed"
        assert value(data, table, "GP", "Completed (%)") == "suppressed"

    def test_practice_with_three_completions_is_never_shown(self, icb_admin_client, report_data):
        data = rows(icb_admin_client)
        table = "Training by practice"
        assert value(data, table, "P2 Health Centre", "Completed") == "fewer than 5"
        assert value(data, table, "P2 Health Centre", "Completed (%)") == "suppressed"
        assert value(data, table, "P1 Surgery", "Completed") == "suppressed"
        html = icb_admin_client.get(DASHBOARD).content.decode()
        assert "fewer than 5" in html
        pdf = icb_admin_client.get(PDF)
        assert pdf.content.startswith(b"%PDF")

    def test_quiz_first_attempts(self, icb_admin_client, report_data):
        data = rows(icb_admin_client)
        table = "Quiz: first-attempt pass rate by module"
        assert value(data, table, "Module alpha", "First attempts") == "11"
        assert value(data, table, "Module alpha", "Pass rate") == "100%"

    def test_confidence_pairs_and_change(self, icb_admin_client, report_data):
        data = rows(icb_admin_client)
        table = "Confidence before and after training"
        statement = "I feel confident identifying a patient who may be being stalked."
        assert value(data, table, statement, "Agree before (%)") == "55%"  # 6 of 11
        assert value(data, table, statement, "Agree after (%)") == "100%"
        assert value(data, table, statement, "Change (points)") == "+45"
        html = icb_admin_client.get(DASHBOARD).content.decode()
        assert "People with both surveys: 11; pairing rate 79%" in html  # 11 of 14

    def test_screening_and_ptsd_arranged_rate(self, icb_admin_client, report_data):
        data = rows(icb_admin_client)
        assert value(data, "Headlines", "Screenings") == "12"
        assert value(data, "Screenings by result", "Stalking indicated", "Screenings") == "7"
        assert value(data, "Screenings by result", "Possible stalking", "Screenings") == "5"
        assert value(data, "Screenings by result", "Not indicated", "Screenings") == "0"
        table = "PTSD assessment and other prompts"
        assert value(data, table, "PTSD assessment recommended", "Count") == "10"
        assert value(data, table, "PTSD assessment arranged, of those recommended", "Rate") == "60%"


@pytest.mark.django_db
class TestScope:
    def test_icb_admin_never_sees_the_other_icb_even_by_tampering(
        self, icb_admin_client, report_data
    ):
        for query in ("", "?icb=QYG", "?icb=qyg&practice=P00003", "?practice=P00003"):
            html = icb_admin_client.get(DASHBOARD + query).content.decode()
            assert "NHS West Yorkshire Integrated Care Board" in html
            assert "P3 Medical Practice" not in html
            data = rows(icb_admin_client, query)
            assert value(data, "Headlines", "Registered clinicians") == "16"
            assert value(data, "Headlines", "Screenings") == "12"
            assert {r["area"] for r in data} == {"NHS West Yorkshire Integrated Care Board"}

    def test_other_icb_admin_sees_only_theirs(self, other_icb_admin_client, report_data):
        data = rows(other_icb_admin_client, "?icb=QWO")
        assert value(data, "Headlines", "Registered clinicians") == "20"
        assert value(data, "Headlines", "Screenings") == "30"

    def test_site_admin_sees_england_or_any_icb(self, site_admin_client, report_data):
        data = rows(site_admin_client)
        assert value(data, "Headlines", "Registered clinicians") == "36"
        assert value(data, "Headlines", "Screenings") == "42"
        data = rows(site_admin_client, "?icb=QYG")
        assert value(data, "Headlines", "Registered clinicians") == "20"

    def test_practice_and_role_filters(self, icb_admin_client, report_data):
        data = rows(icb_admin_client, "?practice=P00001")
        assert value(data, "Headlines", "Registered clinicians") == "10"
        data = rows(icb_admin_client, "?professional_role=practice_nurse")
        assert value(data, "Headlines", "Registered clinicians") == "6"
        assert value(data, "Headlines", "Completed the training") == "fewer than 5"

    def test_summary_figures_say_they_count_whole_months(self, icb_admin_client, report_data):
        today = timezone.localdate()
        note = "Counted in whole calendar months"
        page = icb_admin_client.get(DASHBOARD + f"?start={today}&end={today}")
        assert page.content.decode().count(note) == 4  # quiz, questions, confidence, monthly
        assert note not in icb_admin_client.get(DASHBOARD).content.decode()
        exact = icb_admin_client.get(DASHBOARD + f"?start={today}&practice=P00001")
        assert note not in exact.content.decode()

    @pytest.mark.parametrize(
        "query",
        [
            "?start=not-a-date",
            "?start=2026-12-01&end=2026-01-01",
            "?professional_role=surgeon",
            "?practice=%00",
            "?icb=" + "Q" * 500,
        ],
    )
    def test_bad_filters_show_errors_not_500s(self, icb_admin_client, report_data, query):
        response = icb_admin_client.get(DASHBOARD + query)
        assert response.status_code == 200

    @pytest.mark.parametrize("persona", ["clinician", "other_practice_clinician"])
    def test_clinicians_cannot_see_reports(self, role_clients, persona, report_data):
        client = role_clients(persona)
        for url in (DASHBOARD, CSV, PDF):
            assert client.get(url).status_code == 403

    def test_anonymous_is_sent_to_sign_in(self, anonymous_client, report_data):
        assert anonymous_client.get(DASHBOARD).status_code == 302


@pytest.mark.parametrize("viewer", ["icb_admin_client", "site_admin_client"])
def test_dashboard_query_count_is_fixed_and_at_most_twelve(
    request, viewer, report_data, django_assert_max_num_queries
):
    client = request.getfixturevalue(viewer)
    # Twelve, counting the request's transaction (its savepoint and release in a test).
    with django_assert_max_num_queries(12) as captured:
        assert client.get(DASHBOARD).status_code == 200
    first = len(captured)
    for _ in range(5):
        user = UserFactory(practice=report_data["p2"], professional_role="practice_nurse")
        complete(user, report_data["modules"])
        screening(user, stalking="possible", concern="raised", ptsd=True, arranged=True)
    with CaptureQueriesContext(connection) as again:
        client.get(DASHBOARD)
    assert len(again) == first
