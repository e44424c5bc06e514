"""The dashboard's presenters: one per section, composed into the report the page, CSV and PDF
show; the templates only lay out what these decide."""

import datetime

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from reporting import disclosure as dc
from reporting import presenters
from reporting.presenters import DashboardPresenter, Headline, Table
from reporting.scope import Scope
from tests.factories import UserFactory, icb
from tests.reporting.conftest import complete, screening


class TestTable:
    def test_rows_split_into_their_label_and_values(self):
        table = Table("t", "Caption", ["Role", "Registered"], rows=[["GP", "10"], ["Nurse", "0"]])
        assert table.row_header == "Role"
        assert table.value_headers == ["Registered"]
        assert table.body == [("GP", ["10"]), ("Nurse", ["0"])]
        assert table.empty_message == ""

    def test_a_table_with_columns_and_no_rows_says_so_and_a_note_only_table_does_not(self):
        assert Table("t", "Caption", ["Role", "Registered"]).empty_message == presenters.NO_DATA
        assert Table("t", "Caption", [], note="Only a note").empty_message == ""

    def test_the_pdf_draws_only_the_charts_marked_for_it(self):
        chart = mark_safe("<svg></svg>")
        assert Table("bars", "Bars", [], chart=chart).print_chart is None
        assert Table("spc-1", "SPC", [], chart=chart, chart_in_pdf=True).print_chart == chart

    @pytest.mark.parametrize(
        "headline,text",
        [
            (
                Headline("Started", "15", "95% of registered clinicians"),
                "15 (95% of registered clinicians)",
            ),
            (Headline("Registered clinicians", "fewer than 8"), "fewer than 8"),
        ],
    )
    def test_a_headline_shows_its_detail_in_brackets_only_when_there_is_one(self, headline, text):
        assert headline.text == text


