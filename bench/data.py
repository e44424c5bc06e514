"""Synthetic national-scale data for benchmarks, written by `manage.py seed_bench`.

Nothing here describes a real person or practice. Names come from the short word lists below;
emails end in @bench.example (a reserved domain); GMC numbers start with 9 and NMC PINs carry the
month letter Z, neither ever issued; practices take ODS codes starting Z9, a range no English
GP practice uses, so `--reset` can find and remove every bench row and nothing else.

The planning functions are pure: they take a `random.Random`, a snapshot of the course and the
clock, and return rows as plain tuples. `PostgresSink` writes them with COPY (psycopg 3);
`InsertSink` with batched INSERTs on any other database (SQLite in the local test suite).

Realism, in brief (the tests in tests/bench/test_seed_bench.py check each point):
- practices spread unevenly over the current ICBs, clinicians unevenly over practices, with a
  mix of GPs, practice nurses, other clinicians and a few non-clinical staff; ICB admins per ICB;
- each learner works through the modules in order: all pages read before a quiz, attempts scored
  from answers to the real questions (per-question difficulty, per-learner ability), a completion
  for the first pass only, at most one open attempt, retakes once everything is passed;
- confidence surveys before (most learners) and after (only those who completed every module),
  paired and improved; a certificate for everyone complete with an after-survey;
- screenings with coded answers assessed by the real rules (`screening.rules.assess`), so levels,
  counts and flags are consistent; outcomes for a share of them, in line with the flags;
- times spread over the last months, with ids, physical order and timestamps rising together.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, islice, permutations
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models

from accounts.models import ICB, Practice, ProfessionalRole, Role, User
from referrals.models import ServiceType
from reporting.demo_population import POSTCODE_LETTERS, survey_values
from screening import rules
from screening.models import Outcome, Screening
from training.models import (
    Attempt,
    AttemptAnswer,
    Certificate,
    Module,
    ModuleCompletion,
    Option,
    PageView,
    Question,
    SurveyAnswer,
    SurveyPhase,
    SurveyResponse,
    refresh_by_for,
)
from training.survey import STATEMENTS

BENCH_EMAIL_DOMAIN = "bench.example"
BENCH_ODS_PREFIX = "Z9"
MAX_PRACTICES = 10_000  # Z90000 to Z99999: the shape of a real practice code (letter, 5 digits)

DAY = 86_400.0
MONTH = 30.44 * DAY
UTC = datetime.UTC
LONDON = ZoneInfo("Europe/London")

FIRST_NAMES = (
    "Aisha", "Alex", "Amelia", "Amir", "Anna", "Ben", "Bethan", "Callum", "Chloe", "Chris",
    "Daniel", "Deepa", "Eleanor", "Ellis", "Emma", "Farah", "Finn", "Grace", "Hannah", "Harry",
    "Imran", "Isla", "Jack", "James", "Jess", "Jordan", "Kate", "Kwame", "Laura", "Leah",
    "Liam", "Lucy", "Maya", "Mei", "Michael", "Mohammed", "Nadia", "Nathan", "Niamh", "Oliver",
    "Olivia", "Omar", "Priya", "Rachel", "Rhys", "Robin", "Ruth", "Sam", "Sana", "Sarah",
    "Sean", "Sophie", "Tariq", "Tom", "Uma", "Victoria", "Will", "Yusuf", "Zara", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Ahmed", "Ali", "Allen", "Bailey", "Baker", "Begum", "Bell", "Bennett", "Brown",
    "Campbell", "Carter", "Chen", "Clarke", "Cooper", "Davies", "Edwards", "Evans", "Fisher",
    "Green", "Hall", "Harris", "Hughes", "Hussain", "Jackson", "James", "Jones", "Kaur", "Khan",
    "King", "Lee", "Lewis", "Martin", "Mason", "Mitchell", "Moore", "Morgan", "Morris", "Murphy",
    "Nguyen", "Okafor", "Owen", "Parker", "Patel", "Phillips", "Price", "Roberts", "Robinson",
    "Scott", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Turner", "Walker", "Ward", "Watson",
    "White", "Williams", "Wilson", "Wood", "Wright", "Young",
)  # fmt: skip
PLACES = (
    "Abbey", "Ashgrove", "Beech", "Birchwood", "Bridge Street", "Brookside", "Castle", "Cedar",
    "Chapel Lane", "Church View", "Clayfield", "Cliffside", "Coppice", "Crossways", "Dale",
    "Elmwood", "Fairfield", "Fernhill", "Fieldhouse", "Foxglove", "Garden Lane", "Glebe",
    "Greenway", "Hawthorn", "Heathside", "High Street", "Hillcrest", "Holly", "Kingsway",
    "Lakeside", "Larchwood", "Linden", "Market Square", "Meadowbank", "Mill Lane", "Moorside",
    "Northgate", "Oakfield", "Orchard", "Park View", "Priory", "Queens Road", "Riverside",
    "Rosewood", "Southgate", "Springfield", "Station Road", "Stonebridge", "The Elms",
    "The Limes", "Valley", "Victoria Road", "Westfield", "Willow", "Woodland", "Yew Tree",
)  # fmt: skip
PRACTICE_KINDS = (
    "Surgery", "Medical Centre", "Health Centre", "Medical Practice", "Family Practice",
    "Group Practice", "Primary Care Centre",
)  # fmt: skip
# Postcode areas by NHS England region, for postcodes of the right shape; none is looked up.
POSTCODE_AREAS = {
    "North East and Yorkshire": ("NE", "DH", "SR", "TS", "YO", "HU", "LS", "BD", "HX", "S", "DN"),
    "North West": ("M", "L", "WA", "CH", "PR", "BB", "LA", "BL", "OL", "SK", "WN"),
    "Midlands": ("B", "CV", "DE", "NG", "LE", "ST", "WV", "WS", "WR", "HR", "LN", "NN", "SY"),
    "East of England": ("CB", "PE", "NR", "IP", "CO", "CM", "SS", "LU", "MK", "SG", "AL"),
    "London": ("E", "N", "NW", "SE", "SW", "W", "EC", "WC", "HA", "UB", "CR", "BR", "IG"),
    "South East": ("OX", "RG", "SL", "HP", "GU", "KT", "RH", "BN", "TN", "ME", "CT", "PO", "SO"),
    "South West": ("BS", "BA", "TA", "EX", "PL", "TR", "TQ", "DT", "BH", "GL", "SN", "SP"),
}

# Professional roles of bench clinicians, with their share.
ROLE_MIX = (
    (ProfessionalRole.GP, 0.45),
    (ProfessionalRole.PRACTICE_NURSE, 0.30),
    (ProfessionalRole.OTHER_CLINICIAN, 0.20),
    (ProfessionalRole.PRACTICE_STAFF, 0.05),
)
SCREENING_ROLES = frozenset(
    r.value
    for r in (
        ProfessionalRole.GP,
        ProfessionalRole.PRACTICE_NURSE,
        ProfessionalRole.OTHER_CLINICIAN,
    )
)

# Learner behaviour.
NO_QUIZ_SHARE = 0.12  # registered but never took a quiz
PARTIAL_SHARE = 0.23  # meant to do only some modules
OPEN_LAST_ATTEMPT = 0.25  # chance that a learner's last attempt was started but not submitted
BEFORE_SURVEY = 0.9  # of learners who did anything
AFTER_SURVEY = 0.8  # of learners who completed every module
RETRY_BONUS = 0.05  # each failed attempt at a module makes each question this much likelier right

REFERRAL_TYPES = (
    (ServiceType.STALKING_ADVOCACY, 0.6),
    (ServiceType.DOMESTIC_ABUSE, 0.15),
    (ServiceType.VICTIM_SUPPORT, 0.1),
    (ServiceType.MENTAL_HEALTH, 0.08),
    (ServiceType.POLICE, 0.07),
)
REFERRAL_NAMES = {
    ServiceType.STALKING_ADVOCACY: "Stalking advocacy service (bench)",
    ServiceType.DOMESTIC_ABUSE: "Domestic abuse service (bench)",
    ServiceType.VICTIM_SUPPORT: "Victim support service (bench)",
    ServiceType.MENTAL_HEALTH: "Talking therapies service (bench)",
    ServiceType.POLICE: "Police public protection unit (bench)",
}


# ---------------------------------------------------------------------------------------------
# Pure helpers


def bench_email(first: str, last: str, user_id: int) -> str:
    """Return a bench user's email: unique by id, in the bench domain."""
    local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    return f"{local}.{user_id}@{BENCH_EMAIL_DOMAIN}"


