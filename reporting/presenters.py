"""Turn report figures into tables and charts that are safe to show: disclosure control here.

One small presenter per dashboard section (training progress, quiz, confidence, screening
results, each month, England by ICB), composed by DashboardPresenter into a Report. Every table
the page shows is also what the CSV and the PDF contain, so all three always agree and are
suppressed the same way; the templates only lay the ready values out.
"""

from dataclasses import dataclass, field, replace
from functools import cached_property

from django.utils.safestring import SafeString

from accounts.models import ProfessionalRole
from referrals.models import ServiceType
from reporting import charts, selectors, spc
from reporting import disclosure as dc

# National baselines (Suzy Lamplugh Trust, National Stalking Awareness Week 2025).
BASELINE_CONFIDENT_IDENTIFYING = 7
BASELINE_KNOW_WHERE_TO_REFER = 15
BASELINE_PTSD_ASSESSED = 24

NO_DATA = "No data for this period."


@dataclass
class Table:
    id: str
    caption: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    chart: SafeString | None = None
    note: str = ""
    chart_in_pdf: bool = False  # the PDF draws only the SPC charts: the bars' numbers are tables

    @property
    def print_chart(self) -> SafeString | None:
        """Return the chart the PDF draws, or None when its table says it all."""
        return self.chart if self.chart_in_pdf else None

    @property
    def row_header(self) -> str:
        """Return the first column's heading: it heads the row labels."""
        return self.headers[0] if self.headers else ""

    @property
    def value_headers(self) -> list[str]:
        return self.headers[1:]

    @property
    def body(self) -> list[tuple[str, list[str]]]:
        """Return each row as (its label, its values)."""
        return [(row[0], row[1:]) for row in self.rows]

    @property
    def empty_message(self) -> str:
        """Return what to say instead of a table with columns but no rows."""
        return NO_DATA if self.headers and not self.rows else ""


@dataclass
class Headline:
    label: str
    value: str
    detail: str = ""

    @property
    def text(self) -> str:
        """Return the value with its detail in brackets, as the page and the PDF show it."""
        return f"{self.value} ({self.detail})" if self.detail else self.value


@dataclass
class Report:
    area: str
    headlines: list[Headline]
    sections: list[tuple[str, list[Table]]]
    context: list[tuple[str, str]] = field(default_factory=list)  # area, period, filters, rules
    lede: str = ""  # the period and the filters, in one line under the heading


def _share(rate: dc.Rate, of: str) -> str:
    """Return "45% of registered clinicians", or "" when the rate may not be shown."""
    return f"{rate.display} of {of}" if rate.value is not None else ""


PROGRESS_COLUMNS = ("registered", "started", "completed")


def _protected_columns(rows) -> tuple[list[list[dc.Count]], list[dc.Count]]:
    """Return each progress column's cells and its total, protected together (dc.protect)."""
    protected = [dc.protect([getattr(r, name) for r in rows]) for name in PROGRESS_COLUMNS]
    return [cells for cells, _ in protected], [total for _, total in protected]


def _progress_table(table_id, caption, first_header, rows, columns) -> Table:
    """Return a progress table from its rows and their protected columns."""
    table = Table(
        table_id, caption, [first_header, "Registered", "Started", "Completed", "Completed (%)"]
    )
    bars = []
    for r, reg, st, done in zip(rows, *columns, strict=True):
        pct = dc.rate(done, reg)
        table.rows.append([r.label, reg.display, st.display, done.display, pct.display])
        bars.append(charts.Bar(r.label, pct.value, pct.display))
    table.chart = charts.bar_chart(
        f"{table_id}-chart", f"{caption}: share completed", bars, maximum=100
    )
    return table


