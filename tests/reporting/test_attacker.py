"""An attacker who may ask every allowed report tries to work out a hidden count (issue 16).

For random small sets of screenings (three months of one quarter, two practices, two
professional roles, three results), the attacker asks the real dashboard for every combination
the filter form accepts of period (each month, the quarter, the financial year, all months),
practice (each or all) and role (each or all), and reads every count shown: the headline, the
results table and the monthly table. Each display stands for a range of true counts ("0" is
exactly 0, "fewer than 8" 1 to 7, "10" 8 to 12, "hidden" 8 or more). The attacker then adds and
subtracts: every figure is a sum of the unknown counts of (month, practice, role, result), and
it narrows each unknown until nothing changes (interval constraint propagation). A hidden count
is recovered if the figures leave it only one possible value.
"""

import datetime
import os
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from reporting import disclosure as dc
from reporting import periods, presenters
from reporting.scope import Scope, filter_problems
from screening.models import Screening
from tests.factories import PracticeFactory, UserFactory, icb

# The attacker runs in every test run: 40 examples, the same ones each time (about 20 s on
# SQLite). ATTACKER_EXAMPLES=150 ATTACKER_RANDOM=1 explores more (150 passed on 2026-12-04).

RESULTS = ("indicated", "possible", "not_indicated")
RESULT_ROWS = dict(zip(RESULTS, presenters.RESULT_LABELS[:3], strict=True))
ROLES = ("gp", "practice_nurse")
# Mostly zeros and a few larger counts, so that reports often hold exactly one small count
# beside shown ones: the case secondary suppression exists for. With a flatter spread (0 to 13)
# even a dashboard without rounding or secondary suppression was never caught.
SMALL = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 9, 12]


