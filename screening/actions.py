"""Which actions a result calls for, in the order the result page shows them.

Pure: it reads the stored levels, flags and coded answers, so a screening made under earlier
rules gets the actions its stored result calls for (answers it was never asked count as not
given). The wording of each action is in checklist.yaml under `actions`.
"""

from collections.abc import Collection, Mapping

from screening import rules

#: Shown as cards above the result's heading, in this order.
URGENT = ("emergency", "urgent_mental_health", "unsafe_home")


def action_keys(
    *, stalking: str, concern: str, flags: Collection[str], answers: Mapping[str, object]
) -> list[str]:
    """Return the keys of checklist.yaml's actions for this result, urgent ones first."""
    keys = [key for key in URGENT if key in flags]
    age = answers.get("patient_age", rules.UNKNOWN)
    connected = answers.get("relationship") in rules.PERSONALLY_CONNECTED
    if concern == rules.Concern.HIGH:
        if "domestic_abuse" in flags:
            keys.append("concern_high_domestic")
        elif age == "under_16":
            # A child at high risk from anyone is a child protection matter first.
            keys.append("concern_high_child")
        else:
            keys.append("concern_high_other")
    keys.append(f"stalking_{stalking}")
    if concern == rules.Concern.RAISED:
        keys.append("concern_raised")
    if "domestic_abuse" in flags:
        keys.append("domestic_abuse")
    found = stalking != rules.Stalking.NOT_INDICATED
    if age in rules.YOUNG and ("safeguarding" in flags or "unsafe_home" in flags or found):
        keys.append(f"young_{age}")
    if answers.get("children_or_adults_at_risk") == rules.YES:
        keys.append("safeguarding")
    if answers.get("risk_pregnancy") == rules.YES and connected:
        keys.append("pregnancy")
    if answers.get("risk_strangulation_sexual") == rules.YES:
        keys.append("strangulation_sexual")
    if "ptsd_assessment" in flags:
        keys.append("ptsd_assessment")
    elif found and answers.get("trauma_gate") != rules.YES:
        keys.append("ptsd_not_screened")
    if "record_safety" in flags:
        keys.append("record_safety")
    return keys
