"""A believable demo population, so the demo dashboards show real figures after disclosure control.

`manage.py seed_demo` calls `population_seed` after creating the contract's demo accounts
(accounts/demo.py). Everything it makes is plainly demo data, and found again by these marks:

- practices with ODS codes from X99004 up (X99001-X99003 are the contract's; no GP practice has
  an X99 code), named "Demo Practice ...": eight in each demo ICB (West Yorkshire QWO, Cheshire
  and Merseyside QYG) and two in every other ICB current today, but for three left empty;
- 11 to 14 people a practice in the demo ICBs, 9 to 11 elsewhere: GPs, practice nurses, other
  clinicians and the practice team, named "... (demo)", with addresses demo-...@demo.example.invalid
  (a reserved domain that never receives mail) and unusable passwords: they never sign in;
- a year of their training (page views, quiz attempts scored by `training.rules`, completions,
  confidence surveys before and after, certificates) and of screenings assessed by
  `screening.rules`, with outcomes and a few referrals to the directory's specialist services.

The rows are written in bulk but keep the invariants the services keep: the before-survey before
anything else, every page of a module read before its quiz, at most one open attempt, a completion
for the passing attempt, a certificate once every module and the after-survey are done. The
reporting summaries are then rebuilt from the raw data, as `refresh_report_summaries` does.

The story the figures tell: people register around the time their ICB rolls the training out,
practices and ICBs differ in how far they got, and clinicians screen more, and find more, once
trained, so monthly screenings rise after the roll-out.

Deterministic: a fixed seed gives the same people and the same counts on every run; only the dates
move, laid out over the year up to the day of seeding. The planning functions are pure (a
`random.Random` and plain values in, plain values out); `population_seed` reads the ICBs, the
course and the directory, and writes.
"""

import datetime
import math
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from accounts.models import ICB, Practice, ProfessionalRole, Role, User
from referrals.models import ServiceType
from referrals.selectors import directory_services
from reporting.summaries import rebuild_all
from screening import rules as screening_rules
from screening.models import Outcome, Screening
from training import rules as training_rules
from training.models import (
    Attempt,
    AttemptAnswer,
    Certificate,
    Module,
    ModuleCompletion,
    Option,
    Page,
    PageView,
    ReflectiveNote,
    SurveyAnswer,
    SurveyPhase,
    SurveyResponse,
    refresh_by_for,
)
from training.selectors import course_version
from training.survey import STATEMENTS

SEED = 2026
EMAIL_PREFIX = "demo-"
EMAIL_DOMAIN = "demo.example.invalid"
ODS_PREFIX = "X99"
DEMO_ICBS = ("QWO", "QYG")
PRACTICES_PER_OTHER_ICB = 2
EMPTY_ICBS = 3
YEAR = 365.0  # days: the population's story runs over the last year
MONTH = YEAR / 12
MINUTE = 1 / 1440

# Per demo ICB: the share of each practice's clinical staff who finish the course (at 75% or
# more a practice counts as fully trained), and the day of the year the ICB rolled training out:
# four or five months of early users first, so a chart of monthly screenings has a baseline.
DEMO_ICB_SHARES = {
    "QWO": (0.92, 0.85, 0.78, 0.62, 0.5, 0.38, 0.25, 0.12),
    "QYG": (0.9, 0.8, 0.55, 0.45, 0.35, 0.28, 0.18, 0.08),
}
DEMO_ICB_ROLLOUT = {"QWO": 130.0, "QYG": 165.0}
# The practices after the contract's A, B and C: D to K in West Yorkshire, L to S in Cheshire.
DEMO_ICB_FIRST_LETTER = {"QWO": "D", "QYG": "L"}
DEMO_ICB_FIRST_CODE = {"QWO": 4, "QYG": 12}
OTHER_FIRST_CODE = 101

POSTCODE_AREAS = {
    "QWO": ("LS", "BD", "HX", "HD", "WF"),
    "QYG": ("L", "CH", "WA", "CW"),
    "North East and Yorkshire": ("NE", "DH", "SR", "TS", "YO", "HU", "S", "DN"),
    "North West": ("M", "PR", "BB", "LA", "BL", "OL", "SK", "WN"),
    "Midlands": ("B", "CV", "DE", "NG", "LE", "ST", "WV", "WS", "WR", "LN", "NN", "SY"),
    "East of England": ("CB", "PE", "NR", "IP", "CO", "CM", "SS", "LU", "MK", "SG"),
    "London": ("E", "N", "NW", "SE", "SW", "W", "HA", "UB", "CR", "BR", "IG"),
    "South East": ("OX", "RG", "SL", "HP", "GU", "KT", "RH", "BN", "TN", "ME", "PO", "SO"),
    "South West": ("BS", "BA", "TA", "EX", "PL", "TR", "TQ", "DT", "BH", "GL", "SN", "SP"),
}
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

FIRST_NAMES = (
    "Aisha", "Alex", "Amelia", "Amir", "Anna", "Ben", "Bethan", "Callum", "Chloe", "Daniel",
    "Deepa", "Eleanor", "Ellis", "Farah", "Finn", "Grace", "Hannah", "Imran", "Isla", "Jack",
    "Jess", "Jordan", "Kate", "Kwame", "Laura", "Leah", "Liam", "Lucy", "Maya", "Mei", "Nadia",
    "Nathan", "Niamh", "Oliver", "Omar", "Rachel", "Robin", "Ruth", "Sana", "Sean", "Sophie",
    "Tariq", "Tom", "Uma", "Will", "Yusuf", "Zara", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Ahmed", "Ali", "Bailey", "Begum", "Bell", "Bennett", "Brown", "Campbell", "Carter",
    "Chen", "Clarke", "Cooper", "Davies", "Edwards", "Evans", "Fisher", "Green", "Hall", "Harris",
    "Hussain", "Jackson", "Jones", "Kaur", "Khan", "King", "Lewis", "Mason", "Mitchell", "Moore",
    "Murphy", "Nguyen", "Owen", "Parker", "Phillips", "Price", "Roberts", "Scott", "Singh",
    "Taylor", "Thomas", "Turner", "Walker", "Ward", "Watson", "Williams", "Wood", "Wright",
)  # fmt: skip