@pytest.mark.django_db
class TestDashboardPresenter:
    def test_build_returns_the_dashboard_presenters_report(self, report_data):
        scope = Scope(icb=icb("QWO"))
        built, presented = presenters.build(scope), DashboardPresenter(scope).report
        assert built == presented
        assert [title for title, _ in built.sections] == [
            "Training",
            "Confidence",
            "Screening",
            "Over time",
            "England by ICB",
        ]
        assert [h.label for h in built.headlines][-1] == "Screenings"

    def test_sections_come_from_their_own_presenters(self, report_data):
        dashboard = DashboardPresenter(Scope(icb=icb("QWO")))
        training = dict(dashboard.sections)["Training"]
        assert [t.id for t in training] == ["by-area", "by-role", "quiz", "hardest"]
        assert dashboard.training.tables[0].caption == "Training by practice"
        assert dashboard.screening.by_result.rows[0] == [
            "Stalking indicated",
            "fewer than 8",
            "not shown",
        ]
        marked = [row[0] for row in dashboard.boards.table.rows if row[0].endswith("(this ICB)")]
        assert marked == ["West Yorkshire ICB (this ICB)"]
        spc_tables = [t for t in dashboard.monthly.tables if t.print_chart is not None]
        assert [t.id for t in spc_tables] == ["spc-1", "spc-2", "spc-3"]

    def test_england_is_by_icb_with_no_practice_headline(self, report_data):
        dashboard = DashboardPresenter(Scope(icb=None))
        assert dashboard.training.tables[0].caption == "Training by ICB"
        assert not any(h.label.startswith("Fully trained") for h in dashboard.headlines)

    def test_one_practice_leaves_out_the_months_and_england(self, report_data):
        dashboard = DashboardPresenter(Scope(icb=icb("QWO"), practice=report_data["p1"]))
        titles = [title for title, _ in dashboard.sections]
        assert "England by ICB" not in titles
        (monthly,) = dict(dashboard.sections)["Over time"]
        assert monthly.note == presenters.MONTHLY_FILTERED and monthly.chart is None
        assert dashboard.lede == "All months, P1 Surgery"
        assert ("Practice", "P1 Surgery (P00001)") in dashboard.context

    def test_the_lede_names_the_role_chosen(self, report_data):
        scope = Scope(icb=icb("QWO"), professional_role="practice_nurse", period_label="2025")
        dashboard = DashboardPresenter(scope)
        assert dashboard.lede == "2025, Practice nurse"
        assert ("Professional role", "Practice nurse") in dashboard.context

    def test_a_screenings_total_that_would_give_away_a_hidden_month_is_hidden(self, monkeypatch):
        # Screenings by month 8 + 8 + 1 = 17, shown as 15 (13 to 17): two months of at least 8
        # would leave the third at most 1, so the period's total cannot be shown.
        months = [datetime.date(2026, m, 1) for m in (1, 2, 3)]
        series = [(month, 0, n, 0) for month, n in zip(months, (8, 8, 1), strict=True)]
        monkeypatch.setattr(presenters.selectors, "monthly", lambda scope: series)
        monthly = presenters.MonthlyPresenter(Scope(icb=None), {"total": 17, "ptsd_arranged": 0})
        assert monthly.hides_screenings_total
        assert [row[2] for row in monthly.table.rows] == [dc.HIDDEN, dc.HIDDEN, dc.FEWER_THAN]
        monkeypatch.setattr(presenters.MonthlyPresenter, "hides_screenings_total", True)
        dashboard = DashboardPresenter(Scope(icb=None))
        assert dashboard.headlines[-1] == Headline("Screenings", dc.HIDDEN)

    def test_one_practice_never_hides_the_total_for_the_months(self, monkeypatch):
        monkeypatch.setattr(presenters.selectors, "monthly", lambda scope: pytest.fail("read"))
        scope = Scope(icb=None, professional_role="gp")
        monthly = presenters.MonthlyPresenter(scope, {"total": 17, "ptsd_arranged": 0})
        assert not monthly.hides_screenings_total

    @pytest.mark.parametrize("practice", [False, True])
    def test_the_query_count_is_fixed(self, report_data, practice, django_assert_num_queries):
        scope = Scope(icb=icb("QWO"), practice=report_data["p2"] if practice else None)
        # The ICB's report reads the months and England by ICB; one practice's reads neither.
        with django_assert_num_queries(6 if practice else 9):
            presenters.build(scope)
        for _ in range(3):
            user = UserFactory(practice=report_data["p2"], professional_role="practice_nurse")
            complete(user, report_data["modules"])
            screening(user, stalking="possible", concern="raised", ptsd=True, arranged=True)
        cache.clear()  # England by ICB counted afresh, as once its cached figures expire
        with django_assert_num_queries(6 if practice else 9):
            presenters.build(scope)

    def test_england_by_icb_is_counted_once_per_period_for_everyone(
        self, report_data, django_assert_num_queries, settings
    ):
        from reporting import selectors

        settings.REPORTING_BOARDS_CACHE_SECONDS = 300
        first = selectors.boards(Scope(icb=icb("QWO")))
        another_icb, england = Scope(icb=icb("QYG")), Scope(icb=None)
        with django_assert_num_queries(0):
            # Another ICB's admin, and a site admin, asking for the same period.
            assert selectors.boards(another_icb) == first
            assert selectors.boards(england) == first
        with django_assert_num_queries(3):
            selectors.boards(Scope(icb=None, start=datetime.date(2026, 4, 1)))
        cache.clear()
        UserFactory(practice=report_data["p2"], professional_role="practice_nurse")
        (west_yorkshire,) = [b for b in selectors.boards(Scope(icb=None)) if b.ods_code == "QWO"]
        (before,) = [b for b in first if b.ods_code == "QWO"]
        assert west_yorkshire.registered == before.registered + 1


@pytest.mark.django_db
def test_the_page_draws_every_chart_and_the_pdf_only_the_spc_charts(report_data):
    report = presenters.build(Scope(icb=icb("QWO")))
    page = render_to_string(
        "reporting/includes/table.html",
        {"table": report.sections[0][1][0], "chart": report.sections[0][1][0].chart},
    )
    assert 'class="app-chart-wrapper"' in page
    pdf = render_to_string("reporting/report_pdf.html", {"report": report, "generated": None})
    assert pdf.count('class="app-chart-wrapper"') == 3
    assert '"spc-1-chart-title' in pdf and '"by-area-chart-title' not in pdf
    assert '"by-area-chart-title' in page


