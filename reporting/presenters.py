"""Turn report figures into tables and charts that are safe to show: disclosure control here.

Every table the page shows is also what the CSV and the PDF contain, so all three always agree
and are suppressed the same way.
"""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from accounts.models import ProfessionalRole
from referrals.models import ServiceType
from reporting import charts, selectors, spc
from reporting import disclosure as dc

# National baselines (Suzy Lamplugh Trust, National Stalking Awareness Week 2025).
BASELINE_CONFIDENT_IDENTIFYING = 7
BASELINE_KNOW_WHERE_TO_REFER = 15
BASELINE_PTSD_ASSESSED = 24


@dataclass
class Table:
    id: str
    caption: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    chart: SafeString | None = None
    note: str = ""


@dataclass
class Headline:
    label: str
    value: str
    detail: str = ""


@dataclass
class Report:
    area: str
    headlines: list[Headline]
    sections: list[tuple[str, list[Table]]]
    context: list[tuple[str, str]] = field(default_factory=list)  # area, period, filters, rules


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


def _progress(scope, progress) -> tuple[list[Headline], list[Table]]:
    by_area = progress.by_area
    # Headline figures are about clinical staff; the practice team is counted apart.
    area_columns, (reg_c, start_c, done_c) = _protected_columns(by_area)
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
    ]
    team_reg, team_done = dc.count(progress.team.registered), dc.count(progress.team.completed)
    headlines.append(
        Headline(
            "Practice team trained (reception and administration)",
            team_done.display,
            _share(dc.rate(team_done, team_reg), "registered practice team"),
        )
    )
    if scope.icb:
        # Practices are organisations, not people: their count needs no suppression.
        fully_trained = sum(
            1
            for r in by_area
            if r.registered and r.completed / r.registered >= selectors.FULLY_TRAINED_SHARE
        )
        headlines.append(
            Headline(
                "Fully trained practices (75% or more of clinical staff completed)",
                f"{fully_trained} of {len(by_area)}",
            )
        )
    tables = [
        _progress_table(
            "by-area",
            "Training by practice" if scope.icb else "Training by ICB",
            "Practice" if scope.icb else "ICB",
            by_area,
            area_columns,
        ),
        _progress_table(
            "by-role",
            "Training by professional role",
            "Role",
            progress.by_role,
            _protected_columns(progress.by_role)[0],
        ),
    ]
    return headlines, tables


def _quiz(scope) -> list[Table]:
    quiz = Table(
        "quiz",
        "Quiz: first-attempt pass rate by module",
        ["Module", "First attempts", "Passed first time", "Pass rate"],
    )
    bars = []
    for q in selectors.quiz_first_attempts(scope):
        n = dc.count(q.first_attempts)
        p = dc.count(q.first_passes, within=n)
        rate = dc.rate(p, n)
        quiz.rows.append([q.title, n.display, p.display, rate.display])
        bars.append(charts.Bar(q.title, rate.value, rate.display))
    quiz.chart = charts.bar_chart("quiz-chart", quiz.caption, bars, maximum=100)
    hard = Table(
        "hardest",
        "Questions most often answered wrongly",
        ["Module", "Question", "Answers", "Wrong (%)"],
        note=f"Questions answered at least {selectors.MIN_ANSWERS} times. Use these to improve "
        "the content.",
    )
    for h in selectors.hardest_questions(scope):
        hard.rows.append(
            [
                h.module,
                f"{h.key}: {h.text[:120]}",
                dc.count(h.answered).display,
                dc.rate(h.wrong, h.answered).display,
            ]
        )
    return [quiz, hard]


def _confidence(scope) -> Table:
    conf = selectors.confidence(scope)
    pairs = dc.count(conf.pairs)
    pairing = _share(dc.rate(conf.pairs, conf.with_before), "those who took the first survey")
    confidence = Table(
        "confidence",
        "Confidence before and after training",
        ["Statement", "Agree before (%)", "Agree after (%)", "Change (points)"],
        note=(
            f"People with both surveys: {pairs.display}"
            + (f" ({pairing})" if pairing else "")
            + f". National baselines reported by the Suzy Lamplugh Trust (2025): "
            f"{BASELINE_CONFIDENT_IDENTIFYING}% of health professionals very confident "
            f"identifying a patient being stalked; {BASELINE_KNOW_WHERE_TO_REFER}% knowing "
            "where to refer."
        ),
    )
    chart_rows = []
    for st in conf.statements:
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
    confidence.chart = charts.paired_bar_chart("confidence-chart", confidence.caption, chart_rows)
    return confidence