class TrainingProgressPresenter:
    """Who registered, started and completed: the headline figures and two tables."""

    def __init__(self, scope):
        self.scope = scope

    @cached_property
    def _progress(self) -> selectors.Progress:
        return selectors.progress(self.scope)

    @cached_property
    def _area_columns(self) -> tuple[list[list[dc.Count]], list[dc.Count]]:
        return _protected_columns(self._progress.by_area)

    @cached_property
    def headlines(self) -> list[Headline]:
        # Headline figures are about clinical staff; the practice team is counted apart.
        reg_c, start_c, done_c = self._area_columns[1]
        progress = self._progress
        team_reg, team_done = dc.count(progress.team.registered), dc.count(progress.team.completed)
        headlines = [
            Headline("Registered clinicians", reg_c.display),
            Headline(
                "Started the training",
                start_c.display,
                _share(dc.rate(start_c, reg_c), "registered clinicians"),
            ),
            Headline(
                "Completed the training",
                done_c.display,
                _share(dc.rate(done_c, reg_c), "registered clinicians"),
            ),
            Headline(
                "Practice team trained (reception and administration)",
                team_done.display,
                _share(dc.rate(team_done, team_reg), "registered practice team"),
            ),
        ]
        if self.scope.icb:
            headlines.append(self._fully_trained_practices)
        return headlines

    @cached_property
    def _area_rates(self) -> list[dc.Rate]:
        """Return each area's share completed as its row in the table shows it."""
        registered, _, completed = self._area_columns[0]
        return [dc.rate(done, reg) for reg, done in zip(registered, completed, strict=True)]

    @property
    def _fully_trained_practices(self) -> Headline:
        # Practices are organisations, not people: their count needs no suppression. Each is
        # judged by the share its row shows, so the headline says nothing the table does not.
        trained, too_few = selectors.fully_trained(self._area_rates)
        return Headline(
            "Fully trained practices (75% or more of clinical staff completed)",
            f"{trained} of {len(self._area_rates)}",
            f"{too_few} not placed: {NOT_PLACED_WHY}" if too_few else "",
        )

    @cached_property
    def print_tables(self) -> list[Table]:
        """Return the PDF's tables: for an ICB, practices by band instead of one row each.

        An ICB has up to about 275 practices; a row for each filled pages of a board paper and
        took WeasyPrint about 1.7 s of a 2.5 s render (docs/benchmarks.md). Each practice's
        figures stay on the dashboard and in the CSV download.
        """
        if not self.scope.icb or self.scope.practice:
            return self.tables
        bands = practice_bands(self._area_rates)
        total = sum(n for _, n in bands)
        table = Table(
            "practice-bands",
            "Practices by share of clinical staff who completed the training",
            ["Share of clinical staff completed", "Practices", "Share of practices"],
            rows=[
                [label, str(n), f"{100 * n / total:.0f}%" if total else "0%"] for label, n in bands
            ],
            note="Each practice is placed by the share worked out from its rounded figures, as "
            "its own row on the dashboard and in the CSV download shows it (and so is the fully "
            "trained headline), so a practice near the edge of a band can fall either side. A "
            "practice with fewer than 8 clinical staff registered, or fewer than 8 who "
            "completed, cannot be placed: that includes practices where few or none completed.",
        )
        return [table, self.tables[1]]

    @cached_property
    def tables(self) -> list[Table]:
        by_practice = bool(self.scope.icb)
        return [
            _progress_table(
                "by-area",
                "Training by practice" if by_practice else "Training by ICB",
                "Practice" if by_practice else "ICB",
                self._progress.by_area,
                self._area_columns[0],
            ),
            _progress_table(
                "by-role",
                "Training by professional role",
                "Role",
                self._progress.by_role,
                _protected_columns(self._progress.by_role)[0],
            ),
        ]


#: The bands of the PDF's practice summary: (lowest percentage completed, label), highest first.
PRACTICE_BANDS = (
    (100 * selectors.FULLY_TRAINED_SHARE, "75% or more (fully trained)"),
    (50, "50% to 74%"),
    (25, "25% to 49%"),
    (0, "Under 25%"),
)
NO_CLINICAL_STAFF = "No clinical staff registered"
#: Why a practice is not placed in a band: its rate is not shown (primary suppression).
NOT_PLACED_WHY = "fewer than 8 registered or completed"
TOO_FEW_TO_PLACE = f"Not placed: {NOT_PLACED_WHY}"


def practice_bands(rates: list[dc.Rate]) -> list[tuple[str, int]]:
    """Return how many practices fall in each band of the share of clinical staff completed.

    Each practice is placed by the rate its row shows (dc.rate of its rounded figures), never
    by its true counts, so the bands tell nobody more than the table by practice does: a
    practice whose rate is not shown is counted as too few to place. Practices are
    organisations, not people, so how many fall in a band needs no suppression.
    """
    counts = dict.fromkeys(
        [label for _, label in PRACTICE_BANDS] + [NO_CLINICAL_STAFF, TOO_FEW_TO_PLACE], 0
    )
    for rate in rates:
        if rate.value is None:
            counts[NO_CLINICAL_STAFF if rate.display == "no data" else TOO_FEW_TO_PLACE] += 1
            continue
        shown = dc.shown_percent(rate)  # as the row shows it: "75%" is fully trained
        label = next(label for lowest, label in PRACTICE_BANDS if shown >= lowest)
        counts[label] += 1
    return list(counts.items())