class TestPracticeBands:
    def test_each_practice_counts_once_in_the_band_of_the_share_its_row_shows(self):
        rates = [
            dc.rate(dc.count(20), dc.count(20)),  # 100%
            dc.rate(dc.count(15), dc.count(20)),  # 75%: exactly 75% is fully trained
            dc.rate(dc.count(10), dc.count(20)),  # 50%
            dc.rate(dc.count(10), dc.count(15)),  # 67%
            dc.rate(dc.count(0), dc.count(20)),  # 0%
            dc.rate(dc.count(3), dc.count(20)),  # fewer than 8 completed: not shown
            dc.rate(dc.count(0), dc.count(0)),  # nobody registered
        ]
        assert presenters.practice_bands(rates) == [
            ("75% or more (fully trained)", 2),
            ("50% to 74%", 2),
            ("25% to 49%", 0),
            ("Under 25%", 1),
            (presenters.NO_CLINICAL_STAFF, 1),
            (presenters.TOO_FEW_TO_PLACE, 1),
        ]

    def test_a_practice_is_placed_by_its_rounded_figures_never_its_true_counts(self):
        # 9 of 12 is 75%, but 9 and 12 are shown as 10 and 10: the row shows 100%. The band
        # must say no more than the row does.
        (shown,) = [dc.rate(dc.count(9), dc.count(12))]
        assert shown.display == "100%"
        assert dict(presenters.practice_bands([shown]))["75% or more (fully trained)"] == 1
        small = dc.rate(dc.count(6), dc.count(7))  # both fewer than 8: no rate shown
        assert dict(presenters.practice_bands([small]))[presenters.TOO_FEW_TO_PLACE] == 1


@pytest.mark.django_db
class TestPrintVersion:
    def test_an_icb_pdf_summarises_practices_by_band_and_the_page_keeps_each_practice(
        self, report_data
    ):
        scope = Scope(icb=icb("QWO"))
        printed = dict(presenters.build(scope, for_print=True).sections)["Training"]
        shown = dict(presenters.build(scope).sections)["Training"]
        assert [t.id for t in printed] == ["practice-bands", "by-role", "quiz", "hardest"]
        assert [t.id for t in shown] == ["by-area", "by-role", "quiz", "hardest"]
        bands = printed[0]
        practices = len(shown[0].rows)
        assert sum(int(row[1]) for row in bands.rows) == practices
        assert "CSV download" in bands.note

    @pytest.mark.parametrize("which", ["england", "practice"])
    def test_england_and_one_practice_print_what_the_page_shows(self, report_data, which):
        practice = report_data["p1"] if which == "practice" else None
        scope = Scope(icb=None if which == "england" else icb("QWO"), practice=practice)
        printed = dict(presenters.build(scope, for_print=True).sections)["Training"]
        shown = dict(presenters.build(scope).sections)["Training"]
        assert [t.id for t in printed] == [t.id for t in shown]

    def test_the_pdf_download_has_the_practice_summary(self, report_data, client, monkeypatch):
        from reporting import views
        from tests.factories import ICBAdminFactory

        printed = []
        monkeypatch.setattr(views, "render_pdf", lambda html: printed.append(html) or b"%PDF")
        client.force_login(ICBAdminFactory())
        response = client.get("/reporting/report.pdf")
        assert response.status_code == 200
        (html,) = printed
        assert "Practices by share of clinical staff who completed the training" in html
        assert "Training by practice" not in html


@pytest.mark.django_db
def test_an_icb_pdf_compares_the_icb_with_england_and_the_page_lists_every_board(report_data):
    scope = Scope(icb=icb("QWO"))
    (printed,) = dict(presenters.build(scope, for_print=True).sections)["England by ICB"]
    (shown,) = dict(presenters.build(scope).sections)["England by ICB"]
    assert [row[0] for row in printed.rows] == [
        "West Yorkshire ICB (this ICB)",
        "England (every ICB)",
    ]
    assert printed.headers == shown.headers
    assert len(shown.rows) == len(selectors_boards := presenters.selectors.boards(scope)) > 2
    with_service = sum(b.has_stalking_service for b in selectors_boards)
    assert printed.rows[1][-1] == f"{with_service} of {len(selectors_boards)} ICBs"
    england = Scope(icb=None)
    assert dict(presenters.build(england, for_print=True).sections)["England by ICB"][0].rows == (
        dict(presenters.build(england).sections)["England by ICB"][0].rows
    )