CLINICAL_ROLES = (
    ProfessionalRole.GP,
    ProfessionalRole.PRACTICE_NURSE,
    ProfessionalRole.OTHER_CLINICIAN,
)
TEAM_ROLE = ProfessionalRole.PRACTICE_STAFF

# What each person sets out to do.
COMPLETE, PARTIAL, BEFORE_ONLY, NONE = "complete", "partial", "before_only", "none"
AFTER_SURVEY_SHARE = 0.88  # of those who finish: the rest have not answered it yet

# Screenings a clinician makes in a month, by where they are in the training.
UNTRAINED, IN_TRAINING, TRAINED = "untrained", "in_training", "trained"
SCREENINGS_A_MONTH = {UNTRAINED: 0.45, IN_TRAINING: 0.6, TRAINED: 0.9}
EARLY_SHARE = 0.35  # registered before their ICB rolled the training out
SELF_STARTERS = 0.2  # of those, the share who began the training before the roll-out
# What the checklist finds: trained clinicians ask the patients it is meant for.
CASE_WEIGHTS = {
    UNTRAINED: (0.55, 0.25, 0.20),
    IN_TRAINING: (0.45, 0.28, 0.27),
    TRAINED: (0.32, 0.30, 0.38),
}
CASES = ("not_indicated", "possible", "indicated")

STATEMENT_OFFSET = {
    "identify": 0.3,
    "ask": 0.1,
    "services": -0.5,
    "refer": -0.4,
    "ptsd": -0.3,
    "colleague": 0.0,
}

BEHAVIOUR_WEIGHTS = {
    "following": 6,
    "watching": 5,
    "loitering": 5,
    "contact": 10,
    "gifts": 2,
    "online_publishing": 3,
    "monitoring": 3,
    "third_parties": 4,
    "property": 2,
    "turning_up": 7,
    "threats": 3,
}


class PopulationError(ValueError):
    """The data the population is built from is missing."""


# ---------------------------------------------------------------------------------------------
# Plain data the planners work on


@dataclass(frozen=True)
class ICBData:
    code: str
    short_name: str
    region: str


@dataclass(frozen=True)
class PracticePlan:
    ods_code: str
    name: str
    postcode: str
    icb: str
    share: float  # of clinical staff who finish the course
    rollout: float  # day of the year the ICB rolled the training out
    clinical: int
    team: int


@dataclass(frozen=True)
class ModuleData:
    id: int
    slug: str
    title: str
    order: int
    content_version: str
    cpd_minutes: int
    pass_mark: int
    per_attempt: int
    pages: tuple[int, ...]
    bank: dict[int, list[int]]  # question id -> option ids, as attempt_start draws from
    key: dict[int, frozenset[int]]  # question id -> the correct option ids
    first_pass: float  # chance a learner passes the quiz first time


@dataclass
class PersonPlan:
    seq: int
    practice: str
    role: str
    full_name: str
    email: str
    registration_number: str
    joined: float
    target: str
    ability: float
    propensity: float  # how often they screen, relative to colleagues


@dataclass
class AttemptPlan:
    id: uuid.UUID
    module: ModuleData
    presented: list[dict]
    started: float
    submitted: float | None = None
    selections: dict[int, frozenset[int]] = field(default_factory=dict)
    score: training_rules.AttemptScore | None = None
    is_first: bool = False


@dataclass
class LearningPlan:
    page_views: list[list] = field(default_factory=list)  # [page id, day]
    attempts: list[AttemptPlan] = field(default_factory=list)
    completions: list[AttemptPlan] = field(default_factory=list)  # the passing attempts
    before: list | None = None  # [day, [(statement, value)]]
    after: list | None = None
    modules_on_route: int = 0

    @property
    def started(self) -> float | None:
        """Return when the learner first read a page, or None."""
        return self.page_views[0][1] if self.page_views else None

    @property
    def finished(self) -> float | None:
        """Return when the learner completed the last module on their route, or None."""
        if self.modules_on_route and len(self.completions) == self.modules_on_route:
            return self.completions[-1].submitted
        return None


@dataclass(frozen=True)
class ScreeningPlan:
    id: uuid.UUID
    submission_id: uuid.UUID
    day: float
    result: screening_rules.Assessment
    outcome: dict | None  # None: nothing recorded as done


# ---------------------------------------------------------------------------------------------
# Pure planning


def seeded(label: str) -> random.Random:
    """Return the generator for one part of the population: the same numbers on every run."""
    return random.Random(f"{SEED}:{label}")  # noqa: S311 - demo data, not secrets


def random_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def demo_email(first: str, last: str, seq: int) -> str:
    return f"{EMAIL_PREFIX}{first}.{last}.{seq:04d}@{EMAIL_DOMAIN}".lower()


def practice_code(number: int) -> str:
    """Return the ODS code of demo practice `number`, in the X99 range no practice uses."""
    if not 4 <= number <= 999:
        raise ValueError("demo practice numbers run from 4 to 999 (1 to 3 are the contract's)")
    return f"{ODS_PREFIX}{number:03d}"


def postcode(rng: random.Random, areas: Sequence[str]) -> str:
    letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
    return f"{rng.choice(areas)}{rng.randint(1, 20)} {rng.randint(1, 9)}{letters}"