def quarter_months(today: datetime.date) -> list[datetime.date]:
    """Return the months of the last complete quarter of a financial year."""
    first = today.replace(day=1)
    index = first.year * 12 + first.month - 1
    index -= (first.month - 1) % 3 + 3  # back to the start of the previous quarter
    return [datetime.date((index + k) // 12, (index + k) % 12 + 1, 1) for k in range(3)]


def bounds(display: str) -> tuple[int, int]:
    if display == "0":
        return (0, 0)
    if display == dc.FEWER_THAN:
        return (1, dc.THRESHOLD - 1)
    if display == dc.HIDDEN:
        return (dc.THRESHOLD, dc.UNBOUNDED)
    shown = int(display.replace(",", ""))
    return (max(dc.THRESHOLD, shown - dc.ROUND_TO // 2), shown + dc.ROUND_TO // 2)


def propagate(constraints, atoms, *, passes=200):
    """Narrow each atom's range from the sums until nothing changes; return the ranges.

    Every atom is at most the largest finite bound of any figure it is part of, so the ranges
    start finite; after `passes` rounds the attacker stops (it may only know less, never more).
    """
    ceiling = max(hi for _, (_, hi) in constraints if hi < dc.UNBOUNDED)
    low = dict.fromkeys(atoms, 0)
    high = dict.fromkeys(atoms, ceiling)
    changed = True
    while changed and passes:
        passes -= 1
        changed = False
        for members, (lo, hi) in constraints:
            sum_low = sum(low[a] for a in members)
            sum_high = sum(high[a] for a in members)
            for a in members:
                new_low = max(low[a], lo - (sum_high - high[a]))
                new_high = min(high[a], hi - (sum_low - low[a]))
                if (new_low, new_high) != (low[a], high[a]):
                    sum_low += new_low - low[a]
                    sum_high += new_high - high[a]
                    low[a], high[a] = new_low, new_high
                    changed = True
    return low, high


def observe(practices, months, today):
    """Ask every allowed report; return (atoms counted, display) for every count shown."""
    quarter = next(
        p for p in periods.available(today) if p.start == months[0] and p.kind == "quarter"
    )
    year = next(
        p
        for p in periods.available(today)
        if p.kind == "year" and p.start <= months[0] and p.end >= months[-1]
    )
    chosen = [
        *(periods.find(f"{m:%Y-%m}", today) for m in months),
        quarter,
        year,
        periods.find(periods.ALL, today),
    ]
    seen = []
    for period in chosen:
        in_period = [m for m in months if (period.start or m) <= m <= (period.end or m)]
        for practice in [None, *practices]:
            for role in ["", *ROLES]:
                if filter_problems(
                    period_kind=period.kind, practice=bool(practice), professional_role=bool(role)
                ):
                    continue  # the form refuses this combination
                scope = Scope(
                    icb=icb("QWO"),
                    start=period.start,
                    end=period.end,
                    practice=practice,
                    professional_role=role,
                    period_label=period.label,
                )
                report = presenters.build(scope)
                wanted_practices = [practice.pk] if practice else [p.pk for p in practices]
                wanted_roles = [role] if role else list(ROLES)

                def atoms(
                    months_=in_period,
                    results=RESULTS,
                    wanted_practices=wanted_practices,
                    wanted_roles=wanted_roles,
                ):
                    return frozenset(
                        (m, p, r, res)
                        for m in months_
                        for p in wanted_practices
                        for r in wanted_roles
                        for res in results
                    )

                headline = next(h for h in report.headlines if h.label == "Screenings")
                seen.append((atoms(), headline.value))
                tables = {t.id: t for _, ts in report.sections for t in ts}
                for row in tables["screening"].rows[:3]:
                    result = next(k for k, v in RESULT_ROWS.items() if v == row[0])
                    seen.append((atoms(results=(result,)), row[1]))
                for row in tables["monthly"].rows:
                    month = datetime.datetime.strptime(row[0], "%b %Y").date()
                    if month in months:
                        seen.append((atoms(months_=[month]), row[2]))
    return seen


def attack(counts: list[int]) -> list[str]:
    """Make the screenings `counts` describe, ask every allowed report, and return each hidden
    count the attacker pins to one value (an empty list when none is)."""
    today = datetime.date.today()
    months = quarter_months(today)
    Screening.objects.all().delete()
    practices = [
        PracticeFactory(ods_code="P00001", name="P1 Surgery", icb=icb("QWO")),
        PracticeFactory(ods_code="P00002", name="P2 Health Centre", icb=icb("QWO")),
    ]
    staff = {}
    for p in practices:
        for r in ROLES:
            email = f"{p.pk}.{r}@example.org".lower()
            staff[(p.pk, r)] = User.objects.filter(email=email).first() or UserFactory(
                practice=p, professional_role=r, email=email
            )
    atoms = [(m, p.pk, r, res) for m in months for p in practices for r in ROLES for res in RESULTS]
    truth = dict(zip(atoms, counts, strict=True))
    for (month, practice, role, result), n in truth.items():
        when = datetime.datetime(month.year, month.month, 15, 12, tzinfo=datetime.UTC)
        made = Screening.objects.bulk_create(
            Screening(
                clinician=staff[(practice, role)],
                practice_id=practice,
                icb_id="QWO",
                submission_id=uuid.uuid4(),
                answers={},
                rules_version="2026.2",
                stalking=result,
                concern="standard",
                reasons={},
                risk_count=0,
                ptsd_count=0,
            )
            for _ in range(n)
        )
        # created_at is auto_now_add, which bulk_create applies whatever is passed: move the
        # screenings into their month with an update. Until 2026-12-04 they all stayed "now",
        # outside the months asked about, so every report showed 0 and the attacker's
        # contradictions were read as pins.
        Screening.objects.filter(pk__in=[s.pk for s in made]).update(created_at=when)
    assert Screening.objects.count() == sum(counts)

    seen = observe(practices, months, today)
    # Every figure shown must lie in the range its display stands for, or the attacker's sums
    # are contradictory and prove nothing.
    outside = [
        (display, sum(truth[a] for a in members))
        for members, display in seen
        if not bounds(display)[0] <= sum(truth[a] for a in members) <= bounds(display)[1]
    ]
    assert not outside, f"figures outside the ranges their displays stand for: {outside[:5]}"
    low, high = propagate([(members, bounds(display)) for members, display in seen], atoms)
    pinned = []
    for members, display in seen:
        if display in (dc.FEWER_THAN, dc.HIDDEN):
            least = max(bounds(display)[0], sum(low[a] for a in members))
            most = min(bounds(display)[1], sum(high[a] for a in members))
            if least >= most:
                true = sum(truth[a] for a in members)
                pinned.append(f"a hidden count of {true} was pinned: {sorted(members)[:3]}")
    return pinned


@pytest.mark.django_db
@settings(
    max_examples=int(os.environ.get("ATTACKER_EXAMPLES", 40)),
    # The same examples on every run, so CI cannot fail by chance; ATTACKER_RANDOM=1 explores.
    derandomize=not os.environ.get("ATTACKER_RANDOM"),
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(counts=st.lists(st.sampled_from(SMALL), min_size=36, max_size=36))
def test_no_hidden_count_can_be_worked_out_from_every_allowed_report(icbs, counts):
    assert attack(counts) == []


#: A data set where, with figures shown exactly and no secondary suppression, the attacker
#: pins a hidden count (found by running the property test against such a dashboard).
WEAK_DASHBOARD_EXAMPLE = [
    *(0, 0, 0, 9, 0, 0, 12, 0, 1, 0, 0, 0),
    *(0, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 12),
    *(0, 0, 0, 1, 2, 0, 1, 0, 0, 0, 0, 0),
]


@pytest.mark.django_db
def test_the_attacker_catches_a_dashboard_without_rounding_or_secondary_suppression(
    icbs, monkeypatch
):
    """The property test is only worth something if it can fail: against figures shown
    exactly, with nothing hidden to protect a small one, it must pin a hidden count."""
    monkeypatch.setattr(dc, "ROUND_TO", 1)
    monkeypatch.setattr(dc, "_pinned", lambda cells, total: False)
    assert attack(WEAK_DASHBOARD_EXAMPLE)
    monkeypatch.undo()
    assert attack(WEAK_DASHBOARD_EXAMPLE) == []
