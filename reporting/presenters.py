"""Turn report figures into tables and charts that are safe to show: disclosure control here.

Every table the page shows is also what the CSV and the PDF contain, so all three always agree
and are suppressed the same way.
"""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from referrals.models import ServiceType
from reporting import charts, selectors
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


def _progress_table(table_id, caption, first_header, rows) -> Table:
    registered = dc.group([r.registered for r in rows])
    started = dc.group([r.started for r in rows])
    completed = dc.group([r.completed for r in rows])
    table = Table(
        table_id, caption, [first_header, "Registered", "Started", "Completed", "Completed (%)"]
    )
    bars = []
    for r, reg, st, done in zip(rows, registered, started, completed, strict=True):
        pct = dc.rate(done, reg)
        table.rows.append([r.label, reg.display, st.display, done.display, pct.display])
        bars.append(charts.Bar(r.label, pct.value, pct.display))
    table.chart = charts.bar_chart(
        f"{table_id}-chart", f"{caption}: share completed", bars, maximum=100
    )
    return table


def build(scope) -> Report:
    """Return the whole report for the scope, suppressed and ready to show or export."""
    progress = selectors.progress(scope)
    by_area, by_role = progress.by_area, progress.by_role
    # Headline figures are about clinical staff; the practice team is counted apart.
    registered = sum(r.registered for r in progress.clinical_roles)
    started = sum(r.started for r in progress.clinical_roles)
    completed = sum(r.completed for r in progress.clinical_roles)
    reg_c, start_c, done_c = dc.count(registered), dc.count(started), dc.count(completed)

    fully_trained = (
        sum(
            1
            for r in by_area
            if r.registered and r.completed / r.registered >= selectors.FULLY_TRAINED_SHARE
        )
        if scope.icb
        else None
    )

    headlines = [
        Headline("Registered clinicians", reg_c.display),
        Headline("Started the training", start_c.display, dc.rate(start_c, reg_c).display),
        Headline("Completed the training", done_c.display, dc.rate(done_c, reg_c).display),
    ]
    team_reg, team_done = dc.count(progress.team.registered), dc.count(progress.team.completed)
    headlines.append(
        Headline(
            "Practice team trained (reception and administration)",
            team_done.display,
            dc.rate(team_done, team_reg).display,
        )
    )
    if fully_trained is not None:
        # Practices are organisations, not people: their count needs no suppression.
        headlines.append(
            Headline(
                "Fully trained practices (75% or more of clinical staff completed)",
                f"{fully_trained} of {len(by_area)}",
            )
        )

    training = [
        _progress_table(
            "by-area",
            "Training by practice" if scope.icb else "Training by ICB",
            "Practice" if scope.icb else "ICB",
            by_area,
        ),
        _progress_table("by-role", "Training by professional role", "Role", by_role),
    ]
    quiz_rows = selectors.quiz_first_attempts(scope)
    quiz = Table(
        "quiz",
        "Quiz: first-attempt pass rate by module",
        ["Module", "First attempts", "Passed first time", "Pass rate"],
    )
    bars = []
    for q in quiz_rows:
        n, p = dc.count(q.first_attempts), dc.count(q.first_passes)
        rate = dc.rate(p, n)
        quiz.rows.append([q.title, n.display, p.display, rate.display])
        bars.append(charts.Bar(q.title, rate.value, rate.display))
    quiz.chart = charts.bar_chart("quiz-chart", quiz.caption, bars, maximum=100)
    training.append(quiz)
    hard = Table(
        "hardest",
        "Questions most often answered wrongly",
        ["Module", "Question", "Answers", "Wrong (%)"],
        note="Questions answered at least 5 times. Use these to improve the content.",
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
    training.append(hard)

    conf = selectors.confidence(scope)
    pairs = dc.count(conf.pairs)
    confidence = Table(
        "confidence",
        "Confidence before and after training",
        ["Statement", "Agree before (%)", "Agree after (%)", "Change (points)"],
        note=(
            f"People with both surveys: {pairs.display}; pairing rate "
            f"{dc.rate(conf.pairs, conf.with_before).display} of those who took the first "
            f"survey. National baselines: {BASELINE_CONFIDENT_IDENTIFYING}% very confident "
            f"identifying a patient being stalked; {BASELINE_KNOW_WHERE_TO_REFER}% knowing "
            "where to refer (Suzy Lamplugh Trust, 2025)."
        ),
    )
    chart_rows = []
    for st in conf.statements:
        before, after = dc.rate(st.agree_before, pairs), dc.rate(st.agree_after, pairs)
        change = (
            "suppressed"
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

    s = selectors.screening_figures(scope)
    total = dc.count(s["total"])
    levels = dc.group([s["indicated"], s["possible"], s["not_indicated"]])
    concern = dc.group([s["high"], s["raised"], s["standard"]])
    screening = Table("screening", "Screenings by result", ["Result", "Screenings", "Share"])
    bars = []
    for label, cell in zip(
        (
            "Stalking indicated",
            "Possible stalking",
            "Not indicated",
            "High concern",
            "Raised concern",
            "Standard concern",
        ),
        levels + concern,
        strict=True,
    ):
        share = dc.rate(cell, total)
        screening.rows.append([label, cell.display, share.display])
        bars.append(charts.Bar(label, cell.value, cell.display))
    screening.chart = charts.bar_chart("screening-chart", screening.caption, bars)

    rec, arranged = dc.count(s["ptsd_recommended"]), dc.count(s["ptsd_arranged"])
    ptsd = Table(
        "ptsd",
        "PTSD assessment and other prompts",
        ["Measure", "Count", "Rate"],
        note=f"National baseline: about {BASELINE_PTSD_ASSESSED}% of stalking victims "
        "are assessed for PTSD (Suzy Lamplugh Trust, 2025).",
    )
    ptsd.rows = [
        [
            "PTSD assessment recommended",
            rec.display,
            f"{dc.rate(rec, total).display} of screenings",
        ],
        [
            "PTSD assessment arranged, of those recommended",
            arranged.display,
            dc.rate(arranged, rec).display,
        ],
        ["Emergency (immediate danger)", dc.count(s["emergency"]).display, ""],
        ["Not safe to go home tonight", dc.count(s["unsafe_home"]).display, ""],
        ["Safeguarding prompts", dc.count(s["safeguarding"]).display, ""],
        ["Urgent mental health prompts", dc.count(s["urgent_mental_health"]).display, ""],
        ["Domestic abuse pathway", dc.count(s["domestic_abuse"]).display, ""],
        ["Record safety prompts", dc.count(s["record_safety"]).display, ""],
    ]
    arranged_rate = dc.rate(arranged, rec)
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
    type_counts = dc.group(list(referrals.values()))
    for key, cell in zip(referrals, type_counts, strict=True):
        by_type.rows.append([types.get(key, key), cell.display])

    series = selectors.monthly(scope)
    comp_cells = dc.group([c for _, c, _ in series])
    scr_cells = dc.group([s_ for _, _, s_ in series])
    over_time = Table(
        "monthly",
        "Each month: module completions and screenings",
        ["Month", "Module completions", "Screenings"],
    )
    comp_bars, scr_bars = [], []
    for (month, _, _), c, sc in zip(series, comp_cells, scr_cells, strict=True):
        label = month.strftime("%b %Y")
        over_time.rows.append([label, c.display, sc.display])
        comp_bars.append(charts.Bar(month.strftime("%b %y"), c.value, c.display))
        scr_bars.append(charts.Bar(month.strftime("%b %y"), sc.value, sc.display))
    over_time.chart = charts.column_chart(
        "monthly-chart", "Module completions each month", comp_bars
    )
    screenings_over_time = Table(
        "monthly-screenings",
        "Screenings each month",
        [],
        chart=charts.column_chart("monthly-screenings-chart", "Screenings each month", scr_bars),
        note="The numbers are in the table above.",
    )

    if (scope.start or scope.end) and not scope.practice:
        whole_months = "Counted in whole calendar months: the months your dates fall in."
        for table in (quiz, hard, confidence, over_time):
            table.note = f"{table.note} {whole_months}".strip()

    headlines.append(Headline("Screenings", total.display))
    return Report(
        area=scope.area_name,
        headlines=headlines,
        sections=[
            ("Training", training),
            ("Confidence", [confidence]),
            ("Screening", [screening, ptsd, outcomes, by_type]),
            ("Over time", [over_time, screenings_over_time]),
        ],
    )
