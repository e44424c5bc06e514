"""Screening rules 2026.2: turn checklist answers into levels, flags and reasons.

Pure functions over plain values, no database. Every rule here is described, with its hazards
and controls, in docs/clinical-safety.md; change them only together, and bump RULES_VERSION
whenever an outcome could change.

Entry point: `assess(answers)` where answers maps the checklist's stable question ids to values
(see ANSWER_VALUES and the shared CONTRACT). A missing yes/no item counts as "no"; a missing
`unwanted`, `repeated` or `fixated` counts as "unsure"; a missing `relationship` or
`patient_age` as "unknown"; missing `behaviours` as none. What was missing is not forgotten:
the result lists the sections that were not answered, and says when concern may then be
underestimated. An unknown id or value raises ValueError.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

RULES_VERSION = "2026.2"


class Stalking(StrEnum):
    INDICATED = "indicated"
    POSSIBLE = "possible"
    NOT_INDICATED = "not_indicated"


STALKING_WORDS = {
    Stalking.INDICATED: "indicated",
    Stalking.POSSIBLE: "possible",
    Stalking.NOT_INDICATED: "not indicated",
}


class Concern(StrEnum):
    HIGH = "high"
    RAISED = "raised"
    STANDARD = "standard"


class Flag(StrEnum):
    EMERGENCY = "emergency"
    UNSAFE_HOME = "unsafe_home"
    PTSD_ASSESSMENT = "ptsd_assessment"
    URGENT_MENTAL_HEALTH = "urgent_mental_health"
    SAFEGUARDING = "safeguarding"
    DOMESTIC_ABUSE = "domestic_abuse"
    RECORD_SAFETY = "record_safety"


YES, NO, UNSURE, UNKNOWN = "yes", "no", "unsure", "unknown"

BEHAVIOURS = (
    "following",
    "watching",
    "loitering",
    "contact",
    "gifts",
    "online_publishing",
    "monitoring",
    "third_parties",
    "property",
    "turning_up",
    "threats",
)

# The eleven S-DASH (2009) topics, asked in our own words.
RISK_INDICATORS = (
    "risk_frightened",
    "risk_previous_harassment",
    "risk_property_damage",
    "risk_frequent_visits",
    "risk_loitering",
    "risk_threats_violence",
    "risk_third_parties",
    "risk_violence_this_episode",
    "risk_recruited_others",
    "risk_substance_misuse",
    "risk_history_violence",
)

# Risk factors linked to serious harm and homicide in domestic stalking, asked as "more about
# risk". The first five count in the tally; the last three are serious harm answers.
ADDED_RISK_FACTORS = (
    "risk_escalation",
    "risk_separation",
    "risk_pregnancy",
    "risk_breach",
    "risk_tech",
    "risk_weapons",
    "risk_strangulation_sexual",
    "risk_perpetrator_suicidal",
)

#: The 16 answers the tally counts.
TALLY_ITEMS = (
    *RISK_INDICATORS,
    "risk_escalation",
    "risk_separation",
    "risk_pregnancy",
    "risk_breach",
    "risk_tech",
)

#: A behaviour ticked answers its twin risk question yes; a twin counts once in the tally.
BEHAVIOUR_TWINS = {
    "property": "risk_property_damage",
    "loitering": "risk_loitering",
    "third_parties": "risk_third_parties",
    "monitoring": "risk_tech",
}

#: Any one of these yes makes concern high and never leaves stalking "not indicated".
SERIOUS_HARM_ITEMS = (
    "immediate_danger",
    "unsafe_to_go_home",
    "risk_threats_violence",
    "risk_violence_this_episode",
    "risk_history_violence",
    "risk_weapons",
    "risk_strangulation_sexual",
    "risk_perpetrator_suicidal",
    "clinician_concern_high",
)

# The PC-PTSD-5's five past-month items (Prins et al., 2016), asked after its trauma gate.
PTSD_ITEMS = ("ptsd_intrusion", "ptsd_avoidance", "ptsd_on_guard", "ptsd_numb", "ptsd_guilt")

RELATIONSHIPS = (
    "current_partner",
    "ex_partner",
    "family",
    "acquaintance",
    "colleague",
    "stranger",
    UNKNOWN,
)
#: Domestic Abuse Act 2021 s.2: partners, ex-partners, anyone in an intimate relationship,
#: relatives and people sharing parental responsibility for a child.
PERSONALLY_CONNECTED = ("current_partner", "ex_partner", "family")

AGE_BANDS = ("under_16", "16_17", "18_plus", UNKNOWN)
YOUNG = ("under_16", "16_17")

SAFETY_ITEMS = (
    "immediate_danger",
    "unsafe_to_go_home",
    "children_or_adults_at_risk",
    "perpetrator_has_record_access",
)

YES_NO_ITEMS = (
    *RISK_INDICATORS,
    *ADDED_RISK_FACTORS,
    "clinician_concern_high",
    *SAFETY_ITEMS,
    "trauma_gate",
    *PTSD_ITEMS,
    "self_harm_thoughts",
)

ANSWER_VALUES: dict[str, tuple[str, ...]] = {
    "unwanted": (YES, NO, UNSURE),
    "fixated": (YES, NO, UNSURE),
    "repeated": ("one", "two_or_more", UNSURE),
    "patient_age": AGE_BANDS,
    "relationship": RELATIONSHIPS,
    **{item: (YES, NO) for item in YES_NO_ITEMS},
}

#: The checklist's sections by the ids they ask, in page order: a section with any id missing
#: from the answers is reported as not answered.
SECTIONS: dict[str, tuple[str, ...]] = {
    "safety": SAFETY_ITEMS,
    "age": ("patient_age",),
    "pattern": ("unwanted", "repeated", "fixated"),
    "relationship": ("relationship",),
    "behaviours": ("behaviours",),
    "risk_indicators": RISK_INDICATORS,
    "more_risk": ADDED_RISK_FACTORS,
    "ptsd": ("trauma_gate",),
    "self_harm": ("self_harm_thoughts",),
}
SECTION_WORDS = {
    "safety": "safety now",
    "age": "the patient's age",
    "pattern": "the pattern",
    "relationship": "how the patient knows the person",
    "behaviours": "what the person has done",
    "risk_indicators": "risk indicators",
    "more_risk": "more about risk",
    "ptsd": "the PTSD screen",
    "self_harm": "thoughts of self-harm",
}
#: Sections whose absence can make the concern level too low.
RISK_SECTIONS = (
    "safety",
    "age",
    "pattern",
    "relationship",
    "behaviours",
    "risk_indicators",
    "more_risk",
)

#: Each answer in words, for the reasons.
ITEM_WORDS = {
    "risk_frightened": "the patient is very frightened",
    "risk_previous_harassment": "the person has stalked or harassed someone before",
    "risk_property_damage": "the person has damaged property",
    "risk_frequent_visits": "the person turns up more than three times a week",
    "risk_loitering": "the person hangs around near the patient's home or work",
    "risk_threats_violence": "the person has threatened physical or sexual violence",
    "risk_third_parties": "the person has harassed family, friends or colleagues",
    "risk_violence_this_episode": "the person has been violent during this episode",
    "risk_recruited_others": "the person has got others to help",
    "risk_substance_misuse": "the person misuses drugs or alcohol",
    "risk_history_violence": "the person has a history of violence",
    "risk_escalation": "it is getting worse or more frequent",
    "risk_separation": "there has been a recent separation, or the patient is ending contact",
    "risk_pregnancy": "the patient is pregnant or has a baby under one",
    "risk_breach": "the person has broken bail, an order or an injunction",
    "risk_tech": "the person tracks the patient or has access to their devices or accounts",
    "risk_weapons": "the person has or can get a weapon, or has threatened with one",
    "risk_strangulation_sexual": "the person has strangled, choked or sexually assaulted them",
    "risk_perpetrator_suicidal": "the person has threatened or attempted suicide",
    "immediate_danger": "the patient may be in danger now",
    "unsafe_to_go_home": "the patient is not safe to go home tonight",
    "clinician_concern_high": "you are seriously concerned (professional judgement)",
    "children_or_adults_at_risk": "children or adults at risk are affected",
    "perpetrator_has_record_access": "the person may be able to see the patient's record",
    "self_harm_thoughts": "the patient has thoughts of harming themselves or ending their life",
}
BEHAVIOUR_WORDS = {
    "following": "following them",
    "watching": "watching or spying on them",
    "loitering": "hanging around near their home, work or school",
    "contact": "unwanted calls, messages or letters",
    "gifts": "sending gifts or leaving items",
    "online_publishing": "posting about them online or pretending to be them",
    "monitoring": "tracking their phone, location or accounts",
    "third_parties": "contacting their family, friends or colleagues",
    "property": "interfering with or damaging their property",
    "turning_up": "turning up at their home or work",
    "threats": "threatening them",
}
RELATIONSHIP_WORDS = {
    "current_partner": "the patient's current partner",
    "ex_partner": "an ex-partner, or someone they have had an intimate relationship with",
    "family": "a relative, or someone who shares parental responsibility for a child",
    "acquaintance": "someone the patient knows",
    "colleague": "someone from work or study",
    "stranger": "a stranger",
    UNKNOWN: "not known",
}
AGE_WORDS = {
    "under_16": "under 16",
    "16_17": "16 or 17",
    "18_plus": "18 or over",
    UNKNOWN: "not known",
}


@dataclass(frozen=True)
class Thresholds:
    """Local settings that need clinical safety sign-off before they change.

    The S-DASH has no validated numeric cut-off: `tally_for_high` is a local choice.
    `ptsd_items_for_assessment` follows the PC-PTSD-5's published cut-off of 3.
    """

    tally_for_high: int = 5
    ptsd_items_for_assessment: int = 3


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Assessment:
    """What the answers mean, why, and under which version of the rules."""

    stalking: Stalking
    concern: Concern
    flags: frozenset[str]
    reasons: Mapping[str, tuple[str, ...]]
    rules_version: str
    tally: int
    ptsd_count: int
    #: Sections with an answer missing, in page order (keys of SECTIONS).
    unanswered: tuple[str, ...]
    answers: Mapping[str, object] = field(repr=False)

    @property
    def risk_count(self) -> int:
        """The tally, under the name the stored screening uses."""
        return self.tally


def ptsd_questions_required(stalking: Stalking, answers: Mapping[str, object]) -> bool:
    """Return whether the PTSD questions must be answered before a result is shown.

    Required when stalking is indicated or possible (78% of victims report symptoms of PTSD,
    only about 24% are assessed), but never when the patient is in danger now or unsafe at
    home tonight: safety comes first and nothing may stand before it.
    """
    if answers.get("immediate_danger") == YES or answers.get("unsafe_to_go_home") == YES:
        return False
    return stalking in (Stalking.INDICATED, Stalking.POSSIBLE)


def normalise(answers: Mapping[str, object]) -> dict[str, object]:
    """Return the answers complete and checked, or raise ValueError naming the first problem."""
    if not isinstance(answers, Mapping):
        raise ValueError("answers must be a mapping of question id to value")
    known = set(ANSWER_VALUES) | {"behaviours"}
    unknown = sorted(str(key) for key in answers if key not in known)
    if unknown:
        raise ValueError(f"Unknown question id(s): {', '.join(unknown)}")
    result: dict[str, object] = {}
    for item, allowed in ANSWER_VALUES.items():
        value = answers.get(item)
        if value is None:
            if item in YES_NO_ITEMS:
                value = NO
            elif item in ("relationship", "patient_age"):
                value = UNKNOWN
            else:
                value = UNSURE
        if value not in allowed:
            raise ValueError(f"{item}: {value!r} is not one of {', '.join(allowed)}")
        result[item] = value
    behaviours = answers.get("behaviours")
    if behaviours is None:
        behaviours = ()
    elif not isinstance(behaviours, (list, tuple, set, frozenset)):
        raise ValueError("behaviours must be a list of behaviour ids")
    behaviours = tuple(behaviours)
    bad = [b for b in behaviours if b not in BEHAVIOURS]
    if bad:
        raise ValueError(f"Unknown behaviour(s): {', '.join(map(str, bad))}")
    result["behaviours"] = tuple(b for b in BEHAVIOURS if b in behaviours)
    return result


def unanswered_sections(answers: Mapping[str, object]) -> tuple[str, ...]:
    """Return the sections with any answer missing (None counts as missing), in page order."""
    return tuple(
        section
        for section, items in SECTIONS.items()
        if any(answers.get(item) is None for item in items)
    )


def tally_items(a: Mapping[str, object]) -> tuple[str, ...]:
    """Return the tally's items answered yes, directly or through a twin behaviour, once each."""
    behaviours = a["behaviours"]
    twinned = {twin for behaviour, twin in BEHAVIOUR_TWINS.items() if behaviour in behaviours}
    return tuple(item for item in TALLY_ITEMS if a[item] == YES or item in twinned)