def practice_code(number: int) -> str:
    """Return the ODS code of bench practice `number` (0 to 9,999)."""
    if not 0 <= number < MAX_PRACTICES:
        raise ValueError(f"bench practice numbers run from 0 to {MAX_PRACTICES - 1}")
    return f"{BENCH_ODS_PREFIX}{number:04d}"


def split_total(total: int, weights: Sequence[float]) -> list[int]:
    """Share `total` out in proportion to `weights`, in whole numbers that add up to `total`."""
    if not weights:
        if total:
            raise ValueError("nothing to share out among")
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        weights = [1.0] * len(weights)
        weight_sum = float(len(weights))
    raw = [total * w / weight_sum for w in weights]
    shares = [int(r) for r in raw]
    rest = total - sum(shares)
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - shares[i], reverse=True)
    for i in by_remainder[:rest]:
        shares[i] += 1
    return shares


def pass_probability(p: float, questions: int, pass_mark: int) -> float:
    """Return the chance of passing when each question is right with probability p."""
    need = math.ceil(pass_mark * questions / 100)
    return sum(
        math.comb(questions, k) * p**k * (1 - p) ** (questions - k)
        for k in range(need, questions + 1)
    )


def spread_times(rng: random.Random, start: float, end: float, long_gaps: Sequence[bool]):
    """Return one increasing time per event, all between start and end.

    A short gap is a few minutes (the next page, submitting a quiz); long gaps share out a
    random part of the time available (coming back another day).
    """
    window = max(end - start, 1.0)
    span = window * rng.uniform(0.08, 0.95)
    expo = rng.expovariate
    shorts = [0.0 if g else 30.0 + expo(1 / 240.0) for g in long_gaps]
    longs = [expo(1.0) if g else 0.0 for g in long_gaps]
    short_total = sum(shorts)
    if short_total > span / 2:
        factor = span / 2 / short_total
        shorts = [s * factor for s in shorts]
        short_total = span / 2
    long_total = sum(longs)
    scale = (span - short_total) / long_total if long_total else 0.0
    t = start
    times = []
    for s, g in zip(shorts, longs, strict=True):
        t += s + g * scale
        times.append(t)
    return times


def epoch(moment: datetime.datetime) -> float:
    return moment.timestamp()


def at(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, UTC)