class QuizPresenter:
    """How the quizzes went: first-attempt pass rates and the questions most often missed."""

    def __init__(self, scope):
        self.scope = scope

    @cached_property
    def first_attempts(self) -> Table:
        quiz = Table(
            "quiz",
            "Quiz: first-attempt pass rate by module",
            ["Module", "First attempts", "Passed first time", "Pass rate"],
        )
        bars = []
        for q in selectors.quiz_first_attempts(self.scope):
            n = dc.count(q.first_attempts)
            p = dc.count(q.first_passes, within=n)
            rate = dc.rate(p, n)
            quiz.rows.append([q.title, n.display, p.display, rate.display])
            bars.append(charts.Bar(q.title, rate.value, rate.display))
        quiz.chart = charts.bar_chart("quiz-chart", quiz.caption, bars, maximum=100)
        return quiz

    @cached_property
    def hardest(self) -> Table:
        hard = Table(
            "hardest",
            "Questions most often answered wrongly",
            ["Module", "Question", "Answers", "Wrong (%)"],
            note=f"Questions answered at least {selectors.MIN_ANSWERS} times. Use these to "
            "improve the content.",
        )
        for h in selectors.hardest_questions(self.scope):
            hard.rows.append(
                [
                    h.module,
                    f"{h.key}: {h.text[:120]}",
                    dc.count(h.answered).display,
                    dc.rate(h.wrong, h.answered).display,
                ]
            )
        return hard

    @property
    def tables(self) -> list[Table]:
        return [self.first_attempts, self.hardest]


class ConfidencePresenter:
    """Agreement with each survey statement before and after training, for those with both."""

    def __init__(self, scope):
        self.scope = scope

    @cached_property
    def _confidence(self) -> selectors.Confidence:
        return selectors.confidence(self.scope)

    @cached_property
    def _pairs(self) -> dc.Count:
        return dc.count(self._confidence.pairs)

    @property
    def note(self) -> str:
        conf = self._confidence
        pairing = _share(dc.rate(conf.pairs, conf.with_before), "those who took the first survey")
        return (
            f"People with both surveys: {self._pairs.display}"
            + (f" ({pairing})" if pairing else "")
            + f". National baselines reported by the Suzy Lamplugh Trust (2025): "
            f"{BASELINE_CONFIDENT_IDENTIFYING}% of health professionals very confident "
            f"identifying a patient being stalked; {BASELINE_KNOW_WHERE_TO_REFER}% knowing "
            "where to refer."
        )

    @cached_property
    def table(self) -> Table:
        pairs = self._pairs
        confidence = Table(
            "confidence",
            "Confidence before and after training",
            ["Statement", "Agree before (%)", "Agree after (%)", "Change (points)"],
            note=self.note,
        )
        chart_rows = []
        for st in self._confidence.statements:
            before, after = dc.rate(st.agree_before, pairs), dc.rate(st.agree_after, pairs)
            change = (
                dc.NOT_SHOWN
                if before.value is None or after.value is None
                else f"{after.value - before.value:+.0f}"
            )
            confidence.rows.append([st.text, before.display, after.display, change])
            chart_rows.append(
                (
                    st.text,
                    charts.Bar("", before.value, before.display),
                    charts.Bar("", after.value, after.display),
                )
            )
        confidence.chart = charts.paired_bar_chart(
            "confidence-chart", confidence.caption, chart_rows
        )
        return confidence

    @property
    def tables(self) -> list[Table]:
        return [self.table]


RESULT_LABELS = (
    "Stalking indicated",
    "Possible stalking",
    "Not indicated",
    "High concern",
    "Raised concern",
    "Standard concern",
)
PROMPT_ROWS = (
    ("Emergency (immediate danger)", "emergency"),
    ("Not safe to go home tonight", "unsafe_home"),
    ("Safeguarding prompts", "safeguarding"),
    ("Urgent mental health prompts", "urgent_mental_health"),
    ("Domestic abuse pathway", "domestic_abuse"),
    ("Record safety prompts", "record_safety"),
)