def plan_practices(icbs: Sequence[ICBData]) -> tuple[list[PracticePlan], list[str]]:
    """Return the demo practices, and the ICBs left with none, for the ICBs current today.

    The demo ICBs get eight practices with set completion shares; every other ICB but three gets
    two, its level of training drawn from an even spread so a map shows differences. ICBs that
    rolled the training out earlier got further.
    """
    rng = seeded("practices")
    practices: list[PracticePlan] = []
    by_code = {icb.code: icb for icb in icbs}
    for code in DEMO_ICBS:
        if code not in by_code:
            continue
        first_letter = ord(DEMO_ICB_FIRST_LETTER[code])
        sizes = []
        for _ in DEMO_ICB_SHARES[code]:
            team = rng.randint(2, 3)
            sizes.append((rng.randint(11, 14) - team, team))
        # The largest practices did best, so the top of the table has figures to show.
        sizes.sort(reverse=True)
        for n, (share, (clinical, team)) in enumerate(
            zip(DEMO_ICB_SHARES[code], sizes, strict=True)
        ):
            practices.append(
                PracticePlan(
                    ods_code=practice_code(DEMO_ICB_FIRST_CODE[code] + n),
                    name=f"Demo Practice {chr(first_letter + n)}",
                    postcode=postcode(rng, POSTCODE_AREAS[code]),
                    icb=code,
                    share=share,
                    rollout=DEMO_ICB_ROLLOUT[code],
                    clinical=clinical,
                    team=team,
                )
            )
    others = sorted(icb.code for icb in icbs if icb.code not in DEMO_ICBS)
    empty = sorted(rng.sample(others, min(EMPTY_ICBS, max(0, len(others) - 1))))
    lit = [code for code in others if code not in empty]
    shares = [0.05 + 0.75 * i / max(1, len(lit) - 1) for i in range(len(lit))]
    rng.shuffle(shares)
    number = OTHER_FIRST_CODE
    for code, icb_share in zip(lit, shares, strict=True):
        icb = by_code[code]
        rollout = 250 - 220 * icb_share + rng.uniform(-15, 15)
        place = icb.short_name.removesuffix(" ICB")
        for n in range(1, PRACTICES_PER_OTHER_ICB + 1):
            team = rng.randint(1, 2)
            practices.append(
                PracticePlan(
                    ods_code=practice_code(number),
                    name=f"Demo Practice {place} {n}",
                    postcode=postcode(rng, POSTCODE_AREAS.get(icb.region, ("ZZ",))),
                    icb=code,
                    share=min(0.95, max(0.0, icb_share + rng.uniform(-0.1, 0.1))),
                    rollout=rollout,
                    clinical=rng.randint(9, 11) - team,
                    team=team,
                )
            )
            number += 1
    return practices, empty


def registration_number(rng: random.Random, role: str) -> str:
    """Return a number of the right shape the GMC or NMC never issued (9xxxxxx; month Z), or ''."""
    if role == ProfessionalRole.GP:
        return f"9{rng.randrange(10**6):06d}"
    if role == ProfessionalRole.PRACTICE_NURSE:
        return f"{rng.randrange(100):02d}Z{rng.randrange(10**4):04d}E"
    return ""


def joined_day(rng: random.Random, rollout: float, latest: float) -> float:
    """Return the day someone registered: some before their ICB's roll-out, most around it."""
    draw = rng.random()
    if draw < EARLY_SHARE:
        # Most early users registered when the service opened, the year's first weeks.
        day = rng.uniform(0.0, 10.0) if rng.random() < 0.7 else rng.uniform(0.0, rollout)
    elif draw < 0.75:
        day = rollout + abs(rng.gauss(0, 18))
    else:
        day = rng.uniform(rollout, latest)
    return min(max(day, 0.0), latest)


def plan_people(practice: PracticePlan, first_seq: int) -> list[PersonPlan]:
    """Return the practice's people, each with what they set out to do in the training."""
    rng = seeded(f"{practice.ods_code}:people")
    clinical = practice.clinical
    gps = round(clinical * 0.45)
    nurses = max(1, round(clinical * 0.3))
    roles = [ProfessionalRole.GP] * gps + [ProfessionalRole.PRACTICE_NURSE] * nurses
    roles += [ProfessionalRole.OTHER_CLINICIAN] * (clinical - gps - nurses)
    roles += [TEAM_ROLE] * practice.team
    if practice.share >= 0.75:
        finishers = math.ceil(practice.share * clinical)
    else:
        finishers = round(practice.share * clinical)
    clinical_order = list(range(clinical))
    rng.shuffle(clinical_order)
    finishing = set(clinical_order[:finishers])
    people = []
    for position, role in enumerate(roles):
        if role == TEAM_ROLE:
            done = rng.random() < min(0.95, practice.share + 0.15)
        else:
            done = position in finishing
        if done:
            target = COMPLETE
        else:
            draw = rng.random()
            target = PARTIAL if draw < 0.6 else BEFORE_ONLY if draw < 0.7 else NONE
        latest = {COMPLETE: YEAR - 45, PARTIAL: YEAR - 4}.get(target, YEAR - 2)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        seq = first_seq + position
        title = "Dr " if role == ProfessionalRole.GP else ""
        people.append(
            PersonPlan(
                seq=seq,
                practice=practice.ods_code,
                role=role.value,
                full_name=f"{title}{first} {last} (demo)",
                email=demo_email(first, last, seq),
                registration_number=registration_number(rng, role),
                joined=joined_day(rng, practice.rollout, latest),
                target=target,
                ability=rng.gauss(0, 0.08),
                propensity=rng.lognormvariate(0, 0.4),
            )
        )
    return people


def survey_values(rng: random.Random, confidence: float, phase: str) -> list[tuple[str, int]]:
    """Return (statement, 1 to 5) for each statement; higher on the whole after training."""
    values = []
    for key, _text in STATEMENTS:
        offset = STATEMENT_OFFSET.get(key, 0.0)
        if phase == SurveyPhase.BEFORE:
            mean, spread = confidence + offset, 0.7
        else:
            mean, spread = confidence + 1.3 + offset / 2, 0.6
        values.append((key, min(5, max(1, round(rng.gauss(mean, spread))))))
    return values


