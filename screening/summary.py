"""The plain-text summary a clinician copies into the clinical record: no identifiers."""

from django.utils import timezone

from screening import rules
from screening.checklist import checklist, choice_text, label
from screening.models import Screening

LEVEL_WORDS = {
    "indicated": "Stalking indicated",
    "possible": "Possible stalking",
    "not_indicated": "Stalking not indicated",
}
CONCERN_WORDS = {"high": "High concern", "raised": "Raised concern", "standard": "Standard"}
FLAG_WORDS = {
    "emergency": "Emergency: immediate danger",
    "ptsd_assessment": "PTSD assessment recommended",
    "urgent_mental_health": "Urgent mental health: thoughts of self-harm",
    "safeguarding": "Safeguarding: children or adults at risk affected",
    "domestic_abuse": "Domestic abuse pathway",
    "record_safety": "Record safety: the person may see the record",
}


def actions_for(screening: Screening) -> list[dict]:
    """Return the recommended actions for this result, emergency first."""
    actions = checklist()["actions"]
    keys = []
    if screening.flag_emergency:
        keys.append("emergency")
    keys.append(f"concern_{screening.concern}")
    keys += [flag for flag in FLAG_WORDS if flag != "emergency" and flag in screening.flags]
    return [{"key": key, **actions[key]} for key in keys]


def answer_lines(screening: Screening) -> list[tuple[str, str]]:
    """Return (question, answer) pairs in checklist order, for the record and the page."""
    a = screening.answers
    lines = [
        (label(item), choice_text(item, a[item]))
        for item in ("unwanted", "repeated", "fixated", "relationship")
    ]
    behaviours = checklist()["questions"]["behaviours"]["choices"]
    lines.append(("Behaviours", "; ".join(behaviours[b] for b in a["behaviours"]) or "None"))
    ticked = [label(item) for item in rules.RISK_INDICATORS if a[item] == "yes"]
    lines.append(("Risk indicators", "; ".join(ticked) or "None"))
    for item in (
        "clinician_concern_high",
        "immediate_danger",
        "children_or_adults_at_risk",
        "perpetrator_has_record_access",
        "trauma_gate",
        *rules.PTSD_ITEMS,
        "self_harm_thoughts",
    ):
        if item in rules.PTSD_ITEMS and a["trauma_gate"] != "yes":
            continue
        lines.append((label(item), choice_text(item, a[item])))
    return lines


def record_summary(screening: Screening) -> str:
    """Return the summary as plain text: answers, result, reasons, actions, date, version."""
    when = timezone.localtime(screening.created_at)
    out = [
        f"Spotting Stalking screening, {when:%-d %B %Y %H:%M} (rules version "
        f"{screening.rules_version})",
        f"Result: {LEVEL_WORDS[screening.stalking]}. Concern: {CONCERN_WORDS[screening.concern]}.",
    ]
    for key, reasons in screening.reasons.items():
        name = {"stalking": "Stalking level", "concern": "Concern level"}.get(
            key, FLAG_WORDS.get(key, key)
        )
        out.append(f"- {name}: {'; '.join(reasons)}")
    flags = [FLAG_WORDS[f] for f in FLAG_WORDS if f in screening.flags]
    out.append("Flags: " + ("; ".join(flags) if flags else "none"))
    out.append("Answers:")
    out += [f"- {q} {a}" for q, a in answer_lines(screening)]
    out.append("Recommended actions:")
    for action in actions_for(screening):
        out.append(f"- {action['title']}")
    out.append("This checklist supports, and does not replace, clinical judgement.")
    return "\n".join(out)