class ScreeningResultsPresenter:
    """Screenings by result, the PTSD and other prompts, what was done and referrals by type.

    `figures` is selectors.screening_figures(scope), shared with MonthlyPresenter.
    """

    def __init__(self, figures: dict):
        self.figures = figures

    @cached_property
    def _levels(self) -> tuple[list[dc.Count], dc.Count]:
        s = self.figures
        return dc.protect([s["indicated"], s["possible"], s["not_indicated"]])

    @cached_property
    def _concern(self) -> tuple[list[dc.Count], dc.Count]:
        s = self.figures
        return dc.protect([s["high"], s["raised"], s["standard"]])

    @cached_property
    def total(self) -> dc.Count:
        """Return the total of screenings as it may be shown (hidden if either split hides it)."""
        concern_total = self._concern[1]
        return concern_total if concern_total.suppressed else self._levels[1]

    @cached_property
    def by_result(self) -> Table:
        table = Table("screening", "Screenings by result", ["Result", "Screenings", "Share"])
        bars = []
        cells = self._levels[0] + self._concern[0]
        for label, cell in zip(RESULT_LABELS, cells, strict=True):
            share = dc.rate(cell, self.total)
            table.rows.append([label, cell.display, share.display])
            bars.append(charts.Bar(label, cell.value, cell.display))
        table.chart = charts.bar_chart("screening-chart", table.caption, bars)
        return table

    @cached_property
    def ptsd(self) -> Table:
        s = self.figures
        rec = dc.count(s["ptsd_recommended"])
        arranged = dc.count(s["ptsd_arranged"], within=rec)
        arranged_rate = dc.rate(arranged, rec)
        table = Table(
            "ptsd",
            "PTSD assessment and other prompts",
            ["Measure", "Screenings", "Rate"],
            note=f"National baseline: about {BASELINE_PTSD_ASSESSED}% of stalking victims are "
            "assessed for PTSD, as reported by the Suzy Lamplugh Trust (2025).",
        )
        table.rows = [
            [
                "PTSD assessment recommended",
                rec.display,
                _share(dc.rate(rec, self.total), "screenings") or dc.NOT_SHOWN,
            ],
            [
                "PTSD assessment arranged, of those recommended",
                arranged.display,
                arranged_rate.display,
            ],
            *([label, dc.count(s[key]).display, ""] for label, key in PROMPT_ROWS),
        ]
        table.chart = charts.bar_chart(
            "ptsd-chart",
            "PTSD assessment arranged, against the baseline",
            [
                charts.Bar("This area", arranged_rate.value, arranged_rate.display),
                charts.Bar(
                    "National baseline", BASELINE_PTSD_ASSESSED, f"{BASELINE_PTSD_ASSESSED}%"
                ),
            ],
            maximum=100,
        )
        return table

    @cached_property
    def outcomes(self) -> Table:
        table = Table("outcomes", "What clinicians did after screening", ["Action", "Screenings"])
        bars = []
        for name, label in selectors.OUTCOME_FIELDS:
            cell = dc.count(self.figures["outcomes"][name])
            table.rows.append([label, cell.display])
            bars.append(charts.Bar(label, cell.value, cell.display))
        table.chart = charts.bar_chart("outcomes-chart", table.caption, bars)
        return table

    @cached_property
    def referral_types(self) -> Table:
        types = dict(ServiceType.choices)
        table = Table("referral-types", "Referrals by service type", ["Service type", "Referrals"])
        referrals = self.figures["by_type"]
        for key, cell in zip(referrals, dc.group(list(referrals.values())), strict=True):
            table.rows.append([types.get(key, key), cell.display])
        return table

    @property
    def tables(self) -> list[Table]:
        return [self.by_result, self.ptsd, self.outcomes, self.referral_types]


SCREENINGS_COLUMN = 2
SERIES = (
    # (column in selectors.monthly, name, which way is better)
    (1, "Module completions", "up"),
    (2, "Screenings", "neither"),
    (3, "PTSD assessments arranged", "up"),
)
MONTHLY_FILTERED = (
    "Monthly figures are shown for the whole area only: for one practice or role, single months "
    "are too small to show safely."
)
MONTHLY_NOTE = (
    "The charts are statistical process control (XmR) charts in the manner of NHS England's "
    "Making Data Count: the dashed lines are the process limits. Hidden months are left out of "
    "the limits and drawn as gaps."
)