def _words(items: Iterable[str]) -> str:
    return "; ".join(ITEM_WORDS[item] for item in items)


def _behaviour_words(behaviours: Iterable[str]) -> str:
    return "; ".join(BEHAVIOUR_WORDS[b] for b in behaviours)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def is_personally_connected(a: Mapping[str, object]) -> bool:
    return a["relationship"] in PERSONALLY_CONNECTED


def is_young(a: Mapping[str, object]) -> bool:
    return a["patient_age"] in YOUNG


def ptsd_count(a: Mapping[str, object]) -> int:
    """Return how many of the five PC-PTSD-5 items are yes."""
    return sum(a[item] == YES for item in PTSD_ITEMS)


def serious_harm_answers(a: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(item for item in SERIOUS_HARM_ITEMS if a[item] == YES)


def stalking_level(a: Mapping[str, object]) -> tuple[Stalking, tuple[str, ...]]:
    """Indicated: unwanted, two or more times, and at least one behaviour.

    Possible: not indicated, and any of: unwanted is yes or unsure, a behaviour is ticked, the
    tally is at least 1, a serious harm answer is yes. When the patient said the contact is
    not unwanted but another of these holds, the reasons say the answers disagree.
    Not indicated: otherwise.
    """
    behaviours = a["behaviours"]
    if a["unwanted"] == YES and a["repeated"] == "two_or_more" and behaviours:
        return Stalking.INDICATED, (
            "The contact or behaviour is unwanted.",
            "It has happened two or more times.",
            f"The person's behaviour: {_behaviour_words(behaviours)}.",
        )
    tallied = tally_items(a)
    serious = serious_harm_answers(a)
    reasons = []
    if a["unwanted"] == YES:
        reasons.append("The contact or behaviour is unwanted.")
    elif a["unwanted"] == UNSURE:
        reasons.append("It is not clear whether the contact or behaviour is unwanted.")
    if behaviours:
        reasons.append(f"The person's behaviour: {_behaviour_words(behaviours)}.")
    if tallied:
        reasons.append(f"Risk answered yes: {_words(tallied)}.")
    if serious:
        reasons.append(f"Serious harm answered yes: {_words(serious)}.")
    if not reasons:
        return Stalking.NOT_INDICATED, (
            "The contact or behaviour is not unwanted, and no behaviour, risk or serious harm "
            "answer points to stalking.",
        )
    if a["unwanted"] == NO:
        reasons.insert(
            0,
            "The answers disagree: the contact was said not to be unwanted, but other answers "
            "point to stalking. Check this with the patient.",
        )
    elif a["unwanted"] == YES:
        if a["repeated"] != "two_or_more":
            reasons.append(
                "Two or more incidents are not confirmed."
                if a["repeated"] == UNSURE
                else "It has happened once so far."
            )
        if not behaviours:
            reasons.append("No behaviour was ticked.")
    return Stalking.POSSIBLE, tuple(reasons)


def concern_level(
    a: Mapping[str, object], stalking: Stalking, thresholds: Thresholds
) -> tuple[Concern, tuple[str, ...]]:
    """The concern about risk from the person (not the patient's overall risk).

    High: any serious harm answer is yes, or the tally is at least 5 (local threshold).
    Raised: not high, and any of: stalking indicated; stalking possible with a tally of at
    least 1; stalking possible and the person personally connected; the behaviour "threats";
    a young patient with stalking indicated or possible. Standard: otherwise, never when
    stalking is indicated.
    """
    tallied = tally_items(a)
    serious = serious_harm_answers(a)
    high = [f"{_sentence(ITEM_WORDS[item])}." for item in serious]
    if len(tallied) >= thresholds.tally_for_high:
        high.append(
            f"{len(tallied)} of {len(TALLY_ITEMS)} risk answers are yes (the local threshold "
            f"is {thresholds.tally_for_high}): {_words(tallied)}."
        )
    if high:
        return Concern.HIGH, tuple(high)
    found = stalking != Stalking.NOT_INDICATED
    raised = []
    if stalking == Stalking.INDICATED:
        raised.append(
            f"Stalking is indicated, with risk answered yes: {_words(tallied)}."
            if tallied
            else "Stalking is indicated."
        )
    if stalking == Stalking.POSSIBLE and tallied:
        raised.append(f"Stalking is possible, with risk answered yes: {_words(tallied)}.")
    if stalking == Stalking.POSSIBLE and is_personally_connected(a):
        raised.append(
            f"Stalking is possible, and the person is {RELATIONSHIP_WORDS[a['relationship']]}."
        )
    if "threats" in a["behaviours"]:
        raised.append("The person has threatened the patient.")
    if found and is_young(a):
        raised.append(
            f"The patient is {AGE_WORDS[a['patient_age']]}, and stalking is "
            f"{STALKING_WORDS[stalking]}."
        )
    if raised:
        return Concern.RAISED, tuple(raised)
    # A tally of 1 or more makes stalking possible and so raised: standard has no risk answer.
    return Concern.STANDARD, ("No risk or serious harm answer is yes.",)


def _flags(
    a: Mapping[str, object], stalking: Stalking, thresholds: Thresholds
) -> dict[Flag, tuple[str, ...]]:
    """Return each flag raised, with every answer that raised it."""
    flags: dict[Flag, tuple[str, ...]] = {}
    found = stalking != Stalking.NOT_INDICATED
    connected = is_personally_connected(a)
    young = is_young(a)
    who = RELATIONSHIP_WORDS[a["relationship"]]
    age = AGE_WORDS[a["patient_age"]]

    if a["immediate_danger"] == YES:
        flags[Flag.EMERGENCY] = ("You answered that the patient may be in danger now.",)
    if a["unsafe_to_go_home"] == YES:
        flags[Flag.UNSAFE_HOME] = ("You answered that the patient is not safe to go home tonight.",)

    ptsd_yes = ptsd_count(a)
    if a["trauma_gate"] == YES and ptsd_yes >= thresholds.ptsd_items_for_assessment:
        flags[Flag.PTSD_ASSESSMENT] = (
            "The patient has had a frightening, horrible or traumatic event.",
            f"{ptsd_yes} of {len(PTSD_ITEMS)} PTSD questions are yes (the threshold is "
            f"{thresholds.ptsd_items_for_assessment}).",
        )

    if a["self_harm_thoughts"] == YES:
        flags[Flag.URGENT_MENTAL_HEALTH] = (
            "The patient has thoughts of harming themselves or ending their life.",
        )

    safeguarding = []
    if a["children_or_adults_at_risk"] == YES:
        safeguarding.append("Children or adults at risk are affected.")
    if young and found:
        safeguarding.append(f"The patient is {age}, and stalking is {STALKING_WORDS[stalking]}.")
    if a["risk_pregnancy"] == YES and connected:
        safeguarding.append(
            f"The patient is pregnant or has a baby under one, and the person is {who}."
        )
    if safeguarding:
        flags[Flag.SAFEGUARDING] = tuple(safeguarding)

    if connected and found and a["patient_age"] != "under_16":
        reasons = [
            f"The person is {who}, and stalking is {STALKING_WORDS[stalking]}.",
        ]
        if a["patient_age"] == UNKNOWN:
            reasons.append(
                "The patient's age is not known: the Domestic Abuse Act applies from 16."
            )
        flags[Flag.DOMESTIC_ABUSE] = tuple(reasons)

    record = []
    if a["perpetrator_has_record_access"] == YES:
        record.append("The person may be able to see the patient's record.")
    if a["risk_tech"] == YES or "monitoring" in a["behaviours"]:
        record.append("The person tracks the patient or has access to their devices or accounts.")
    if found and connected:
        record.append(f"Stalking is {STALKING_WORDS[stalking]}, and the person is {who}.")
    if found and young:
        record.append(f"Stalking is {STALKING_WORDS[stalking]}, and the patient is {age}.")
    if record:
        flags[Flag.RECORD_SAFETY] = tuple(record)
    return flags


def _notes(a: Mapping[str, object], unanswered: tuple[str, ...]) -> tuple[str, ...]:
    """Return what the clinician must know about what was not asked."""
    notes = []
    if unanswered:
        notes.append("Not answered: " + "; ".join(SECTION_WORDS[s] for s in unanswered) + ".")
    if any(section in RISK_SECTIONS for section in unanswered):
        notes.append("Some risk questions were not asked, so concern may be underestimated.")
    if "ptsd" not in unanswered and a["trauma_gate"] == NO:
        notes.append(
            "PTSD was not screened: the patient has not had a frightening, horrible or "
            "traumatic event."
        )
    return tuple(notes)


def assess(
    answers: Mapping[str, object], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Assessment:
    """Return the stalking level, concern level, flags and the reasons for each."""
    a = normalise(answers)
    unanswered = unanswered_sections(answers)
    stalking, stalking_reasons = stalking_level(a)
    concern, concern_reasons = concern_level(a, stalking, thresholds)
    flags = _flags(a, stalking, thresholds)
    reasons: dict[str, tuple[str, ...]] = {
        "stalking": stalking_reasons,
        "concern": concern_reasons,
        **{flag.value: why for flag, why in flags.items()},
    }
    notes = _notes(a, unanswered)
    if notes:
        reasons["notes"] = notes
    return Assessment(
        stalking=stalking,
        concern=concern,
        flags=frozenset(flag.value for flag in flags),
        reasons=reasons,
        rules_version=RULES_VERSION,
        tally=len(tally_items(a)),
        ptsd_count=ptsd_count(a),
        unanswered=unanswered,
        answers=a,
    )