def local_day(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(seconds, LONDON).date().isoformat()


def random_uuid(rng: random.Random) -> str:
    """Return a version 4 UUID from the seeded generator, so runs are reproducible."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def synthetic_postcode(rng: random.Random, region: str) -> str:
    area = rng.choice(POSTCODE_AREAS.get(region, ("ZZ",)))
    letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
    return f"{area}{rng.randint(1, 29)} {rng.randint(1, 9)}{letters}"


def synthetic_practice_name(rng: random.Random) -> str:
    return f"{rng.choice(PLACES)} {rng.choice(PRACTICE_KINDS)}"


def registration_number(rng: random.Random, role: str) -> str:
    """Return a number of the right shape that the GMC or NMC never issued, or ''."""
    if role == ProfessionalRole.GP:
        return f"9{rng.randrange(10**6):06d}"
    if role == ProfessionalRole.PRACTICE_NURSE or (
        role == ProfessionalRole.OTHER_CLINICIAN and rng.random() < 0.5
    ):
        return f"{rng.randrange(100):02d}Z{rng.randrange(10**4):04d}E"
    return ""


def screening_answers(rng: random.Random) -> dict:
    """Return coded checklist answers for a plausible case: not indicated, possible or indicated."""
    chance = rng.random
    case = rng.choices(("not", "possible", "indicated"), weights=(35, 30, 35))[0]
    answers: dict = {}
    if case == "indicated":
        answers["unwanted"] = rules.YES
        answers["repeated"] = "two_or_more"
        answers["behaviours"] = rng.sample(rules.BEHAVIOURS, rng.randint(1, 5))
        risk, trauma = 0.25, 0.7
    elif case == "possible":
        answers["unwanted"] = rng.choice((rules.YES, rules.UNSURE))
        answers["repeated"] = rng.choice(("one", rules.UNSURE, "two_or_more"))
        answers["behaviours"] = (
            [] if answers["repeated"] == "two_or_more" else rng.sample(rules.BEHAVIOURS, 1)
        )
        risk, trauma = 0.1, 0.5
    else:
        answers["unwanted"] = rules.NO
        answers["repeated"] = rng.choice(("one", rules.UNSURE, "two_or_more"))
        answers["behaviours"] = rng.sample(rules.BEHAVIOURS, 1) if chance() < 0.2 else []
        risk, trauma = 0.03, 0.2
    answers["fixated"] = rng.choice((rules.YES, rules.NO, rules.UNSURE))
    answers["patient_age"] = rng.choices(rules.AGE_BANDS, weights=(2, 4, 92, 2))[0]
    answers["relationship"] = rng.choices(rules.RELATIONSHIPS, weights=(15, 30, 8, 20, 7, 10, 10))[
        0
    ]
    for item in (*rules.RISK_INDICATORS, *rules.ADDED_RISK_FACTORS):
        # Serious harm answers are rarer than the others; each makes concern high on its own.
        p = risk / 3 if item in rules.SERIOUS_HARM_ITEMS else risk
        answers[item] = rules.YES if chance() < p else rules.NO
    answers["clinician_concern_high"] = rules.YES if chance() < risk / 3 else rules.NO
    answers["immediate_danger"] = rules.YES if chance() < risk / 8 else rules.NO
    answers["unsafe_to_go_home"] = rules.YES if chance() < risk / 6 else rules.NO
    answers["children_or_adults_at_risk"] = rules.YES if chance() < 0.03 + risk / 2 else rules.NO
    domestic = answers["relationship"] in rules.PERSONALLY_CONNECTED
    answers["perpetrator_has_record_access"] = (
        rules.YES if chance() < (0.12 if domestic else 0.03) else rules.NO
    )
    answers["trauma_gate"] = rules.YES if chance() < trauma else rules.NO
    for item in rules.PTSD_ITEMS:
        answers[item] = (
            rules.YES if answers["trauma_gate"] == rules.YES and chance() < 0.55 else "no"
        )
    answers["self_harm_thoughts"] = rules.YES if chance() < 0.02 + risk / 6 else rules.NO
    return answers


def outcome_values(rng: random.Random, result: rules.Assessment) -> dict:
    """Return what a clinician plausibly did after this result: more when more is flagged."""
    chance = rng.random
    flags = result.flags
    level = {rules.Stalking.INDICATED: 2, rules.Stalking.POSSIBLE: 1}.get(result.stalking, 0)
    high = result.concern == rules.Concern.HIGH
    referred = chance() < (0.02, 0.25, 0.55)[level] + (0.15 if high else 0.0)
    service_type = ""
    if referred:
        kinds, weights = zip(*REFERRAL_TYPES, strict=True)
        service_type = rng.choices(kinds, weights=weights)[0]
    return {
        "referred_specialist": referred,
        "referred_service_name": REFERRAL_NAMES.get(service_type, ""),
        "referred_service_type": service_type.value if service_type else "",
        "helpline_given": chance() < (0.15, 0.55, 0.65)[level],
        "ptsd_assessment_arranged": chance()
        < (0.6 if rules.Flag.PTSD_ASSESSMENT in flags else 0.02),
        "safeguarding_referral": chance() < (0.7 if rules.Flag.SAFEGUARDING in flags else 0.01),
        "police_contacted": chance()
        < (0.9 if rules.Flag.EMERGENCY in flags else 0.4 if high else 0.04),
        "marac_referral": rules.Flag.DOMESTIC_ABUSE in flags and high and chance() < 0.5,
        "patient_declined": chance() < 0.12,
        "follow_up_booked": chance() < (0.3, 0.5, 0.65)[level],
    }


# ---------------------------------------------------------------------------------------------
# The course, as plain data


@dataclass(frozen=True)
class QuestionData:
    id: int
    correct: str  # JSON list of the correct option ids, as AttemptAnswer.selected stores them
    wrong: tuple[str, ...]  # JSON lists of plausible wrong selections
    shown: tuple[str, ...]  # JSON {"question", "options"} items, options in shuffled orders
    difficulty: float


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
    page_ids: tuple[int, ...]
    questions: tuple[QuestionData, ...]


@dataclass(frozen=True)
class CourseData:
    version: str
    modules: tuple[ModuleData, ...]


def _ids_json(ids: Iterable[int]) -> str:
    return "[" + ", ".join(str(i) for i in ids) + "]"


def question_data(
    rng: random.Random, question_id: int, options: Sequence[tuple[int, bool]], difficulty: float
) -> QuestionData:
    """Precompute what attempts at this question look like: shuffles, right and wrong answers."""
    option_ids = [oid for oid, _ in options]
    correct = sorted(oid for oid, ok in options if ok)
    wrong_options = [oid for oid in option_ids if oid not in correct]
    if len(correct) > 1:
        # Multiple answers: a learner misses one right option or adds one wrong one.
        wrong = [sorted(set(correct) - {c}) for c in correct]
        wrong += [sorted([*correct, w]) for w in wrong_options]
    else:
        wrong = [[w] for w in wrong_options]
    orders = list(permutations(option_ids)) if len(option_ids) <= 4 else []
    if not orders:
        orders = []
        for _ in range(24):
            order = option_ids[:]
            rng.shuffle(order)
            orders.append(tuple(order))
    shown = tuple(f'{{"question": {question_id}, "options": {_ids_json(o)}}}' for o in orders)
    return QuestionData(
        id=question_id,
        correct=_ids_json(correct),
        wrong=tuple(_ids_json(w) for w in wrong) or (_ids_json([]),),
        shown=shown,
        difficulty=difficulty,
    )


def load_course(rng: random.Random) -> CourseData:
    """Read the clinical route's active modules, pages and questions, with difficulties."""
    modules = list(Module.objects.filter(is_active=True, for_clinicians=True).order_by("order"))
    options: dict[int, list[tuple[int, bool]]] = {}
    for qid, oid, ok in Option.objects.filter(
        question__module__in=modules, question__is_active=True
    ).values_list("question_id", "id", "is_correct"):
        options.setdefault(qid, []).append((oid, ok))
    result = []
    for module in modules:
        questions = []
        for qid in (
            Question.objects.filter(module=module, is_active=True)
            .order_by("key")
            .values_list("id", flat=True)
        ):
            if qid not in options:
                continue
            # A few questions are much harder than the rest: reports look for them.
            difficulty = rng.gauss(0.03, 0.05) + (0.15 if rng.random() < 0.15 else 0.0)
            questions.append(question_data(rng, qid, sorted(options[qid]), difficulty))
        page_ids = tuple(module.pages.order_by("number").values_list("id", flat=True))
        if len(questions) < module.questions_per_attempt or not page_ids:
            raise ValueError(f"Module {module.slug} has too few questions or no pages")
        result.append(
            ModuleData(
                id=module.pk,
                slug=module.slug,
                title=module.title,
                order=module.order,
                content_version=module.content_version,
                cpd_minutes=module.cpd_minutes,
                pass_mark=module.pass_mark,
                per_attempt=module.questions_per_attempt,
                page_ids=page_ids,
                questions=tuple(questions),
            )
        )
    version = result[0].content_version if result else ""
    return CourseData(version=version, modules=tuple(result))


# ---------------------------------------------------------------------------------------------
# Planning: practices, people, training journeys, screenings


@dataclass(frozen=True)
class PracticeRow:
    id: int
    icb_id: str


def plan_practices(
    rng: random.Random, icbs: Sequence[ICB], numbers: Sequence[int], ids: Sequence[int]
) -> list[tuple]:
    """Return practice rows (id, ods_code, name, postcode, icb) spread unevenly over the ICBs."""
    weights = [rng.uniform(0.4, 1.8) for _ in icbs]
    if len(numbers) >= len(icbs):
        shares = [1 + s for s in split_total(len(numbers) - len(icbs), weights)]
    else:
        shares = split_total(len(numbers), weights)
    rows = []
    position = 0
    for icb, share in zip(icbs, shares, strict=True):
        for _ in range(share):
            rows.append(
                (
                    ids[position],
                    practice_code(numbers[position]),
                    synthetic_practice_name(rng),
                    synthetic_postcode(rng, icb.region),
                    icb.ods_code,
                )
            )
            position += 1
    return rows


@dataclass
class Person:
    id: int
    joined: float
    role: str
    full_name: str
    registration_number: str
    practice_id: int | None
    icb_id: str | None


USER_FIELDS = (
    "id",
    "password",
    "is_superuser",
    "email",
    "full_name",
    "role",
    "professional_role",
    "registration_number",
    "practice",
    "icb",
    "is_active",
    "email_verified_at",
    "date_joined",
)


def plan_clinicians(
    rng: random.Random,
    ids: Sequence[int],
    practices: Sequence[PracticeRow],
    start: float,
    now: float,
) -> list[Person]:
    """Return clinicians joining over the period (a launch bump, then steadily), ids in order."""
    count = len(ids)
    if not count:
        return []
    sizes = list(accumulate(rng.lognormvariate(0, 0.6) for _ in practices))
    chosen = rng.choices(practices, cum_weights=sizes, k=count)
    roles, shares = zip(*ROLE_MIX, strict=True)
    drawn_roles = rng.choices(roles, weights=shares, k=count)
    span = now - start
    joined = sorted(
        start + span * (rng.uniform(0, 0.1) if rng.random() < 0.25 else rng.random() * 0.97)
        for _ in range(count)
    )
    people = []
    for uid, when, practice, role in zip(ids, joined, chosen, drawn_roles, strict=True):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        title = "Dr " if role == ProfessionalRole.GP else ""
        people.append(
            Person(
                id=uid,
                joined=when,
                role=role.value,
                full_name=f"{title}{first} {last}",
                registration_number=registration_number(rng, role),
                practice_id=practice.id,
                icb_id=practice.icb_id,
            )
        )
    return people


def plan_icb_admins(
    rng: random.Random, ids: Sequence[int], icbs: Sequence[ICB], per_icb: int, start: float
) -> list[Person]:
    people = []
    for position, uid in enumerate(ids):
        icb = icbs[position // per_icb]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        people.append(
            Person(
                id=uid,
                joined=start + rng.uniform(0, 30 * DAY),
                role="",
                full_name=f"{first} {last}",
                registration_number="",
                practice_id=None,
                icb_id=icb.ods_code,
            )
        )
    return people


def user_rows(people: Iterable[Person], password: str, *, admin: bool) -> Iterator[tuple]:
    """Return user rows in USER_FIELDS order; the same unusable password for everyone."""
    for p in people:
        first, last = p.full_name.removeprefix("Dr ").split(" ", 1)
        yield (
            p.id,
            password,
            False,
            bench_email(first, last, p.id),
            p.full_name,
            Role.ICB_ADMIN.value if admin else Role.CLINICIAN.value,
            p.role,
            p.registration_number,
            None if admin else p.practice_id,
            p.icb_id if admin else None,
            True,
            at(p.joined + 120 + p.id % 3000),
            at(p.joined),
        )


@dataclass
class TrainingRows:
    """Everything the learners did, as rows (times as epoch seconds until written)."""

    page_views: list[tuple] = field(default_factory=list)  # (t, user, page)
    # [started, id, user, module index, question ids, right-answer bitmask, submitted, correct,
    #  percent, passed, is_first, presented JSON]
    attempts: list[list] = field(default_factory=list)
    completions: list[tuple] = field(default_factory=list)  # (t, user, module, attempt)
    surveys: list[tuple] = field(default_factory=list)  # (t, user, phase, [(statement, value)])
    certificates: list[tuple] = field(default_factory=list)  # (t, person, {module index: t})


_START, _SUBMIT, _PAGE, _BEFORE, _AFTER = range(5)


class TrainingPlanner:
    """Simulate each learner's progress through the course, within their attempt budget."""

    def __init__(self, rng: random.Random, course: CourseData, now: float):
        self.rng = rng
        self.course = course
        self.now = now
        self.out = TrainingRows()
        # Module positions and per-module lookups, for the hot loop.
        self._question_ids = [tuple(q.id for q in m.questions) for m in course.modules]
        self._difficulty = {q.id: q.difficulty for m in course.modules for q in m.questions}
        self._shown = {q.id: q.shown for m in course.modules for q in m.questions}

    def budgets(self, people: Sequence[Person], abilities: Sequence[float], total: int):
        """Share `total` attempts out: none for some, fewer for part-timers, more for strugglers."""
        modules = self.course.modules
        expected_cache: dict[tuple[float, int], float] = {}

        def expected_attempts(ability: float, target: int) -> float:
            key = (round(ability, 3), target)
            if key not in expected_cache:
                expected_cache[key] = sum(
                    1 / max(0.05, pass_probability(key[0] - 0.04, m.per_attempt, m.pass_mark))
                    for m in modules[:target]
                )
            return expected_cache[key]

        weights = []
        for ability in abilities:
            draw = self.rng.random()
            if draw < NO_QUIZ_SHARE:
                weights.append(0.0)
                continue
            target = len(modules)
            if draw < NO_QUIZ_SHARE + PARTIAL_SHARE:
                target = self.rng.randint(1, max(1, len(modules) - 1))
            weights.append(expected_attempts(ability, target) * self.rng.lognormvariate(0, 0.25))
        if total and not people:
            raise ValueError("Attempts were asked for but there is no clinician to make them")
        return split_total(total, weights)

    def plan(self, people: Sequence[Person], total_attempts: int) -> TrainingRows:
        rng = self.rng
        abilities = [rng.uniform(0.8, 0.97) for _ in people]
        for person, ability, budget in zip(
            people, abilities, self.budgets(people, abilities, total_attempts), strict=True
        ):
            self._learner(person, ability, budget)
        return self.out

    def _attempt(self, person, index, module, ability, fails, submitted, is_first):
        rng = self.rng
        random_ = rng.random
        qids = rng.sample(self._question_ids[index], module.per_attempt)
        shown = self._shown
        presented = "[" + ", ".join(rng.choice(shown[q]) for q in qids) + "]"
        record = [0.0, random_uuid(rng), person.id, index, qids, 0, None, None, None, None]
        record += [False, presented]
        if submitted:
            bonus = RETRY_BONUS * fails
            difficulty = self._difficulty
            mask = 0
            correct = 0
            for position, q in enumerate(qids):
                if random_() < ability - difficulty[q] + bonus:
                    mask |= 1 << position
                    correct += 1
            n = len(qids)
            record[5] = mask
            record[7] = correct
            record[8] = correct * 100 // n
            record[9] = correct * 100 >= module.pass_mark * n
            record[10] = is_first
        self.out.attempts.append(record)
        return record

    def _learner(self, person: Person, ability: float, budget: int) -> None:
        rng = self.rng
        random_ = rng.random
        modules = self.course.modules
        events: list[tuple] = []  # (long gap?, kind, payload)
        add = events.append
        viewed: set[int] = set()

        def read(index: int, pages: Sequence[int]) -> None:
            for n, page in enumerate(pages):
                add((n == 0, _PAGE, page))
            viewed.add(index)

        did_something = budget > 0 or random_() < 0.5
        if did_something and random_() < BEFORE_SURVEY:
            add((random_() < 0.3, _BEFORE, None))
        if budget == 0 and did_something:
            pages = modules[0].page_ids
            read(0, pages[: rng.randint(1, len(pages))])
        current = 0
        fails = 0
        passed_modules: list[int] = []
        submitted_any: set[int] = set()
        completions: dict[int, list] = {}
        left = budget
        while left > 0:
            all_done = current >= len(modules)
            index = rng.randrange(len(modules)) if all_done else current
            module = modules[index]
            just_read = index not in viewed
            if just_read:
                read(index, module.page_ids)
            left -= 1
            submit = not (left == 0 and random_() < OPEN_LAST_ATTEMPT)
            record = self._attempt(
                person, index, module, ability, 0 if all_done else fails, submit,
                submit and index not in submitted_any,
            )  # fmt: skip
            add((not just_read, _START, record))
            if not submit:
                break
            submitted_any.add(index)
            add((False, _SUBMIT, record))
            if all_done:
                continue
            if record[9]:
                completions[index] = record
                passed_modules.append(index)
                current += 1
                fails = 0
                if current == len(modules) and random_() < AFTER_SURVEY:
                    add((random_() < 0.5, _AFTER, None))
            else:
                fails += 1
        if budget > 0 and current < len(modules) and current not in viewed and random_() < 0.4:
            pages = modules[current].page_ids
            read(current, pages[: rng.randint(1, len(pages))])
        if not events:
            return
        times = spread_times(rng, person.joined + 600, self.now, [e[0] for e in events])
        out = self.out
        confidence = rng.uniform(1.8, 3.4)
        for when, (_, kind, payload) in zip(times, events, strict=True):
            if kind == _PAGE:
                out.page_views.append((when, person.id, payload))
            elif kind == _START:
                payload[0] = when
            elif kind == _SUBMIT:
                payload[6] = when
                if completions.get(payload[3]) is payload:
                    out.completions.append((when, person.id, modules[payload[3]].id, payload[1]))
            elif kind == _BEFORE:
                values = survey_values(rng, confidence, SurveyPhase.BEFORE)
                out.surveys.append((when, person.id, SurveyPhase.BEFORE.value, values))
            else:
                values = survey_values(rng, confidence, SurveyPhase.AFTER)
                out.surveys.append((when, person.id, SurveyPhase.AFTER.value, values))
                done = {i: completions[i][6] for i in passed_modules}
                out.certificates.append((when, person, done))


def attempt_answer_rows(
    rng: random.Random, course: CourseData, attempts: Iterable[list]
) -> Iterator[tuple]:
    """Return (attempt, question, selected JSON, is_correct) for each question of each submitted
    attempt, wrong answers chosen among the plausible wrong selections."""
    questions = {q.id: q for m in course.modules for q in m.questions}
    choice = rng.choice
    for record in attempts:
        if record[6] is None:
            continue
        attempt_id, mask = record[1], record[5]
        for position, qid in enumerate(record[4]):
            q = questions[qid]
            if mask >> position & 1:
                yield (attempt_id, qid, q.correct, True)
            else:
                yield (attempt_id, qid, choice(q.wrong), False)


ATTEMPT_FIELDS = (
    "id",
    "user",
    "module",
    "content_version",
    "presented",
    "started_at",
    "submitted_at",
    "correct_count",
    "question_count",
    "score_percent",
    "passed",
    "is_first",
)


def attempt_rows(course: CourseData, attempts: Iterable[list]) -> Iterator[tuple]:
    modules = course.modules
    for r in attempts:
        module = modules[r[3]]
        yield (
            r[1],
            r[2],
            module.id,
            module.content_version,
            r[11],
            at(r[0]),
            at(r[6]) if r[6] is not None else None,
            r[7],
            len(r[4]),
            r[8],
            r[9],
            r[10],
        )


def certificate_row(rng: random.Random, course: CourseData, when: float, person: Person, done):
    modules = course.modules
    return (
        random_uuid(rng),
        person.id,
        person.full_name,
        ProfessionalRole(person.role).label if person.role else "",
        person.registration_number,
        course.version,
        json.dumps(
            [
                {
                    "slug": m.slug,
                    "title": m.title,
                    "content_version": m.content_version,
                    "completed_on": local_day(done[i]),
                    "cpd_minutes": m.cpd_minutes,
                }
                for i, m in enumerate(modules)
            ]
        ),
        sum(m.cpd_minutes for m in modules),
        at(when),
        refresh_by_for(
            datetime.datetime.fromtimestamp(when, LONDON).date(), settings.TRAINING_REFRESH_YEARS
        ).isoformat(),
    )


CERTIFICATE_FIELDS = (
    "id",
    "user",
    "learner_name",
    "professional_role",
    "registration_number",
    "content_version",
    "modules",
    "cpd_minutes",
    "issued_at",
    "refresh_by",
)

SCREENING_FIELDS = (
    "id",
    "clinician",
    "practice",
    "icb",
    "created_at",
    "submission_id",
    "answers",
    "rules_version",
    "stalking",
    "concern",
    "reasons",
    "risk_count",
    "ptsd_count",
    "unanswered",
    "flag_emergency",
    "flag_unsafe_home",
    "flag_ptsd_assessment",
    "flag_urgent_mental_health",
    "flag_safeguarding",
    "flag_domestic_abuse",
    "flag_record_safety",
)
OUTCOME_FIELDS = (
    "screening",
    "referred_specialist",
    "referred_service_name",
    "referred_service_type",
    "helpline_given",
    "ptsd_assessment_arranged",
    "safeguarding_referral",
    "police_contacted",
    "marac_referral",
    "patient_declined",
    "follow_up_booked",
    "recorded_at",
)
OUTCOME_SHARE = {
    rules.Stalking.INDICATED: 0.8,
    rules.Stalking.POSSIBLE: 0.6,
    rules.Stalking.NOT_INDICATED: 0.3,
}


def plan_screenings(
    rng: random.Random,
    screeners: Sequence[Person],
    weights: Sequence[float],
    count: int,
    since: float,
    now: float,
) -> tuple[list[tuple], list[tuple]]:
    """Return screening rows (by created_at) and outcome rows, assessed by the real rules."""
    if not count:
        return [], []
    if not screeners:
        raise ValueError("No clinician to record screenings")
    who = rng.choices(screeners, weights=weights, k=count)
    planned = []
    for person in who:
        first = max(since, person.joined + 3600)
        planned.append((rng.uniform(min(first, now - 60), now), person))
    planned.sort(key=lambda item: item[0])
    screenings, outcomes = [], []
    for when, person in planned:
        result = rules.assess(screening_answers(rng))
        sid = random_uuid(rng)
        flags = result.flags
        screenings.append(
            (
                sid,
                person.id,
                person.practice_id,
                person.icb_id,
                at(when),
                random_uuid(rng),
                json.dumps(dict(result.answers, behaviours=list(result.answers["behaviours"]))),
                result.rules_version,
                result.stalking.value,
                result.concern.value,
                json.dumps({key: list(value) for key, value in result.reasons.items()}),
                result.risk_count,
                result.ptsd_count,
                json.dumps(list(result.unanswered)),
                rules.Flag.EMERGENCY in flags,
                rules.Flag.UNSAFE_HOME in flags,
                rules.Flag.PTSD_ASSESSMENT in flags,
                rules.Flag.URGENT_MENTAL_HEALTH in flags,
                rules.Flag.SAFEGUARDING in flags,
                rules.Flag.DOMESTIC_ABUSE in flags,
                rules.Flag.RECORD_SAFETY in flags,
            )
        )
        if rng.random() < OUTCOME_SHARE[result.stalking]:
            values = outcome_values(rng, result)
            recorded = min(now, when + 120 + rng.expovariate(1 / (2 * DAY)))
            outcomes.append((sid, *(values[f] for f in OUTCOME_FIELDS[1:-1]), at(recorded)))
    return screenings, outcomes


# ---------------------------------------------------------------------------------------------
# Writing: COPY on PostgreSQL, batched INSERTs elsewhere


def _column_plan(model: type[models.Model], fields: Sequence[str], connection):
    """Return (columns, fields given, constant values for the model's other columns)."""
    given = [model._meta.get_field(name) for name in fields]
    extra_columns, extra_values = [], []
    for f in model._meta.concrete_fields:
        if f.name in fields or f.attname in fields:
            continue
        if f.primary_key and isinstance(f, models.AutoField):
            continue  # the database numbers the rows
        if f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        else:
            raise ValueError(f"{model.__name__}.{f.name} needs a value")
        extra_columns.append(f.column)
        extra_values.append(f.get_db_prep_save(value, connection))
    return [f.column for f in given] + extra_columns, given, tuple(extra_values)


class InsertSink:
    """Write with executemany INSERTs in batches: any database, for tests and small runs."""

    batch_size = 2000

    def __init__(self, connection):
        self.connection = connection
        self._next_id: dict[str, int] = {}

    def allocate_ids(self, model: type[models.Model], count: int) -> list[int]:
        table = model._meta.db_table
        if table not in self._next_id:
            with self.connection.cursor() as cursor:
                qn = self.connection.ops.quote_name
                cursor.execute(f"SELECT MAX({qn(model._meta.pk.column)}) FROM {qn(table)}")  # noqa: S608
                self._next_id[table] = (cursor.fetchone()[0] or 0) + 1
        start = self._next_id[table]
        self._next_id[table] = start + count
        return list(range(start, start + count))

    def write(self, model, fields: Sequence[str], rows: Iterable[tuple]) -> int:
        connection = self.connection
        columns, given, extra = _column_plan(model, fields, connection)
        qn = connection.ops.quote_name
        sql = (
            f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        json_fields = {i for i, f in enumerate(given) if isinstance(f, models.JSONField)}

        def prepare(row):
            values = [
                f.get_db_prep_save(json.loads(v) if i in json_fields else v, connection)
                for i, (f, v) in enumerate(zip(given, row, strict=True))
            ]
            return (*values, *extra)

        count = 0
        iterator = iter(rows)
        with connection.cursor() as cursor:
            while batch := [prepare(row) for row in islice(iterator, self.batch_size)]:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    @contextlib.contextmanager
    def bulk_load(self, model, expected_rows: int):
        yield


class PostgresSink:
    """Write with COPY; for big loads, drop a table's indexes and constraints and rebuild them."""

    def __init__(self, connection, defer_indexes_from: int = 100_000):
        self.connection = connection
        self.defer_indexes_from = defer_indexes_from
        self.rebuild_seconds: dict[str, float] = {}
        with connection.cursor() as cursor:
            # Check foreign keys as each statement ends, so tables can be altered mid-transaction;
            # give index builds room.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")

    def allocate_ids(self, model: type[models.Model], count: int) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())

    def write(self, model, fields: Sequence[str], rows: Iterable[tuple]) -> int:
        connection = self.connection
        columns, _given, extra = _column_plan(model, fields, connection)
        qn = connection.ops.quote_name
        sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            write_row = copy.write_row
            if extra:
                for row in rows:
                    write_row(row + extra)
                    count += 1
            else:
                for row in rows:
                    write_row(row)
                    count += 1
        return count

    @contextlib.contextmanager
    def bulk_load(self, model, expected_rows: int):
        """Load without indexes and foreign keys when that is faster, then put them back.

        All of it happens in the seeding transaction: if anything fails, PostgreSQL rolls the
        dropped indexes and constraints back with the rows.
        """
        if expected_rows < self.defer_indexes_from:
            yield
            return
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.conname, pg_get_constraintdef(c.oid), c.contype
                FROM pg_constraint c
                WHERE c.conrelid = %s::regclass AND c.contype IN ('f', 'u')
                  AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid
                    AND c.contype = 'u')
                ORDER BY c.contype DESC, c.conname
                """,
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
                  AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c
                    WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
                ORDER BY 1
                """,
                [table],
            )
            indexes = cursor.fetchall()
            qn = self.connection.ops.quote_name
            for name, _definition, _kind in constraints:
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
        yield
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)
            # Unique constraints first ('u' sorts after 'f'), then foreign keys, each checked once.
            for name, definition, _kind in sorted(constraints, key=lambda c: c[2] != "u"):
                cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
        self.rebuild_seconds[table] = time.perf_counter() - started