def wrong_selection(rng: random.Random, options: Sequence[int], correct: frozenset[int]):
    """Return a plausible wrong answer: a wrong option, or one right option missed or one added."""
    wrong_options = [o for o in options if o not in correct]
    if len(correct) > 1 and (not wrong_options or rng.random() < 0.5):
        return correct - {rng.choice(sorted(correct))}
    if len(correct) > 1:
        return correct | {rng.choice(wrong_options)}
    return frozenset({rng.choice(wrong_options)}) if wrong_options else frozenset()


def plan_attempt(
    rng: random.Random,
    module: ModuleData,
    day: float,
    *,
    will_pass: bool,
    hardness: dict[int, float],
    submit: bool = True,
) -> AttemptPlan:
    """Return one attempt at the module's quiz, drawn and scored by the training rules."""
    presented = training_rules.draw_questions(module.bank, module.per_attempt, rng)
    attempt = AttemptPlan(random_uuid(rng), module, presented, started=day + MINUTE)
    if not submit:
        return attempt
    questions = [item["question"] for item in presented]
    count = len(questions)
    allowed = count - (-(-module.pass_mark * count // 100))  # wrong answers that still pass
    if will_pass:
        wrong_count = 0 if allowed == 0 or rng.random() < 0.6 else rng.randint(1, allowed)
    else:
        wrong_count = min(count, allowed + 1 + rng.choice((0, 0, 1, 2)))
    pool = list(questions)
    wrong = set()
    while len(wrong) < wrong_count:
        pick = rng.choices(pool, weights=[hardness.get(q, 1.0) for q in pool])[0]
        wrong.add(pick)
        pool.remove(pick)
    attempt.selections = {
        q: wrong_selection(rng, module.bank[q], module.key[q]) if q in wrong else module.key[q]
        for q in questions
    }
    attempt.score = training_rules.score_attempt(
        {q: module.key[q] for q in questions}, attempt.selections, module.pass_mark
    )
    attempt.submitted = attempt.started + rng.uniform(6, 14) * MINUTE
    return attempt


def plan_learning(
    rng: random.Random,
    person: PersonPlan,
    modules: Sequence[ModuleData],
    *,
    rollout: float,
    hardness: dict[int, float],
) -> LearningPlan:
    """Return what the person did in the training, following the course's order and rules."""
    plan = LearningPlan(modules_on_route=len(modules))
    if person.target == NONE or not modules:
        return plan
    latest = YEAR - 0.05
    if person.joined < rollout and rng.random() < SELF_STARTERS:
        start = person.joined + 0.02 + rng.expovariate(1 / 20)
    else:
        start = max(person.joined, rollout) + 0.02 + rng.expovariate(1 / 12)
    if start > latest - 3:
        start = person.joined + rng.uniform(0.02, 1.0)
    confidence = rng.uniform(2.3, 3.4)
    plan.before = [start, survey_values(rng, confidence, SurveyPhase.BEFORE)]
    if person.target == BEFORE_ONLY:
        return plan
    stop_in = len(modules) if person.target == COMPLETE else rng.randint(0, len(modules) - 1)
    day = start + 2 * MINUTE
    for index, module in enumerate(modules[: stop_in + 1]):
        if index:
            if person.target == COMPLETE and rng.random() < 0.45:
                day += rng.uniform(5, 30) * MINUTE  # the next module in the same sitting
            else:
                day += rng.expovariate(1 / (8 if person.target == COMPLETE else 14))
        pages = module.pages
        if index == stop_in:
            pages = pages[: rng.randint(1, len(pages))]
        for page in pages:
            day += rng.uniform(3, 9) * MINUTE
            plan.page_views.append([page, day])
        if index == stop_in:  # where a partial learner stopped
            if len(pages) == len(module.pages):
                draw = rng.random()
                if draw < 0.25:  # failed the quiz and has not been back
                    attempt = plan_attempt(rng, module, day, will_pass=False, hardness=hardness)
                    attempt.is_first = True
                    plan.attempts.append(attempt)
                    if attempt.score.passed:  # only a bank of questions nobody can fail
                        plan.completions.append(attempt)
                elif draw < 0.6:  # started the quiz and left it open
                    plan.attempts.append(
                        plan_attempt(
                            rng, module, day, will_pass=False, hardness=hardness, submit=False
                        )
                    )
            break
        for tries in range(1, 5):
            chance = {1: module.first_pass + person.ability, 2: 0.8}.get(tries, 1.0)
            attempt = plan_attempt(
                rng, module, day, will_pass=rng.random() < chance, hardness=hardness
            )
            attempt.is_first = tries == 1
            plan.attempts.append(attempt)
            day = attempt.submitted
            if attempt.score.passed:
                plan.completions.append(attempt)
                break
            # Back to the pages for a while, or another day.
            day += rng.uniform(10, 40) * MINUTE if rng.random() < 0.5 else rng.uniform(0.8, 4)
        else:
            break  # a quiz nobody can pass: stop here rather than invent a pass
    if plan.finished is not None and rng.random() < AFTER_SURVEY_SHARE:
        after = day + rng.expovariate(1 / 0.5)
        plan.after = [after, survey_values(rng, confidence, SurveyPhase.AFTER)]
    _fit(plan, start, latest)
    return plan


def _fit(plan: LearningPlan, origin: float, latest: float) -> None:
    """Squeeze the plan's times towards its start, keeping their order, to end by `latest`."""
    times = [v[1] for v in plan.page_views] + [a.started for a in plan.attempts]
    times += [a.submitted for a in plan.attempts if a.submitted is not None]
    times += [s[0] for s in (plan.before, plan.after) if s]
    end = max(times)
    if end <= latest:
        return
    factor = (latest - origin) / (end - origin)

    def squeeze(t: float) -> float:
        return origin + (t - origin) * factor

    for view in plan.page_views:
        view[1] = squeeze(view[1])
    for attempt in plan.attempts:
        attempt.started = squeeze(attempt.started)
        if attempt.submitted is not None:
            attempt.submitted = squeeze(attempt.submitted)
    for survey in (plan.before, plan.after):
        if survey:
            survey[0] = squeeze(survey[0])


def _yes(rng: random.Random, p: float) -> str:
    return screening_rules.YES if rng.random() < p else screening_rules.NO


def screening_answers(rng: random.Random, case: str) -> dict:
    """Return coded checklist answers for a plausible consultation; no free text, no identifiers.

    `case` is what the clinician met ("not_indicated", "possible", "indicated"); the levels,
    concern and flags are worked out from the answers by the screening rules, not from `case`.
    """
    r = screening_rules
    answers: dict = {
        "patient_age": rng.choices(r.AGE_BANDS, weights=(2, 4, 92, 2))[0],
        "relationship": rng.choices(r.RELATIONSHIPS, weights=(10, 35, 8, 20, 8, 10, 9))[0],
    }
    behaviours, weights = zip(*BEHAVIOUR_WEIGHTS.items(), strict=True)
    if case == "indicated":
        answers.update(unwanted=r.YES, repeated="two_or_more")
        chosen = set(rng.choices(behaviours, weights=weights, k=rng.randint(1, 5)))
        answers["fixated"] = r.YES if rng.random() < 0.7 else r.UNSURE
        risk, trauma, ptsd = 0.28, 0.75, 0.6
    elif case == "possible":
        answers["unwanted"] = r.YES if rng.random() < 0.6 else r.UNSURE
        answers["repeated"] = rng.choice(("one", r.UNSURE))
        chosen = set(rng.choices(behaviours, weights=weights)) if rng.random() < 0.5 else set()
        answers["fixated"] = rng.choice((r.YES, r.NO, r.UNSURE))
        risk, trauma, ptsd = 0.1, 0.5, 0.5
    else:
        # Asked, and nothing points to stalking: every risk answer no.
        answers.update(unwanted=r.NO, repeated=rng.choice(("one", r.UNSURE)), fixated=r.NO)
        chosen, risk, trauma, ptsd = set(), 0.0, 0.2, 0.4
    answers["behaviours"] = [b for b in r.BEHAVIOURS if b in chosen]
    connected = answers["relationship"] in r.PERSONALLY_CONNECTED
    for item in (*r.RISK_INDICATORS, *r.ADDED_RISK_FACTORS):
        p = risk / 4 if item in r.SERIOUS_HARM_ITEMS else risk
        if item == "risk_separation" and connected:
            p *= 2
        answers[item] = _yes(rng, p)
    answers["clinician_concern_high"] = _yes(rng, risk / 3)
    answers["immediate_danger"] = _yes(rng, risk / 10)
    answers["unsafe_to_go_home"] = _yes(rng, risk / 6)
    answers["children_or_adults_at_risk"] = _yes(rng, 0.04 + risk / 3)
    answers["perpetrator_has_record_access"] = _yes(rng, 0.02 + (0.1 if connected else 0.0))
    answers["trauma_gate"] = _yes(rng, trauma)
    for item in r.PTSD_ITEMS:
        answers[item] = _yes(rng, ptsd) if answers["trauma_gate"] == r.YES else r.NO
    answers["self_harm_thoughts"] = _yes(rng, 0.02 + risk / 8)
    return answers


def outcome_values(
    rng: random.Random,
    result: screening_rules.Assessment,
    *,
    trained: bool,
    services: Sequence[tuple[str, str]],
) -> dict:
    """Return what a clinician plausibly did after this result: more when more is flagged.

    `services` are the (name, type) of the specialist stalking services the outcome form offers
    in the clinician's ICB; with none, nobody is recorded as referred to one.
    """
    chance = rng.random
    r = screening_rules
    flags = result.flags
    level = {r.Stalking.INDICATED: 2, r.Stalking.POSSIBLE: 1}.get(result.stalking, 0)
    high = result.concern == r.Concern.HIGH
    referred = bool(services) and chance() < (0.0, 0.04, 0.14)[level] + (0.08 if high else 0.0)
    name, kind = rng.choice(services) if referred else ("", "")
    ptsd = r.Flag.PTSD_ASSESSMENT in flags
    return {
        "referred_specialist": referred,
        "referred_service_name": name,
        "referred_service_type": kind,
        "helpline_given": chance() < (0.1, 0.5, 0.65)[level],
        # About half of those flagged, more once the clinician has done the training.
        "ptsd_assessment_arranged": chance() < ((0.65 if trained else 0.4) if ptsd else 0.02),
        "safeguarding_referral": chance() < (0.7 if r.Flag.SAFEGUARDING in flags else 0.01),
        "police_contacted": chance()
        < (0.9 if r.Flag.EMERGENCY in flags else 0.35 if high else 0.03),
        "marac_referral": r.Flag.DOMESTIC_ABUSE in flags and high and chance() < 0.5,
        "patient_declined": chance() < 0.1,
        "follow_up_booked": chance() < (0.25, 0.5, 0.65)[level],
    }


def status_on(learning: LearningPlan, day: float) -> str:
    finished, started = learning.finished, learning.started
    if finished is not None and finished <= day:
        return TRAINED
    if started is not None and started <= day:
        return IN_TRAINING
    return UNTRAINED


def poisson(rng: random.Random, mean: float) -> int:
    """Return a Poisson-distributed count (Knuth's method; the means here are small)."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def plan_screenings(
    rng: random.Random,
    person: PersonPlan,
    learning: LearningPlan,
    services: Sequence[tuple[str, str]],
) -> list[ScreeningPlan]:
    """Return the clinician's screenings, month by month, more often once they are trained."""
    plans = []
    for month in range(int(person.joined // MONTH), math.ceil(YEAR / MONTH)):
        begin, end = max(person.joined, month * MONTH), min((month + 1) * MONTH, YEAR - 0.01)
        if end <= begin:
            continue
        status = status_on(learning, (begin + end) / 2)
        mean = SCREENINGS_A_MONTH[status] * person.propensity * (end - begin) / MONTH
        for _ in range(poisson(rng, mean)):
            day = rng.uniform(begin, end)
            status = status_on(learning, day)
            case = rng.choices(CASES, weights=CASE_WEIGHTS[status])[0]
            result = screening_rules.assess(screening_answers(rng, case))
            trained = status == TRAINED
            outcome = None
            if rng.random() < (0.92 if trained else 0.8):
                outcome = outcome_values(rng, result, trained=trained, services=services)
            plans.append(ScreeningPlan(random_uuid(rng), random_uuid(rng), day, result, outcome))
    return plans


def screening_fields(result: screening_rules.Assessment) -> dict:
    """Return the stored form of an assessment, exactly as screening.services.screening_create."""
    return {
        "answers": dict(result.answers, behaviours=list(result.answers["behaviours"])),
        "rules_version": result.rules_version,
        "stalking": result.stalking.value,
        "concern": result.concern.value,
        "reasons": {key: list(value) for key, value in result.reasons.items()},
        "risk_count": result.tally,
        "ptsd_count": result.ptsd_count,
        "unanswered": list(result.unanswered),
        **{f"flag_{flag}": True for flag in result.flags},
    }


# ---------------------------------------------------------------------------------------------
# Reading what the population is built from


def load_routes() -> dict[str, tuple[ModuleData, ...]]:
    """Return the active modules of each training route, in order, with their question banks."""
    rng = seeded("modules")
    modules = list(Module.objects.filter(is_active=True).order_by("order", "pk"))
    bank: dict[int, dict[int, list[int]]] = {}
    key: dict[int, dict[int, set[int]]] = {}
    for module_id, qid, oid, correct in (
        Option.objects.filter(question__module__in=modules, question__is_active=True)
        .values_list("question__module_id", "question_id", "id", "is_correct")
        .order_by("question_id", "id")
    ):
        bank.setdefault(module_id, {}).setdefault(qid, []).append(oid)
        answers = key.setdefault(module_id, {}).setdefault(qid, set())
        if correct:
            answers.add(oid)
    pages: dict[int, list[int]] = {}
    for module_id, page_id in (
        Page.objects.filter(module__in=modules)
        .order_by("module_id", "number")
        .values_list("module_id", "id")
    ):
        pages.setdefault(module_id, []).append(page_id)
    data = {}
    for m in modules:
        if not pages.get(m.pk) or len(bank.get(m.pk, {})) < m.questions_per_attempt:
            raise PopulationError(f"Module {m.slug} has no pages or too few questions")
        data[m.pk] = ModuleData(
            id=m.pk,
            slug=m.slug,
            title=m.title,
            order=m.order,
            content_version=m.content_version,
            cpd_minutes=m.cpd_minutes,
            pass_mark=m.pass_mark,
            per_attempt=m.questions_per_attempt,
            pages=tuple(pages[m.pk]),
            bank=bank[m.pk],
            key={q: frozenset(ids) for q, ids in key[m.pk].items()},
            first_pass=rng.uniform(0.55, 0.85),
        )
    return {
        pathway: tuple(
            data[m.pk] for m in modules if getattr(m, training_rules.pathway_field(pathway))
        )
        for pathway in training_rules.PATHWAYS
    }


def question_hardness(routes: dict[str, tuple[ModuleData, ...]]) -> dict[int, float]:
    """Return how likely each question is to be the one answered wrongly: a few are much harder."""
    rng = seeded("questions")
    ids = sorted({q for modules in routes.values() for m in modules for q in m.bank})
    return {q: (5.0 if rng.random() < 0.15 else 1.0) * rng.uniform(0.6, 1.4) for q in ids}


def specialist_services(icb: str) -> list[tuple[str, str]]:
    """Return the specialist stalking services the outcome form offers in the ICB's area.

    Its own local services if it has any, otherwise the national ones.
    """
    services = directory_services(icb, types=[ServiceType.STALKING_ADVOCACY])
    local = [s for s in services if not s.is_national]
    return [(s.name, s.service_type) for s in (local or services)]


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass
class Clock:
    """Turns a day of the population's year into a time: the year ends now.

    An ICB formed during the year has its story squeezed into the time since it was formed.
    """

    start: datetime.datetime
    end: datetime.datetime

    def at(self, day: float) -> datetime.datetime:
        return self.start + (self.end - self.start) * (day / YEAR)


def clock_for(icb: ICB, now: datetime.datetime) -> Clock:
    formed = timezone.make_aware(datetime.datetime.combine(icb.valid_from, datetime.time(9)))
    # In UTC: adding to a London time would count wall-clock hours across a change of clocks.
    start = max(now - datetime.timedelta(days=YEAR), formed).astimezone(datetime.UTC)
    return Clock(start, now.astimezone(datetime.UTC))


def working_hours(rng: random.Random, moment: datetime.datetime, earliest, latest):
    """Move a consultation onto a weekday between 08:15 and 18:15, London time."""
    local = timezone.localtime(moment)
    if local.weekday() >= 5:
        local += datetime.timedelta(days=-1 if local.weekday() == 5 else 1)
    minutes = rng.randint(8 * 60 + 15, 18 * 60 + 15)
    day = datetime.datetime.combine(local.date(), datetime.time(minutes // 60, minutes % 60))
    moved = timezone.make_aware(day)
    if moved > latest:
        moved = latest - datetime.timedelta(minutes=rng.randint(5, 240))
    return max(moved, earliest)


@contextmanager
def given_times(*fields: models.DateTimeField) -> Iterator[None]:
    """Keep the times planned on these auto_now(_add) fields while bulk_create writes them.

    bulk_create would stamp every row with the time of the load; a demo needs them spread over
    the year. Only for the bulk writes here, inside one management command.
    """
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def demo_people():
    """Return the population's people (never the contract's demo accounts, nor anyone real)."""
    return User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith=f"@{EMAIL_DOMAIN}")


def demo_practices():
    """Return the population's practices: X99 codes after the contract's X99001 to X99003."""
    contract = [f"{ODS_PREFIX}{n:03d}" for n in (1, 2, 3)]
    return Practice.objects.filter(ods_code__regex=rf"^{ODS_PREFIX}\d{{3}}$").exclude(
        ods_code__in=contract
    )


def population_delete() -> int:
    """Delete the population's people and everything they made; return how many people went.

    Certificates and completions protect what they point at, so they go first. Practices stay:
    they are updated in place when the population is made again.
    """
    people = demo_people()
    Certificate.objects.filter(user__in=people).delete()
    ModuleCompletion.objects.filter(user__in=people).delete()
    AttemptAnswer.objects.filter(attempt__user__in=people).delete()
    Attempt.objects.filter(user__in=people).delete()
    SurveyAnswer.objects.filter(response__user__in=people).delete()
    SurveyResponse.objects.filter(user__in=people).delete()
    PageView.objects.filter(user__in=people).delete()
    ReflectiveNote.objects.filter(user__in=people).delete()
    Outcome.objects.filter(screening__clinician__in=people).delete()
    Screening.objects.filter(clinician__in=people).delete()
    deleted, per_model = people.delete()
    return per_model.get(User._meta.label, 0)


@dataclass
class PopulationCounts:
    practices: int = 0
    practices_created: int = 0
    icbs: int = 0
    empty_icbs: list[str] = field(default_factory=list)
    people: int = 0
    clinical: int = 0
    team: int = 0
    replaced: int = 0
    page_views: int = 0
    attempts: int = 0
    answers: int = 0
    completions: int = 0
    finished: int = 0
    surveys: int = 0
    certificates: int = 0
    screenings: int = 0
    levels: Counter = field(default_factory=Counter)
    ptsd_flagged: int = 0
    ptsd_arranged: int = 0
    outcomes: int = 0
    referrals: int = 0
    summary_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """Return what was made, in words, for the command to print."""
        empty = ", ".join(self.empty_icbs) or "none"
        return [
            f"Demo population: {self.people} people ({self.clinical} clinical staff, "
            f"{self.team} practice team) at {self.practices} demo practices "
            f"({self.practices_created} new) in {self.icbs} ICBs; ICBs left without: {empty}"
            + (f"; replaced the {self.replaced} people made before." if self.replaced else "."),
            f"Training: {self.page_views} page views, {self.attempts} quiz attempts "
            f"({self.answers} answers), {self.completions} module completions, "
            f"{self.finished} finished the course, {self.surveys} confidence surveys, "
            f"{self.certificates} certificates.",
            f"Screenings: {self.screenings} ({self.levels['indicated']} indicated, "
            f"{self.levels['possible']} possible, {self.levels['not_indicated']} not indicated), "
            f"{self.ptsd_flagged} flagged for PTSD assessment ({self.ptsd_arranged} arranged), "
            f"{self.outcomes} outcomes, {self.referrals} referrals to specialist services.",
            "Report summaries rebuilt: "
            + ", ".join(f"{rows} {table}" for table, rows in self.summary_rows.items())
            + f". Took {self.seconds:.1f} s.",
        ]


BATCH = 2000


def _bulk(model: type[models.Model], rows: list) -> int:
    model.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _ensure_practices(plans: Sequence[PracticePlan], counts: PopulationCounts) -> dict:
    existing = {
        p.ods_code: p for p in Practice.objects.filter(ods_code__in=[p.ods_code for p in plans])
    }
    new, changed = [], []
    for plan in plans:
        values = {"name": plan.name, "postcode": plan.postcode, "icb_id": plan.icb}
        practice = existing.get(plan.ods_code)
        if practice is None:
            new.append(Practice(ods_code=plan.ods_code, **values))
        elif any(getattr(practice, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(practice, k, v)
            changed.append(practice)
    Practice.objects.bulk_create(new)
    Practice.objects.bulk_update(changed, ["name", "postcode", "icb_id"])
    counts.practices, counts.practices_created = len(plans), len(new)
    return {
        p.ods_code: p for p in Practice.objects.filter(ods_code__in=[p.ods_code for p in plans])
    }


@transaction.atomic
def population_seed(*, now: datetime.datetime | None = None) -> PopulationCounts:
    """Make the demo population afresh (replacing any earlier one); return what was made."""
    started = time.perf_counter()
    now = now or timezone.now()
    routes = load_routes()
    if not routes[training_rules.CLINICAL]:
        raise PopulationError("No active training module: run load_training first")
    version = course_version()
    icbs = {icb.ods_code: icb for icb in ICB.objects.current(timezone.localdate(now))}
    if not any(code in icbs for code in DEMO_ICBS):
        raise PopulationError("The demo ICBs are not loaded: migrate first")
    plans, empty = plan_practices(
        [ICBData(i.ods_code, i.short_name, i.region) for i in icbs.values()]
    )
    counts = PopulationCounts(empty_icbs=empty)
    counts.replaced = population_delete()
    practices = _ensure_practices(plans, counts)
    counts.icbs = len({p.icb for p in plans})
    hardness = question_hardness(routes)
    password = make_password(None)  # unusable: nobody signs in as a demo person

    clocks = {code: clock_for(icbs[code], now) for code in sorted({p.icb for p in plans})}
    people: list[tuple[PersonPlan, PracticePlan]] = []
    for plan in plans:
        people += [(p, plan) for p in plan_people(plan, len(people) + 1)]
    users = [
        User(
            email=person.email,
            password=password,
            full_name=person.full_name,
            role=Role.CLINICIAN,
            professional_role=person.role,
            registration_number=person.registration_number,
            practice=practices[plan.ods_code],
            is_active=True,
            date_joined=clocks[plan.icb].at(person.joined),
            email_verified_at=clocks[plan.icb].at(person.joined + 4 * MINUTE),
        )
        for person, plan in people
    ]
    counts.people = _bulk(User, users)
    counts.team = sum(person.role == TEAM_ROLE for person, _ in people)
    counts.clinical = counts.people - counts.team

    views, attempts, answers, completions, responses = [], [], [], [], []
    certificates, screenings, outcomes = [], [], []
    services = {code: specialist_services(code) for code in clocks}
    for (person, plan), user in zip(people, users, strict=True):
        clock = clocks[plan.icb]
        modules = routes[training_rules.pathway_for(person.role)]
        learning = plan_learning(
            seeded(f"{person.email}:training"),
            person,
            modules,
            rollout=plan.rollout,
            hardness=hardness,
        )
        views += [
            PageView(user=user, page_id=p, first_viewed_at=clock.at(d))
            for p, d in learning.page_views
        ]
        for a in learning.attempts:
            submitted = a.submitted is not None
            attempts.append(
                Attempt(
                    id=a.id,
                    user=user,
                    module_id=a.module.id,
                    content_version=a.module.content_version,
                    presented=a.presented,
                    started_at=clock.at(a.started),
                    submitted_at=clock.at(a.submitted) if submitted else None,
                    correct_count=a.score.correct_count if submitted else None,
                    question_count=len(a.presented),
                    score_percent=a.score.percent if submitted else None,
                    passed=a.score.passed if submitted else None,
                    is_first=a.is_first,
                )
            )
            if submitted:
                answers += [
                    AttemptAnswer(
                        attempt_id=a.id,
                        question_id=q,
                        selected=sorted(a.selections[q]),
                        is_correct=q in a.score.correct_questions,
                    )
                    for q in (item["question"] for item in a.presented)
                ]
        completions += [
            ModuleCompletion(
                user=user,
                module_id=a.module.id,
                attempt_id=a.id,
                content_version=a.module.content_version,
                completed_at=clock.at(a.submitted),
            )
            for a in learning.completions
        ]
        for phase, survey in (
            (SurveyPhase.BEFORE, learning.before),
            (SurveyPhase.AFTER, learning.after),
        ):
            if survey:
                response = SurveyResponse(
                    user=user,
                    phase=phase,
                    content_version=version,
                    submitted_at=clock.at(survey[0]),
                )
                responses.append((response, survey[1]))
        counts.finished += learning.finished is not None
        if learning.finished is not None and learning.after:
            certificates.append(_certificate(user, learning, clock, version))
        if person.role != TEAM_ROLE:
            rng = seeded(f"{person.email}:screenings")
            joined = user.date_joined
            for s in plan_screenings(rng, person, learning, services[plan.icb]):
                created = working_hours(rng, clock.at(s.day), joined, now)
                screenings.append(
                    Screening(
                        id=s.id,
                        clinician=user,
                        practice=user.practice,
                        icb_id=plan.icb,
                        created_at=created,
                        submission_id=s.submission_id,
                        **screening_fields(s.result),
                    )
                )
                counts.levels[s.result.stalking.value] += 1
                ptsd = screening_rules.Flag.PTSD_ASSESSMENT in s.result.flags
                counts.ptsd_flagged += ptsd
                if s.outcome is not None:
                    recorded = min(created + datetime.timedelta(minutes=rng.randint(3, 25)), now)
                    outcomes.append(Outcome(screening_id=s.id, recorded_at=recorded, **s.outcome))
                    counts.ptsd_arranged += ptsd and s.outcome["ptsd_assessment_arranged"]
                    counts.referrals += s.outcome["referred_specialist"]

    with given_times(PageView._meta.get_field("first_viewed_at")):
        counts.page_views = _bulk(PageView, views)
    with given_times(Attempt._meta.get_field("started_at")):
        counts.attempts = _bulk(Attempt, attempts)
    counts.answers = _bulk(AttemptAnswer, answers)
    counts.completions = _bulk(ModuleCompletion, completions)
    counts.surveys = _bulk(SurveyResponse, [r for r, _ in responses])
    _bulk(
        SurveyAnswer,
        [
            SurveyAnswer(response=r, statement=key, value=value)
            for r, values in responses
            for key, value in values
        ],
    )
    counts.certificates = _bulk(Certificate, certificates)
    with given_times(Screening._meta.get_field("created_at")):
        counts.screenings = _bulk(Screening, screenings)
    with given_times(Outcome._meta.get_field("recorded_at")):
        counts.outcomes = _bulk(Outcome, outcomes)
    counts.summary_rows = rebuild_all()
    counts.seconds = time.perf_counter() - started
    return counts


def _certificate(user, learning: LearningPlan, clock: Clock, version: str) -> Certificate:
    """Return the certificate as certificate_issue_if_complete writes it, on the after-survey."""
    issued = clock.at(learning.after[0])
    modules = sorted(learning.completions, key=lambda a: a.module.order)
    return Certificate(
        id=random_uuid(seeded(f"{user.email}:certificate")),
        user=user,
        learner_name=user.full_name,
        professional_role=user.get_professional_role_display(),
        registration_number=user.registration_number,
        content_version=version,
        modules=[
            {
                "slug": a.module.slug,
                "title": a.module.title,
                "content_version": a.module.content_version,
                "completed_on": timezone.localdate(clock.at(a.submitted)).isoformat(),
                "cpd_minutes": a.module.cpd_minutes,
            }
            for a in modules
        ],
        cpd_minutes=sum(a.module.cpd_minutes for a in modules),
        issued_at=issued,
        refresh_by=refresh_by_for(timezone.localdate(issued), settings.TRAINING_REFRESH_YEARS),
    )