RESULT_LABELS = (
    "Stalking indicated",
    "Possible stalking",
    "Not indicated",
    "High concern",
    "Raised concern",
    "Standard concern",
)


def _screening(s: dict) -> tuple[dc.Count, list[Table]]:
    """Return the shown total of screenings and the screening tables."""
    levels, total = dc.protect([s["indicated"], s["possible"], s["not_indicated"]])
    concern, concern_total = dc.protect([s["high"], s["raised"], s["standard"]])
    if concern_total.suppressed:
        total = concern_total
    screening = Table("screening", "Screenings by result", ["Result", "Screenings", "Share"])
    bars = []
    for label, cell in zip(RESULT_LABELS, levels + concern, strict=True):
        share = dc.rate(cell, total)
        screening.rows.append([label, cell.display, share.display])
        bars.append(charts.Bar(label, cell.value, cell.display))
    screening.chart = charts.bar_chart("screening-chart", screening.caption, bars)

    rec = dc.count(s["ptsd_recommended"])
    arranged = dc.count(s["ptsd_arranged"], within=rec)
    arranged_rate = dc.rate(arranged, rec)
    ptsd = Table(
        "ptsd",
        "PTSD assessment and other prompts",
        ["Measure", "Screenings", "Rate"],
        note=f"National baseline: about {BASELINE_PTSD_ASSESSED}% of stalking victims are "
        "assessed for PTSD, as reported by the Suzy Lamplugh Trust (2025).",
    )
    ptsd.rows = [
        [
            "PTSD assessment recommended",
            rec.display,
            _share(dc.rate(rec, total), "screenings") or dc.NOT_SHOWN,
        ],
        [
            "PTSD assessment arranged, of those recommended",
            arranged.display,
            arranged_rate.display,
        ],
        ["Emergency (immediate danger)", dc.count(s["emergency"]).display, ""],
        ["Not safe to go home tonight", dc.count(s["unsafe_home"]).display, ""],
        ["Safeguarding prompts", dc.count(s["safeguarding"]).display, ""],
        ["Urgent mental health prompts", dc.count(s["urgent_mental_health"]).display, ""],
        ["Domestic abuse pathway", dc.count(s["domestic_abuse"]).display, ""],
        ["Record safety prompts", dc.count(s["record_safety"]).display, ""],
    ]
    ptsd.chart = charts.bar_chart(
        "ptsd-chart",
        "PTSD assessment arranged, against the baseline",
        [
            charts.Bar("This area", arranged_rate.value, arranged_rate.display),
            charts.Bar("National baseline", BASELINE_PTSD_ASSESSED, f"{BASELINE_PTSD_ASSESSED}%"),
        ],
        maximum=100,
    )

    outcomes = Table("outcomes", "What clinicians did after screening", ["Action", "Screenings"])
    bars = []
    for name, label in selectors.OUTCOME_FIELDS:
        cell = dc.count(s["outcomes"][name])
        outcomes.rows.append([label, cell.display])
        bars.append(charts.Bar(label, cell.value, cell.display))
    outcomes.chart = charts.bar_chart("outcomes-chart", outcomes.caption, bars)
    types = dict(ServiceType.choices)
    by_type = Table("referral-types", "Referrals by service type", ["Service type", "Referrals"])
    referrals = s["by_type"]
    for key, cell in zip(referrals, dc.group(list(referrals.values())), strict=True):
        by_type.rows.append([types.get(key, key), cell.display])
    return total, [screening, ptsd, outcomes, by_type]


SCREENINGS_COLUMN = 2
SERIES = (
    # (column in selectors.monthly, name, which way is better)
    (1, "Module completions", "up"),
    (2, "Screenings", "neither"),
    (3, "PTSD assessments arranged", "up"),
)