@pytest.mark.django_db
class TestFullyTrainedFromShownFigures:
    """The fully trained headline, the PDF's bands and England by ICB judge each practice by the
    share its row shows, so none of them says more than the table by practice (review of
    2026-12-04: with true counts, headline minus bands told whether a practice of 2 GPs had
    both completed)."""

    @pytest.fixture
    def tiny(self, report_data):
        from tests.factories import PracticeFactory

        return PracticeFactory(ods_code="P00009", name="Tiny Surgery", icb=icb("QYG"))

    def _figures(self):
        report = presenters.build(Scope(icb=icb("QYG")), for_print=True)
        headline = next(h for h in report.headlines if h.label.startswith("Fully trained"))
        bands = dict((row[0], row[1]) for row in dict(report.sections)["Training"][0].rows)
        (board,) = [b for b in presenters.selectors.boards(Scope(icb=None)) if b.ods_code == "QYG"]
        return headline, bands, board

    @pytest.mark.parametrize("completed", [0, 2])
    def test_a_small_practice_reads_the_same_whether_or_not_its_staff_completed(
        self, report_data, tiny, completed
    ):
        for n in range(2):
            gp = UserFactory(practice=tiny, professional_role="gp")
            if n < completed:
                complete(gp, report_data["modules"])
        cache.clear()
        headline, bands, board = self._figures()
        assert headline.value == "1 of 2"
        assert headline.detail == "1 not placed: fewer than 8 registered or completed"
        assert bands["75% or more (fully trained)"] == "1"
        assert bands[presenters.TOO_FEW_TO_PLACE] == "1"
        assert board.fully_trained_practices == 1
        assert board.practices_too_few == 1
        (row,) = [
            r
            for r in presenters.BoardsPresenter(Scope(icb=None)).table.rows
            if r[0].startswith("Cheshire")
        ]
        assert row[1] == "1 of 2 (50%); 1 not placed: fewer than 8 registered or completed"

    def test_a_row_shown_as_75_percent_is_fully_trained(self):
        from reporting.selectors import ProgressRow, fully_trained

        # 196 of 262 is 74.8%, shown as "75%": the band and the headline follow the row.
        rows = [ProgressRow("1", "A", registered=262, started=262, completed=196)]
        assert dc.row_rates([196], [262])[0].display == "75%"
        assert fully_trained(
            dc.row_rates([r.completed for r in rows], [r.registered for r in rows])
        ) == (1, 0)
        rates = dc.row_rates([196], [262])
        assert dict(presenters.practice_bands(rates))["75% or more (fully trained)"] == 1


@pytest.mark.django_db
def test_the_pdfs_england_row_counts_screenings_of_boards_that_have_closed(report_data):
    from accounts.models import ICB, User
    from screening.models import Screening

    former = ICB.objects.exclude(valid_to=None).first()
    gp = User.objects.filter(practice=report_data["p3"]).first()
    made = [screening(gp, stalking="indicated", concern="high", ptsd=True) for _ in range(30)]
    Screening.objects.filter(pk__in=[s.pk for s in made]).update(icb=former)
    cache.clear()
    england = presenters.selectors.england_board(Scope(icb=None))
    current = presenters.selectors.boards(Scope(icb=None))
    assert england.ptsd_recommended == sum(b.ptsd_recommended for b in current) + 30
    (printed,) = dict(presenters.build(Scope(icb=icb("QWO")), for_print=True).sections)[
        "England by ICB"
    ]
    arranged = dc.rate(
        dc.count(england.ptsd_arranged, within=dc.count(england.ptsd_recommended)),
        dc.count(england.ptsd_recommended),
    )
    assert printed.rows[1][3] == arranged.display


@pytest.mark.django_db
def test_a_cache_that_does_not_answer_still_gives_england_by_icb(report_data, monkeypatch):
    from reporting import selectors

    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(selectors.cache, "get", down)
    monkeypatch.setattr(selectors.cache, "set", down)
    assert selectors.boards(Scope(icb=None)) == selectors.count_boards(Scope(icb=None))[0]
