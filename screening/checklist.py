"""The checklist's wording, read once from checklist.yaml and checked against the rules."""

from functools import cache
from pathlib import Path

import yaml

from screening import rules

CHECKLIST_FILE = Path(__file__).resolve().parent / "checklist.yaml"


@cache
def checklist() -> dict:
    """Return the wording, raising ValueError if it and the rules disagree on any id."""
    data = yaml.safe_load(CHECKLIST_FILE.read_text(encoding="utf-8"))
    questions = data["questions"]
    missing = [
        item
        for item in (*rules.ANSWER_VALUES, "behaviours")
        if item not in questions and item not in rules.RISK_INDICATORS
    ]
    if missing:
        raise ValueError(f"checklist.yaml has no wording for: {', '.join(missing)}")
    if set(questions["risks"]["choices"]) != set(rules.RISK_INDICATORS):
        raise ValueError("checklist.yaml risk choices differ from the rules' risk indicators")
    if set(questions["behaviours"]["choices"]) != set(rules.BEHAVIOURS):
        raise ValueError("checklist.yaml behaviours differ from the rules' behaviours")
    for item in ("unwanted", "repeated", "fixated", "relationship"):
        if set(questions[item]["choices"]) != set(rules.ANSWER_VALUES[item]):
            raise ValueError(f"checklist.yaml choices for {item} differ from the rules")
    return data


def label(item: str) -> str:
    questions = checklist()["questions"]
    if item in rules.RISK_INDICATORS:
        return questions["risks"]["choices"][item]
    return questions[item]["label"]


def choice_text(item: str, value: str) -> str:
    questions = checklist()["questions"]
    if item in questions and "choices" in questions[item]:
        return questions[item]["choices"].get(value, value)
    return {"yes": "Yes", "no": "No"}.get(value, value)