def vacuum(connection, tables: Sequence[str], *, analyze: bool) -> str:
    """VACUUM (and ANALYZE) the tables on PostgreSQL; only ANALYZE inside a transaction.

    Return the command run, or "" elsewhere. After a reset, vacuuming lets the next load reuse
    the space the deleted rows took, so repeated runs give tables of the same size.
    """
    if connection.vendor != "postgresql":
        return ""
    qn = connection.ops.quote_name
    names = ", ".join(qn(t) for t in tables)
    if connection.in_atomic_block:
        command = "ANALYZE" if analyze else ""
    else:
        command = "VACUUM (ANALYZE)" if analyze else "VACUUM"
    if command:
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {names}")
    return command


def sink_for(connection):
    return PostgresSink(connection) if connection.vendor == "postgresql" else InsertSink(connection)


# ---------------------------------------------------------------------------------------------
# Removing bench rows


def _delete_where(connection, model, where: str, params: list, depth: int = 0) -> int:
    """Delete `model` rows matching `where`, and first whatever refers to them.

    Follows every relation Django knows (so also tables added by other apps later): rows that
    cascade or are protected are bench rows too and go; SET_NULL references are cleared. On
    PostgreSQL a table that nothing refers to and that holds only bench rows is truncated.
    Return how many rows went, or -1 for a truncated table.
    """
    if depth > 6:
        raise RuntimeError(f"Relations nest too deep at {model.__name__}")
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    pk = qn(model._meta.pk.column)
    selected = f"SELECT {pk} FROM {table} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        relations = [
            f
            for f in model._meta.get_fields(include_hidden=True)
            if f.auto_created
            and not f.concrete
            and (f.one_to_many or f.one_to_one or f.many_to_many)
        ]  # as Django's deletion collector finds them, including related_name="+"
        for rel in relations:
            related = rel.related_model
            if rel.many_to_many:
                through = rel.through
                fk = next(
                    f
                    for f in through._meta.concrete_fields
                    if f.is_relation and f.related_model is model
                )
                cursor.execute(
                    f"DELETE FROM {qn(through._meta.db_table)} "  # noqa: S608
                    f"WHERE {qn(fk.column)} IN ({selected})",
                    params,
                )
                continue
            column = qn(rel.field.column)
            if rel.on_delete is models.SET_NULL:
                cursor.execute(
                    f"UPDATE {qn(related._meta.db_table)} SET {column} = NULL "  # noqa: S608
                    f"WHERE {column} IN ({selected})",
                    params,
                )
            elif rel.on_delete in (models.CASCADE, models.PROTECT, models.RESTRICT):
                _delete_where(connection, related, f"{column} IN ({selected})", params, depth + 1)
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            fk = next(
                f
                for f in through._meta.concrete_fields
                if f.is_relation and f.related_model is model
            )
            cursor.execute(
                f"DELETE FROM {qn(through._meta.db_table)} WHERE {qn(fk.column)} IN ({selected})",  # noqa: S608
                params,
            )
        if (
            connection.vendor == "postgresql"
            and not relations
            and not model._meta.local_many_to_many
            and _only_matching(cursor, table, where, params)
        ):
            # Nothing refers to this table and every row goes: far quicker than DELETE.
            cursor.execute(f"TRUNCATE {table}")
            return -1
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608
        return cursor.rowcount


