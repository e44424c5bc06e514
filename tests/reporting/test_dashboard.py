import csv
import io

import pytest
from django.core.cache import cache
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
    text = response.content.decode()
    # The file opens with what it holds (area, period, filters, rules), then the tables.
    return list(csv.DictReader(io.StringIO(text[text.index("area,table,row") :])))


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
        # 16, 14 and 11, each rounded to the nearest 5.
        assert value(data, "Headlines", "Registered clinicians") == "15"
        assert value(data, "Headlines", "Started the training") == "15"
        assert value(data, "Headlines", "Completed the training") == "10"
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
        assert value(data, table, "GP", "Started") == "10"  # 9, rounded
        # 3 nurses completed: fewer than 8. The GPs' 8 (shown as 10, so 8 to 12) and the total
        # of 11 (shown as 10) leave the nurses anywhere from 1 to 4: not pinned, so the GPs'
        # figure can stay, and its rate is worked out from the rounded figures.
        assert value(data, table, "Practice nurse", "Completed") == "fewer than 8"
        assert value(data, table, "Practice nurse", "Completed (%)") == "not shown"
        assert value(data, table, "GP", "Completed") == "10"
        assert value(data, table, "GP", "Completed (%)") == "100%"

    def test_practice_with_three_completions_is_never_shown(self, icb_admin_client, report_data):
        data = rows(icb_admin_client)
        table = "Training by practice"
        assert value(data, table, "P2 Health Centre", "Completed") == "fewer than 8"
        assert value(data, table, "P2 Health Centre", "Completed (%)") == "not shown"
        assert value(data, table, "P1 Surgery", "Completed") == "10"
        html = icb_admin_client.get(DASHBOARD).content.decode()
        assert "fewer than 8" in html
        pdf = icb_admin_client.get(PDF)
        assert pdf.content.startswith(b"%PDF")

    def test_quiz_first_attempts(self, icb_admin_client, report_data):
        data = rows(icb_admin_client)
        table = "Quiz: first-attempt pass rate by module"
        assert value(data, table, "Module alpha", "First attempts") == "10"  # 11
        assert value(data, table, "Module alpha", "Pass rate") == "100%"

    def test_confidence_pairs_and_change(self, icb_admin_client, report_data):
        data = rows(icb_admin_client)
        table = "Confidence before and after training"
        statement = "I feel confident identifying a patient who may be being stalked."
        # 6 of 11 agreed before: 6 is fewer than 8, so neither it nor the change is shown.
        assert value(data, table, statement, "Agree before (%)") == "not shown"
        assert value(data, table, statement, "Agree after (%)") == "100%"  # 10 of 10, rounded
        assert value(data, table, statement, "Change (points)") == "not shown"
        html = icb_admin_client.get(DASHBOARD).content.decode()
        # 11 of 14, rounded to 10 of 15.
        assert "People with both surveys: 10 (67% of those who took the first survey)" in html

    def test_screening_and_ptsd_arranged_rate(self, icb_admin_client, report_data):
        data = rows(icb_admin_client)
        assert value(data, "Headlines", "Screenings") == "10"  # 12
        table = "Screenings by result"
        assert value(data, table, "Stalking indicated", "Screenings") == "fewer than 8"
        assert value(data, table, "Possible stalking", "Screenings") == "fewer than 8"
        assert value(data, table, "Not indicated", "Screenings") == "0"
        assert value(data, table, "Not indicated", "Share") == "0%"
        table = "PTSD assessment and other prompts"
        assert value(data, table, "PTSD assessment recommended", "Screenings") == "10"
        arranged = "PTSD assessment arranged, of those recommended"
        assert value(data, table, arranged, "Screenings") == "fewer than 8"  # 6
        assert value(data, table, arranged, "Rate") == "not shown"


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
            assert value(data, "Headlines", "Registered clinicians") == "15"
            assert value(data, "Headlines", "Screenings") == "10"
            assert {r["area"] for r in data} == {"NHS West Yorkshire Integrated Care Board"}

    def test_other_icb_admin_sees_only_theirs(self, other_icb_admin_client, report_data):
        data = rows(other_icb_admin_client, "?icb=QWO")
        assert value(data, "Headlines", "Registered clinicians") == "20"
        assert value(data, "Headlines", "Screenings") == "30"

    def test_site_admin_sees_england_or_any_icb(self, site_admin_client, report_data):
        data = rows(site_admin_client)
        assert value(data, "Headlines", "Registered clinicians") == "35"  # 36
        assert value(data, "Headlines", "Screenings") == "40"  # 42
        data = rows(site_admin_client, "?icb=QYG")
        assert value(data, "Headlines", "Registered clinicians") == "20"

    def test_practice_and_role_filters(self, icb_admin_client, report_data):
        data = rows(icb_admin_client, "?practice=P00001")
        assert value(data, "Headlines", "Registered clinicians") == "10"
        data = rows(icb_admin_client, "?professional_role=practice_nurse")
        assert value(data, "Headlines", "Registered clinicians") == "fewer than 8"  # 6
        assert value(data, "Headlines", "Completed the training") == "fewer than 8"  # 3

    def test_periods_are_whole_months_quarters_or_years(self, icb_admin_client, report_data):
        today = timezone.localdate()
        month = icb_admin_client.get(DASHBOARD + f"?period={today:%Y-%m}").content.decode()
        assert f"{today:%B %Y} (so far)" in month
        data = rows(icb_admin_client, f"?period={today:%Y-%m}")
        assert value(data, "Headlines", "Screenings") == "10"  # all made this month
        last_year = today.replace(year=today.year - 1)
        data = rows(icb_admin_client, f"?period={last_year:%Y-%m}")
        assert value(data, "Headlines", "Screenings") == "0"
        # A day range, the old way in, is not a period: it is ignored, never applied.
        data = rows(icb_admin_client, f"?start={today}&end={today}")
        assert [r for r in csv.reader(io.StringIO(icb_admin_client.get(CSV).content.decode()))][1]
        assert value(data, "Headlines", "Screenings") == "10"

    @pytest.mark.parametrize(
        "query,message",
        [
            ("?practice=P00001&professional_role=gp", "not both"),
            ("?practice=P00001&period={month}", "choose a quarter"),
            ("?professional_role=gp&period={month}", "choose a quarter"),
        ],
    )
    def test_the_smallest_combinations_are_refused(
        self, icb_admin_client, report_data, query, message
    ):
        month = f"{timezone.localdate():%Y-%m}"
        html = icb_admin_client.get(DASHBOARD + query.format(month=month)).content.decode()
        assert "nhsuk-error-summary" in html and message in html
        # The figures shown are the whole ICB's, never the refused combination's.
        data = rows(icb_admin_client, query.format(month=month))
        assert value(data, "Headlines", "Registered clinicians") == "15"

    def test_a_period_not_offered_gets_a_message(self, icb_admin_client, report_data):
        html = icb_admin_client.get(DASHBOARD + "?period=2026-12-01").content.decode()
        assert "Choose a period from the list" in html
        assert "nhsuk-error-summary" in html

    @pytest.mark.parametrize(
        "query",
        [
            "?period=not-a-period",
            "?period=1999-04-fy",
            "?period=%ff%fe",
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
def test_dashboard_query_count_is_fixed_and_at_most_fifteen(
    request, viewer, report_data, django_assert_max_num_queries
):
    client = request.getfixturevalue(viewer)
    # Fifteen, counting the request's transaction (its savepoint and release in a test); three
    # of them are the England by ICB table.
    with django_assert_max_num_queries(15) as captured:
        assert client.get(DASHBOARD).status_code == 200
    first = len(captured)
    for _ in range(5):
        user = UserFactory(practice=report_data["p2"], professional_role="practice_nurse")
        complete(user, report_data["modules"])
        screening(user, stalking="possible", concern="raised", ptsd=True, arranged=True)
    cache.clear()  # England by ICB counted afresh, as once its cached figures expire
    with CaptureQueriesContext(connection) as again:
        client.get(DASHBOARD)
    assert len(again) == first
    with CaptureQueriesContext(connection) as cached:
        client.get(DASHBOARD)
    assert len(cached) == first - 3  # England by ICB read from the cache