def _over_time(scope, s: dict) -> tuple[list[Table], bool]:
    """Return the monthly table and its SPC charts, and whether a monthly total was hidden."""
    series = selectors.monthly(scope)
    if scope.filtered:
        note = (
            "Monthly figures are shown for the whole area only: for one practice or role, "
            "single months are too small to show safely."
        )
        return [Table("monthly", "Each month", [], note=note)], False
    totals = {2: s["total"], 3: s["ptsd_arranged"]}
    columns, hidden_total = {}, False
    for column, _, _ in SERIES:
        cells, total = dc.protect([row[column] for row in series], total=totals.get(column))
        columns[column] = cells
        # Only protect() hiding the screenings total matters: the headline shows it.
        hidden_total |= column == SCREENINGS_COLUMN and total.display == dc.HIDDEN
    labels = [month.strftime("%b %Y") for month, *_ in series]
    table = Table("monthly", "Each month", ["Month", *(name for _, name, _ in SERIES)])
    for i, label in enumerate(labels):
        table.rows.append([label, *(columns[c][i].display for c, _, _ in SERIES)])
    table.note = (
        "The charts are statistical process control (XmR) charts in the manner of NHS "
        "England's Making Data Count: the dashed lines are the process limits. Hidden months "
        "are left out of the limits and drawn as gaps."
    )
    tables = [table]
    for column, name, better in SERIES:
        cells = columns[column]
        result = spc.xmr([c.value for c in cells], improvement=better)
        chart_id = f"spc-{column}"
        tables.append(
            Table(
                chart_id,
                f"{name} each month: {result.variation.lower()}",
                [],
                chart=spc.spc_chart(
                    f"{chart_id}-chart",
                    f"{name} each month",
                    labels,
                    [c.display for c in cells],
                    result,
                    y_label=name,
                ),
                note="The numbers are in the table above.",
            )
        )
    return tables, hidden_total


def _boards(scope) -> Table:
    """Return England by ICB: the same four figures for every current board."""
    table = Table(
        "boards",
        "England by ICB",
        [
            "ICB",
            "Practices fully trained",
            "Clinicians trained per 1,000 registered",
            "PTSD assessment arranged, of those recommended",
            "Specialist stalking service in the directory",
        ],
        note="Whole boards for the chosen period; the practice and role filters do not apply. "
        "A practice is fully trained when 75% or more of its clinical staff have completed.",
    )
    for board in selectors.boards(scope):
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
        name = board.name
        if scope.icb and board.ods_code == scope.icb.pk:
            name = f"{name} (this ICB)"
        table.rows.append(
            [
                name,
                practices,
                per_thousand,
                dc.rate(arranged, recommended).display,
                "Yes" if board.has_stalking_service else "No",
            ]
        )
    return table


def _context(scope, professional_roles: dict) -> list[tuple[str, str]]:
    return [
        ("Area", scope.area_name),
        ("Period", scope.period_label),
        (
            "Practice",
            f"{scope.practice.name} ({scope.practice.ods_code})"
            if scope.practice
            else "All practices",
        ),
        (
            "Professional role",
            professional_roles.get(scope.professional_role, "All roles")
            if scope.professional_role
            else "All roles",
        ),
        ("Disclosure control", dc.EXPLANATION),
    ]


def build(scope) -> Report:
    """Return the whole report for the scope, suppressed and ready to show or export."""
    headlines, training = _progress(scope, selectors.progress(scope))
    training += _quiz(scope)
    s = selectors.screening_figures(scope)
    total, screening = _screening(s)
    over_time, hidden_total = _over_time(scope, s)
    if hidden_total:
        total = dc.Count(None, dc.HIDDEN)
    headlines.append(Headline("Screenings", total.display))
    sections = [
        ("Training", training),
        ("Confidence", [_confidence(scope)]),
        ("Screening", screening),
        ("Over time", over_time),
    ]
    if not scope.filtered:
        sections.append(("England by ICB", [_boards(scope)]))
    return Report(
        area=scope.area_name,
        headlines=headlines,
        sections=sections,
        context=_context(scope, dict(ProfessionalRole.choices)),
    )