def _only_matching(cursor, table: str, where: str, params: list) -> bool:
    """Return whether every row of the table matches `where` (a NULL counts as no match).

    Two counts, because they plan as hash semi-joins; NOT (... IN ...) would not, at scale.
    """
    cursor.execute(f"SELECT count(*) FROM {table} WHERE {where}", params)  # noqa: S608
    matching = cursor.fetchone()[0]
    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
    return cursor.fetchone()[0] == matching


def delete_bench_rows(connection) -> dict[str, int]:
    """Remove bench users and everything they made, then bench practices nobody else uses.

    Call inside a transaction. Bench users are locked first, so a sign-in as one of them while
    this runs (which writes an audit row pointing at the user) waits and then fails, rather
    than slipping in after the references were cleared and breaking the commit.
    """
    qn = connection.ops.quote_name
    bench_users = f"{qn('email')} LIKE %s"
    params = [f"%@{BENCH_EMAIL_DOMAIN}"]
    if connection.features.has_select_for_update:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn('id')} FROM {qn(User._meta.db_table)} WHERE {bench_users} FOR UPDATE",  # noqa: S608
                params,
            )
    users = _delete_where(connection, User, bench_users, params)
    practice_table = qn(Practice._meta.db_table)
    user_table = qn(User._meta.db_table)
    # Keep a bench practice that someone real has joined.
    members = (
        f"SELECT 1 FROM {user_table} u WHERE u.{qn('practice_id')} = {practice_table}.{qn('id')}"  # noqa: S608, E501
    )
    practices = _delete_where(
        connection,
        Practice,
        f"{qn('ods_code')} LIKE %s AND NOT EXISTS ({members})",
        [f"{BENCH_ODS_PREFIX}%"],
    )
    return {"users": users, "practices": practices}


