"""The checklist's wording, read once from checklist.yaml and checked against the rules."""

from functools import cache
from pathlib import Path

import yaml

from screening import rules

CHECKLIST_FILE = Path(__file__).resolve().parent / "checklist.yaml"

#: The tick-box groups: (form field, the rules' items it answers).
GROUPS = {
    "behaviours": rules.BEHAVIOURS,
    "risks": tuple(item for item in rules.RISK_INDICATORS if item != "risk_threats_violence"),
    "more_risks": rules.ADDED_RISK_FACTORS,
}
#: The value of each group's "None of these" choice.
NONE = "none"

#: Actions every result can need: checked at load, so a gap fails at start, not in a consultation.
ACTION_KEYS = (
    "emergency",
    "urgent_mental_health",
    "unsafe_home",
    "concern_high_other",
    "concern_high_domestic",
    "concern_high_child",
    "stalking_indicated",
    "stalking_possible",
    "stalking_not_indicated",
    "concern_raised",
    "domestic_abuse",
    "young_under_16",
    "young_16_17",
    "safeguarding",
    "pregnancy",
    "strangulation_sexual",
    "ptsd_assessment",
    "ptsd_not_screened",
    "record_safety",
)


@cache
def checklist() -> dict:
    """Return the wording, raising ValueError if it and the rules disagree on any id."""
    data = yaml.safe_load(CHECKLIST_FILE.read_text(encoding="utf-8"))
    questions = data["questions"]
    grouped = {item for items in GROUPS.values() for item in items} - set(rules.BEHAVIOURS)
    missing = [
        item
        for item in (*rules.ANSWER_VALUES, "behaviours")
        if item not in questions and item not in grouped
    ]
    if missing:
        raise ValueError(f"checklist.yaml has no wording for: {', '.join(missing)}")
    for group, items in GROUPS.items():
        if set(questions[group]["choices"]) != set(items):
            raise ValueError(f"checklist.yaml choices for {group} differ from the rules")
        if not questions[group].get("none"):
            raise ValueError(f"checklist.yaml has no 'None of these' wording for {group}")
    for item in ("unwanted", "repeated", "fixated", "relationship", "patient_age"):
        if set(questions[item]["choices"]) != set(rules.ANSWER_VALUES[item]):
            raise ValueError(f"checklist.yaml choices for {item} differ from the rules")
    absent = [key for key in ACTION_KEYS if key not in data["actions"]]
    if absent:
        raise ValueError(f"checklist.yaml has no actions for: {', '.join(absent)}")
    if str(data["version"]) != rules.RULES_VERSION:
        raise ValueError("checklist.yaml's version differs from the rules' RULES_VERSION")
    return data


def label(item: str) -> str:
    """Return the question (or tick-box) wording for a rules id."""
    questions = checklist()["questions"]
    for group, items in GROUPS.items():
        if item in items and group != "behaviours":
            return questions[group]["choices"][item]
    return questions[item]["label"]


def choice_text(item: str, value: str) -> str:
    """Return the wording of one answer to a question."""
    questions = checklist()["questions"]
    if item in questions and "choices" in questions[item]:
        return questions[item]["choices"].get(value, value)
    return {"yes": "Yes", "no": "No"}.get(value, value)
