"""Screening rules: turn checklist answers into levels, flags and reasons.

Pure functions over plain values, no database. Every rule here is described, with its hazards
and controls, in docs/clinical-safety.md; change them only together, and bump RULES_VERSION
whenever an outcome could change.

Entry point: `assess(answers)` where answers maps the checklist's stable question ids to values
(see ANSWER_VALUES). A yes/no item that is missing counts as "no"; a missing pattern answer
(`unwanted`, `repeated`, `fixated`) counts as "unsure", so an incomplete form can never lower
the stalking level. An unknown id or value raises ValueError.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

RULES_VERSION = "2026.1"


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
    PTSD_ASSESSMENT = "ptsd_assessment"
    URGENT_MENTAL_HEALTH = "urgent_mental_health"
    SAFEGUARDING = "safeguarding"
    DOMESTIC_ABUSE = "domestic_abuse"
    RECORD_SAFETY = "record_safety"


YES, NO, UNSURE = "yes", "no", "unsure"

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

# The eleven stalking risk indicators: the topics of the S-DASH (2009), in our own words.
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

# Any one of these makes concern high on its own.
HIGH_CONCERN_ITEMS = (
    "immediate_danger",
    "risk_threats_violence",
    "risk_violence_this_episode",
    "risk_history_violence",
    "clinician_concern_high",
)

# Five past-month items following the structure of the PC-PTSD-5 (wording is ours).
PTSD_ITEMS = ("ptsd_intrusion", "ptsd_avoidance", "ptsd_on_guard", "ptsd_numb", "ptsd_guilt")

RELATIONSHIPS = ("ex_partner", "family", "acquaintance", "colleague", "stranger", "unknown")
DOMESTIC_RELATIONSHIPS = ("ex_partner", "family")

YES_NO_ITEMS = (
    *RISK_INDICATORS,
    "clinician_concern_high",
    "immediate_danger",
    "children_or_adults_at_risk",
    "perpetrator_has_record_access",
    "trauma_gate",
    *PTSD_ITEMS,
    "self_harm_thoughts",
)

ANSWER_VALUES: dict[str, tuple[str, ...]] = {
    "unwanted": (YES, NO, UNSURE),
    "fixated": (YES, NO, UNSURE),
    "repeated": ("one", "two_or_more", UNSURE),
    "relationship": RELATIONSHIPS,
    **{item: (YES, NO) for item in YES_NO_ITEMS},
}


@dataclass(frozen=True)
class Thresholds:
    """Local settings that need clinical safety sign-off before they change.

    The S-DASH has no validated numeric cut-off: `risk_indicators_for_high` is a local choice.
    `ptsd_items_for_assessment` follows the PC-PTSD-5's published cut-off of 3.
    """

    risk_indicators_for_high: int = 5
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
    risk_count: int
    ptsd_count: int
    answers: Mapping[str, object] = field(repr=False)

    @property
    def ptsd_questions_required(self) -> bool:
        return ptsd_questions_required(self.stalking)


def ptsd_questions_required(stalking: Stalking) -> bool:
    """Return whether the PTSD prompts must be answered before a result is shown.

    When stalking is indicated or possible they are required: 78% of victims report symptoms
    consistent with PTSD but only about 24% are assessed.
    """
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
            elif item == "relationship":
                value = "unknown"
            else:
                value = UNSURE
        if value not in allowed:
            raise ValueError(f"{item}: {value!r} is not one of {', '.join(allowed)}")
        result[item] = value
    behaviours = answers.get("behaviours") or ()
    if isinstance(behaviours, (str, bytes)) or not isinstance(behaviours, Iterable):
        raise ValueError("behaviours must be a list of behaviour ids")
    behaviours = tuple(behaviours)
    bad = [b for b in behaviours if b not in BEHAVIOURS]
    if bad:
        raise ValueError(f"Unknown behaviour(s): {', '.join(map(str, bad))}")
    result["behaviours"] = tuple(b for b in BEHAVIOURS if b in behaviours)
    return result


def stalking_level(a: Mapping[str, object]) -> tuple[Stalking, tuple[str, ...]]:
    """Indicated: unwanted, two or more incidents and at least one behaviour.

    Possible: not indicated, but the behaviour is unwanted or the clinician is unsure (so a
    case is not missed). Not indicated: the contact or behaviour is not unwanted.
    """
    behaviours = a["behaviours"]
    if a["unwanted"] == YES and a["repeated"] == "two_or_more" and behaviours:
        return Stalking.INDICATED, (
            "The contact or behaviour is unwanted",
            "It has happened two or more times",
            f"{len(behaviours)} stalking behaviour(s) ticked: "
            + ", ".join(b.replace("_", " ") for b in behaviours),
        )
    if a["unwanted"] in (YES, UNSURE):
        reasons = [
            "The contact or behaviour is unwanted"
            if a["unwanted"] == YES
            else "It is not clear whether the contact or behaviour is unwanted"
        ]
        if a["repeated"] != "two_or_more":
            reasons.append(
                "Two or more incidents are not confirmed"
                if a["repeated"] == UNSURE
                else "Only one incident so far"
            )
        if not behaviours:
            reasons.append("No stalking behaviour ticked")
        return Stalking.POSSIBLE, tuple(reasons)
    return Stalking.NOT_INDICATED, ("The contact or behaviour is not unwanted",)


_ITEM_WORDS = {
    "immediate_danger": "the patient may be in immediate danger",
    "risk_threats_violence": "threats of physical or sexual violence",
    "risk_violence_this_episode": "violence towards anyone during this episode",
    "risk_history_violence": "the person has a history of violence",
    "clinician_concern_high": "you are seriously concerned (professional judgement)",
}


def concern_level(
    a: Mapping[str, object], stalking: Stalking, thresholds: Thresholds
) -> tuple[Concern, tuple[str, ...], int]:
    """High: any single high-concern item, or at least the threshold of risk indicators (5).

    Raised: stalking indicated or possible with 1 to 4 risk indicators. Otherwise standard.
    """
    risk_count = sum(a[item] == YES for item in RISK_INDICATORS)
    triggers = [_ITEM_WORDS[item] for item in HIGH_CONCERN_ITEMS if a[item] == YES]
    if risk_count >= thresholds.risk_indicators_for_high:
        triggers.append(
            f"{risk_count} of {len(RISK_INDICATORS)} risk indicators "
            f"(the local threshold is {thresholds.risk_indicators_for_high})"
        )
    if triggers:
        return Concern.HIGH, tuple(triggers), risk_count
    if stalking != Stalking.NOT_INDICATED and risk_count >= 1:
        return (
            Concern.RAISED,
            (f"Stalking {STALKING_WORDS[stalking]} with {risk_count} risk indicator(s)",),
            risk_count,
        )
    if risk_count:
        return (
            Concern.STANDARD,
            ("Risk indicators ticked, but stalking is not indicated",),
            risk_count,
        )
    return Concern.STANDARD, ("No risk indicator ticked",), 0


def assess(
    answers: Mapping[str, object], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Assessment:
    """Return the stalking level, concern level, flags and the reasons for each."""
    a = normalise(answers)
    stalking, stalking_reasons = stalking_level(a)
    concern, concern_reasons, risk_count = concern_level(a, stalking, thresholds)
    reasons: dict[str, tuple[str, ...]] = {"stalking": stalking_reasons, "concern": concern_reasons}
    flags: set[Flag] = set()

    if a["immediate_danger"] == YES:
        flags.add(Flag.EMERGENCY)
        reasons[Flag.EMERGENCY] = ("You answered that the patient may be in immediate danger",)

    ptsd_count = sum(a[item] == YES for item in PTSD_ITEMS)
    if a["trauma_gate"] == YES and ptsd_count >= thresholds.ptsd_items_for_assessment:
        flags.add(Flag.PTSD_ASSESSMENT)
        reasons[Flag.PTSD_ASSESSMENT] = (
            "A frightening or distressing experience",
            f"{ptsd_count} of {len(PTSD_ITEMS)} PTSD prompts answered yes "
            f"(the threshold is {thresholds.ptsd_items_for_assessment})",
        )

    if a["self_harm_thoughts"] == YES:
        flags.add(Flag.URGENT_MENTAL_HEALTH)
        reasons[Flag.URGENT_MENTAL_HEALTH] = ("Thoughts of self-harm or suicide",)

    if a["children_or_adults_at_risk"] == YES:
        flags.add(Flag.SAFEGUARDING)
        reasons[Flag.SAFEGUARDING] = ("Children or adults at risk may be affected",)

    if a["relationship"] in DOMESTIC_RELATIONSHIPS:
        flags.add(Flag.DOMESTIC_ABUSE)
        who = "an ex-partner" if a["relationship"] == "ex_partner" else "a family member"
        reasons[Flag.DOMESTIC_ABUSE] = (f"The person is {who}",)

    if a["perpetrator_has_record_access"] == YES:
        flags.add(Flag.RECORD_SAFETY)
        reasons[Flag.RECORD_SAFETY] = (
            "The person may see the patient's online record, or shares a device or account",
        )

    return Assessment(
        stalking=stalking,
        concern=concern,
        flags=frozenset(flag.value for flag in flags),
        reasons={str(key): value for key, value in reasons.items()},
        rules_version=RULES_VERSION,
        risk_count=risk_count,
        ptsd_count=ptsd_count,
        answers=a,
    )