# ---------------------------------------------------------------------------------------------
# The whole run


@dataclass
class Step:
    name: str
    rows: int
    seconds: float


@dataclass
class Options:
    clinicians: int
    attempts: int
    screenings: int
    practices: int = 6500
    icb_admins: int = 3
    months: float = 18
    screening_days: int = 365
    seed: int = 2026


TOUCHED_TABLES = (
    Practice,
    User,
    PageView,
    Attempt,
    AttemptAnswer,
    ModuleCompletion,
    SurveyResponse,
    SurveyAnswer,
    Certificate,
    Screening,
    Outcome,
)


class Timer:
    def __init__(self, report: Callable[[Step], None]):
        self.steps: list[Step] = []
        self.report = report

    @contextlib.contextmanager
    def step(self, name: str):
        holder = Step(name, 0, 0.0)
        started = time.perf_counter()
        yield holder
        holder.seconds = time.perf_counter() - started
        self.steps.append(holder)
        self.report(holder)


def seed(sink, options: Options, now: datetime.datetime, timer: Timer) -> dict[str, int]:
    """Plan and write every bench table; return the rows written per table."""
    now_s = epoch(now)
    start_s = now_s - options.months * MONTH
    icbs = list(ICB.objects.current(timezone_day(now)).order_by("ods_code"))
    if not icbs:
        raise ValueError("No current ICB: load the ICB reference data first")
    counts: dict[str, int] = {}

    def rng(label: str) -> random.Random:
        # Reproducible on purpose: synthetic data, not secrets.
        return random.Random(f"{options.seed}:{label}:{run}")  # noqa: S311

    # Practices: reuse the bench practices already in current ICBs, add the missing numbers.
    with timer.step(Practice._meta.db_table) as step:
        current_codes = {icb.ods_code for icb in icbs}
        existing = {
            code: (pk, icb_id)
            for code, pk, icb_id in Practice.objects.filter(
                ods_code__startswith=BENCH_ODS_PREFIX
            ).values_list("ods_code", "id", "icb_id")
        }
        wanted = [practice_code(n) for n in range(options.practices)]
        wanted_codes = set(wanted)
        missing = [n for n, code in enumerate(wanted) if code not in existing]
        practice_ids = sink.allocate_ids(Practice, len(missing))
        run = practice_ids[0] if practice_ids else len(existing)
        rows = plan_practices(rng("practices"), icbs, missing, practice_ids)
        step.rows = sink.write(Practice, ("id", "ods_code", "name", "postcode", "icb"), rows)
        practices = [PracticeRow(r[0], r[4]) for r in rows] + [
            PracticeRow(pk, icb_id)
            for code, (pk, icb_id) in existing.items()
            if code in wanted_codes and icb_id in current_codes
        ]
        practices.sort(key=lambda p: p.id)
        counts[Practice._meta.db_table] = step.rows
    if options.clinicians and not practices:
        raise ValueError("No bench practice in a current ICB")

    # People: clinicians (ids rising with the day they joined) and ICB admins.
    with timer.step(User._meta.db_table) as step:
        admin_count = options.icb_admins * len(icbs)
        ids = sink.allocate_ids(User, options.clinicians + admin_count)
        run = f"{run}:{ids[0] if ids else 0}"
        password = make_password(None)
        admins = plan_icb_admins(
            rng("admins"), ids[:admin_count], icbs, max(options.icb_admins, 1), start_s
        )
        clinicians = plan_clinicians(
            rng("clinicians"), ids[admin_count:], practices, start_s, now_s - 2 * DAY
        )
        with sink.bulk_load(User, len(ids)):
            step.rows = sink.write(User, USER_FIELDS, user_rows(admins, password, admin=True))
            step.rows += sink.write(User, USER_FIELDS, user_rows(clinicians, password, admin=False))
        counts[User._meta.db_table] = step.rows

    course = load_course(rng("course"))
    if not course.modules:
        raise ValueError("No active training module: run load_training first")
    with timer.step("plan training (Python)") as step:
        planned = TrainingPlanner(rng("training"), course, now_s).plan(clinicians, options.attempts)
        planned.attempts.sort(key=lambda r: r[0])
        planned.page_views.sort()
        planned.completions.sort()
        planned.surveys.sort(key=lambda s: s[0])
        planned.certificates.sort(key=lambda c: c[0])
        step.rows = len(planned.attempts)

    def load(model, fields, rows, expected):
        with timer.step(model._meta.db_table) as step, sink.bulk_load(model, expected):
            step.rows = sink.write(model, fields, rows)
        counts[model._meta.db_table] = step.rows

    load(
        PageView,
        ("user", "page", "first_viewed_at"),
        ((u, p, at(t)) for t, u, p in planned.page_views),
        len(planned.page_views),
    )
    load(Attempt, ATTEMPT_FIELDS, attempt_rows(course, planned.attempts), len(planned.attempts))
    submitted = sum(1 for r in planned.attempts if r[6] is not None)
    load(
        AttemptAnswer,
        ("attempt", "question", "selected", "is_correct"),
        attempt_answer_rows(rng("answers"), course, planned.attempts),
        submitted * max(m.per_attempt for m in course.modules),
    )
    load(
        ModuleCompletion,
        ("user", "module", "attempt", "content_version", "completed_at"),
        ((u, m, a, course.version, at(t)) for t, u, m, a in planned.completions),
        len(planned.completions),
    )
    response_ids = sink.allocate_ids(SurveyResponse, len(planned.surveys))
    load(
        SurveyResponse,
        ("id", "user", "phase", "content_version", "submitted_at"),
        (
            (rid, u, phase, course.version, at(t))
            for rid, (t, u, phase, _values) in zip(response_ids, planned.surveys, strict=True)
        ),
        len(planned.surveys),
    )
    load(
        SurveyAnswer,
        ("response", "statement", "value"),
        (
            (rid, key, value)
            for rid, (_t, _u, _phase, values) in zip(response_ids, planned.surveys, strict=True)
            for key, value in values
        ),
        len(planned.surveys) * len(STATEMENTS),
    )
    certificate_rng = rng("certificates")
    load(
        Certificate,
        CERTIFICATE_FIELDS,
        (
            certificate_row(certificate_rng, course, t, person, done)
            for t, person, done in planned.certificates
        ),
        len(planned.certificates),
    )
    done_modules = Counter(user_id for _t, user_id, _m, _a in planned.completions)
    del planned

    # Screenings by clinical staff, more by those further through the training.
    with timer.step("plan screenings (Python, rules.assess)") as step:
        screeners = [p for p in clinicians if p.role in SCREENING_ROLES]
        screening_rng = rng("screenings")
        weights = [
            (1 + done_modules.get(p.id, 0)) * screening_rng.lognormvariate(0, 0.5)
            for p in screeners
        ]
        since = max(start_s, now_s - options.screening_days * DAY)
        screening_rows, outcome_rows = plan_screenings(
            screening_rng, screeners, weights, options.screenings, since, now_s
        )
        step.rows = len(screening_rows)
    load(Screening, SCREENING_FIELDS, screening_rows, len(screening_rows))
    load(Outcome, OUTCOME_FIELDS, outcome_rows, len(outcome_rows))
    return counts


def timezone_day(now: datetime.datetime) -> datetime.date:
    return now.astimezone(LONDON).date()