class MonthlyPresenter:
    """Each month's figures and their SPC charts; for one practice or role, a note instead.

    `figures` is selectors.screening_figures(scope): the period's totals the months add up to.
    """

    #: Month labels on a printed chart: one in three, which is plenty on paper and spares the
    #: PDF about a third of its chart text (each label costs WeasyPrint a text layout).
    PRINT_MONTHS_PER_LABEL = 3

    def __init__(self, scope, figures: dict, *, for_print: bool = False):
        self.scope = scope
        self.figures = figures
        self.for_print = for_print

    @cached_property
    def _series(self) -> list[tuple]:
        return selectors.monthly(self.scope)

    @cached_property
    def _protected(self) -> tuple[dict[int, list[dc.Count]], bool]:
        """Return each series' protected cells, and whether the screenings total was hidden."""
        totals = {2: self.figures["total"], 3: self.figures["ptsd_arranged"]}
        columns, hidden_total = {}, False
        for column, _, _ in SERIES:
            cells, total = dc.protect(
                [row[column] for row in self._series], total=totals.get(column)
            )
            columns[column] = cells
            # Only protect() hiding the screenings total matters: the headline shows it.
            hidden_total |= column == SCREENINGS_COLUMN and total.display == dc.HIDDEN
        return columns, hidden_total

    @property
    def hides_screenings_total(self) -> bool:
        """Return True if showing the period's screenings would give away a hidden month."""
        return not self.scope.filtered and self._protected[1]

    @cached_property
    def _labels(self) -> list[str]:
        return [month.strftime("%b %Y") for month, *_ in self._series]

    @cached_property
    def table(self) -> Table:
        columns = self._protected[0]
        table = Table(
            "monthly", "Each month", ["Month", *(name for _, name, _ in SERIES)], note=MONTHLY_NOTE
        )
        for i, label in enumerate(self._labels):
            table.rows.append([label, *(columns[c][i].display for c, _, _ in SERIES)])
        return table

    def _spc_table(self, column: int, name: str, better: str) -> Table:
        cells = self._protected[0][column]
        result = spc.xmr([c.value for c in cells], improvement=better)
        chart_id = f"spc-{column}"
        return Table(
            chart_id,
            f"{name} each month: {result.variation.lower()}",
            [],
            chart=spc.spc_chart(
                f"{chart_id}-chart",
                f"{name} each month",
                self._labels,
                [c.display for c in cells],
                result,
                y_label=name,
                months_per_label=self.PRINT_MONTHS_PER_LABEL if self.for_print else None,
            ),
            note="The numbers are in the table above.",
            chart_in_pdf=True,
        )

    @cached_property
    def tables(self) -> list[Table]:
        if self.scope.filtered:
            return [Table("monthly", "Each month", [], note=MONTHLY_FILTERED)]
        return [self.table, *(self._spc_table(*series) for series in SERIES)]


class BoardsPresenter:
    """England by ICB: the same four figures for every current board."""

    def __init__(self, scope):
        self.scope = scope

    def _row(self, board: selectors.BoardFigures) -> list[str]:
        registered = dc.count(board.registered)
        completed = dc.count(board.completed, within=registered)
        per_thousand = (
            f"{1000 * completed.value / registered.value:.0f}"
            if completed.value is not None and registered.value
            else dc.NOT_SHOWN
        )
        recommended = dc.count(board.ptsd_recommended)
        arranged = dc.count(board.ptsd_arranged, within=recommended)
        practices = (
            f"{board.fully_trained_practices} of {board.practices}"
            f" ({100 * board.fully_trained_practices / board.practices:.0f}%)"
            if board.practices
            else "no practices registered"
        )
        if board.practices_too_few:
            practices += f"; {board.practices_too_few} not placed: {NOT_PLACED_WHY}"
        name = board.name
        if self.scope.icb and board.ods_code == self.scope.icb.pk:
            name = f"{name} (this ICB)"
        return [
            name,
            practices,
            per_thousand,
            dc.rate(arranged, recommended).display,
            "Yes" if board.has_stalking_service else "No",
        ]

    HEADERS = [
        "ICB",
        "Practices fully trained",
        "Clinicians trained per 1,000 registered",
        "PTSD assessment arranged, of those recommended",
        "Specialist stalking service in the directory",
    ]
    NOTE = (
        "Whole boards for the chosen period; the practice and role filters do not apply. A "
        "practice is fully trained when 75% or more of its clinical staff have completed, as "
        "its row in the ICB's table by practice shows it (from rounded figures). A specialist "
        "stalking service in the directory means one is listed in this service's directory, "
        "not that the ICB commissions it."
    )

    @cached_property
    def table(self) -> Table:
        return Table(
            "boards",
            "England by ICB",
            self.HEADERS,
            rows=[self._row(board) for board in selectors.boards(self.scope)],
            note=self.NOTE,
        )

    @property
    def tables(self) -> list[Table]:
        return [self.table]

    @cached_property
    def print_tables(self) -> list[Table]:
        """Return the PDF's version: for an ICB, this ICB beside England as a whole.

        A row for every board took WeasyPrint about 200 ms of the ICB report (docs/benchmarks.md);
        the dashboard keeps the whole table and the map.
        """
        if not self.scope.icb:
            return self.tables
        figures = selectors.boards(self.scope)
        # England as a whole, boards that have closed included (they keep their screenings).
        england = replace(selectors.england_board(self.scope), name="England (every ICB)")
        with_service = sum(b.has_stalking_service for b in figures)
        rows = [self._row(b) for b in figures if b.ods_code == self.scope.icb.pk]
        rows.append([*self._row(england)[:-1], f"{with_service} of {len(figures)} ICBs"])
        return [
            Table(
                "boards",
                "This ICB and England",
                self.HEADERS,
                rows=rows,
                note=f"{self.NOTE} Every ICB is in the dashboard's table.",
            )
        ]


class DashboardPresenter:
    """The whole report for a scope: headlines, sections and what the report covers."""

    def __init__(self, scope, *, for_print: bool = False):
        self.scope = scope
        self.for_print = for_print
        self.training = TrainingProgressPresenter(scope)
        self.quiz = QuizPresenter(scope)
        self.confidence = ConfidencePresenter(scope)
        self.monthly = MonthlyPresenter(scope, self._screening_figures, for_print=for_print)
        self.screening = ScreeningResultsPresenter(self._screening_figures)
        self.boards = BoardsPresenter(scope)

    @cached_property
    def _screening_figures(self) -> dict:
        return selectors.screening_figures(self.scope)

    @cached_property
    def _role_label(self) -> str:
        roles = dict(ProfessionalRole.choices)
        return roles.get(self.scope.professional_role, "All roles")

    @property
    def screenings_total(self) -> str:
        if self.monthly.hides_screenings_total:
            return dc.HIDDEN
        return self.screening.total.display

    @cached_property
    def headlines(self) -> list[Headline]:
        return [*self.training.headlines, Headline("Screenings", self.screenings_total)]

    @cached_property
    def sections(self) -> list[tuple[str, list[Table]]]:
        sections = [
            (
                "Training",
                (self.training.print_tables if self.for_print else self.training.tables)
                + self.quiz.tables,
            ),
            ("Confidence", self.confidence.tables),
            ("Screening", self.screening.tables),
            ("Over time", self.monthly.tables),
        ]
        if not self.scope.filtered:
            boards = self.boards.print_tables if self.for_print else self.boards.tables
            sections.append(("England by ICB", boards))
        return sections

    @cached_property
    def context(self) -> list[tuple[str, str]]:
        scope = self.scope
        return [
            ("Area", scope.area_name),
            ("Period", scope.period_label),
            (
                "Practice",
                f"{scope.practice.name} ({scope.practice.ods_code})"
                if scope.practice
                else "All practices",
            ),
            ("Professional role", self._role_label if scope.professional_role else "All roles"),
            ("Disclosure control", dc.EXPLANATION),
        ]

    @cached_property
    def lede(self) -> str:
        """Return the period, then the practice or role chosen, for the line under the heading."""
        parts = [self.scope.period_label]
        if self.scope.practice:
            parts.append(self.scope.practice.name)
        if self.scope.professional_role:
            parts.append(self._role_label)
        return ", ".join(parts)

    @cached_property
    def report(self) -> Report:
        # Sections before headlines: the screenings headline depends on the monthly figures.
        sections = self.sections
        return Report(
            area=self.scope.area_name,
            headlines=self.headlines,
            sections=sections,
            context=self.context,
            lede=self.lede,
        )


def build(scope, *, for_print: bool = False) -> Report:
    """Return the whole report for the scope, suppressed and ready to show or export.

    `for_print`: the PDF's version, with a practice summary in place of a row per practice.
    """
    return DashboardPresenter(scope, for_print=for_print).report
