"""What the result page, the list and the record summary show for one stored screening.

Everything is read from what was stored: the levels, flags, reasons and rules version the
screening was given. Nothing is re-assessed, so a screening made under earlier rules keeps
and shows its own result.
"""

from functools import cached_property

from django.utils import timezone

from screening import rules
from screening.actions import URGENT, action_keys
from screening.checklist import GROUPS, checklist, choice_text, label
from screening.models import OUTCOME_ACTION_FIELDS, Outcome, Screening

LEVEL_WORDS = {
    "indicated": "Stalking indicated",
    "possible": "Possible stalking",
    "not_indicated": "Stalking not indicated",
}
CONCERN_WORDS = {"high": "High concern", "raised": "Raised concern", "standard": "Standard"}
FLAG_WORDS = {
    "emergency": "Emergency: danger now",
    "unsafe_home": "Not safe to go home tonight",
    "urgent_mental_health": "Urgent mental health: thoughts of self-harm",
    "safeguarding": "Safeguarding",
    "domestic_abuse": "Domestic abuse",
    "ptsd_assessment": "PTSD assessment recommended",
    "record_safety": "Record safety",
}
#: Answers whose wording changed meaning between versions, by version.
EARLIER_WORDING = {"2026.1": {"relationship": {"ex_partner": "Ex-partner or partner"}}}
#: The questions in page order, with the section each belongs to.
QUESTION_ORDER = (
    ("safety", "immediate_danger"),
    ("safety", "unsafe_to_go_home"),
    ("age", "patient_age"),
    ("pattern", "unwanted"),
    ("pattern", "repeated"),
    ("pattern", "fixated"),
    ("relationship", "relationship"),
    ("behaviours", "behaviours"),
    ("risk_indicators", "risk_threats_violence"),
    ("risk_indicators", "risks"),
    ("risk_indicators", "clinician_concern_high"),
    ("more_risk", "more_risks"),
    ("safety", "children_or_adults_at_risk"),
    ("safety", "perpetrator_has_record_access"),
    ("ptsd", "trauma_gate"),
    *(("ptsd", item) for item in rules.PTSD_ITEMS),
    ("self_harm", "self_harm_thoughts"),
)


#: How each kind of action card looks: (NHS card classes, words read out before its title).
CARD_STYLES = {
    "emergency": (
        "nhsuk-card nhsuk-card--care nhsuk-card--care--emergency",
        "Immediate action required: ",
    ),
    "urgent": ("nhsuk-card nhsuk-card--care nhsuk-card--care--urgent", "Urgent: "),
    "warning": ("nhsuk-card nhsuk-card--warning", ""),
    "": ("nhsuk-card", ""),
}


def _style(key: str) -> str:
    """Return how an action's card looks: an emergency or urgent care card, or a warning."""
    if key == "emergency":
        return "emergency"
    if key in URGENT:
        return "urgent"
    return "warning" if key.startswith("concern_high") else ""


def _card(key: str, wording: dict) -> dict:
    """Return one action card, ready for screening/includes/action_card.html."""
    style = _style(key)
    classes, prefix = CARD_STYLES[style]
    return {
        "key": key,
        "care_card": style in ("emergency", "urgent"),
        "card_classes": classes,
        "hidden_prefix": prefix,
        **wording,
    }


class ScreeningResultPresenter:
    """The stored result of one screening, ready for the page, the list and the record summary."""

    def __init__(self, screening: Screening, outcome: Outcome | None = None):
        self.screening = screening
        self.outcome = outcome

    @property
    def level(self) -> str:
        return LEVEL_WORDS[self.screening.stalking]

    @property
    def concern(self) -> str:
        return CONCERN_WORDS[self.screening.concern]

    @property
    def heading(self) -> str:
        return f"{self.level}: {self.concern.lower()}"

    @property
    def earlier_rules(self) -> bool:
        return not self.screening.is_current_rules

    @property
    def emergency(self) -> bool:
        return self.screening.flag_emergency

    @property
    def outcome_recorded(self) -> bool:
        """Return whether what was done has been recorded (select_related("outcome") first)."""
        return self.screening.has_outcome

    @property
    def refer_heading(self) -> str:
        icb = self.screening.icb
        return f"Where to refer in {icb.short_name}" if icb else "Where to refer"

    @cached_property
    def reasons(self) -> dict:
        return self.screening.reasons or {}

    @cached_property
    def flags(self) -> list[dict]:
        """Return each flag raised, in the page's order, with its stored reasons."""
        return [
            {"key": key, "title": title, "reasons": self.reasons.get(key, [])}
            for key, title in FLAG_WORDS.items()
            if key in self.screening.flags
        ]

    @cached_property
    def notes(self) -> list[str]:
        return list(self.reasons.get("notes", []))

    @cached_property
    def _actions(self) -> list[dict]:
        wording = checklist()["actions"]
        s = self.screening
        keys = action_keys(stalking=s.stalking, concern=s.concern, flags=s.flags, answers=s.answers)
        return [_card(key, wording[key]) for key in keys]

    @property
    def urgent_actions(self) -> list[dict]:
        """Return the cards that come before everything else: emergency, then mental health."""
        return [a for a in self._actions if a["key"] in URGENT]

    @property
    def actions(self) -> list[dict]:
        return [a for a in self._actions if a["key"] not in URGENT]

    @property
    def record_guidance(self) -> dict:
        return checklist()["record_guidance"]

    @property
    def sources(self) -> list[str]:
        return checklist()["sources"]

    @cached_property
    def answers(self) -> list[tuple[str, str]]:
        """Return (question, answer) pairs in page order; unasked questions say so."""
        a = self.screening.answers
        unanswered = set(self.screening.unanswered or [])
        earlier = EARLIER_WORDING.get(self.screening.rules_version, {})
        lines = []
        for section, item in QUESTION_ORDER:
            if item in GROUPS:
                if item == "behaviours":
                    present = "behaviours" in a
                    chosen = list(a.get("behaviours") or [])
                    question = checklist()["questions"]["behaviours"]["label"]
                else:
                    items = [i for i in GROUPS[item] if i in a]
                    present = bool(items)
                    chosen = [i for i in items if a[i] == rules.YES]
                    question = checklist()["questions"][item]["label"]
                if not present:
                    continue
                if section in unanswered:
                    text = "Not answered"
                elif item == "behaviours":
                    words = checklist()["questions"]["behaviours"]["choices"]
                    text = "; ".join(words[b] for b in chosen) or "None of these"
                else:
                    text = "; ".join(label(i) for i in chosen) or "None of these"
                lines.append((question, text))
                continue
            if item not in a:
                continue
            if item in rules.PTSD_ITEMS and a.get("trauma_gate") != rules.YES:
                continue
            if section in unanswered and not (section == "safety" and item == "immediate_danger"):
                text = "Not answered"
            else:
                value = str(a[item])
                text = earlier.get(item, {}).get(value) or choice_text(item, value)
            lines.append((label(item), text))
        return lines

    @cached_property
    def outcome_words(self) -> list[str]:
        """Return what the clinician recorded as done, in words."""
        if self.outcome is None or self.outcome.pk is None:
            return []
        words = [
            str(Outcome._meta.get_field(name).verbose_name)
            for name in OUTCOME_ACTION_FIELDS
            if getattr(self.outcome, name)
        ]
        if self.outcome.referred_service_name:
            words.append(f"Referred to {self.outcome.referred_service_name}")
        return words

    @cached_property
    def record_summary(self) -> str:
        """Return the summary to paste into the GP record: short, neutral first line, no ids."""
        s = self.screening
        when = timezone.localtime(s.created_at)
        concern = (
            "standard concern"
            if s.concern == "standard"
            else f"{self.concern.lower()} about risk from the other person"
        )
        earlier = "earlier " if self.earlier_rules else ""
        out = [
            f"Safety and wellbeing review, {when:%-d %B %Y %H:%M}, ref {s.reference}.",
            f"Result ({earlier}checklist rules {s.rules_version}): {self.level.lower()}; "
            f"{concern}.",
        ]
        for flag in self.flags:
            out.append(f"{flag['title']}: {' '.join(flag['reasons'])}".strip())
        out += self.notes
        titles = [a["title"] for a in self._actions]
        out.append("Advised: " + "; ".join(titles) + ".")
        if self.outcome_words:
            out.append("Done: " + "; ".join(self.outcome_words) + ".")
        out.append("Checklist supports, and does not replace, clinical judgement.")
        return "\n".join(out)


class SupportSheetPresenter:
    """The printable list of services for one screening's area, with its safety wording."""

    def __init__(self, screening: Screening, services: list):
        self.screening = screening
        self.services = services

    @cached_property
    def _sheet(self) -> dict:
        return checklist()["support_sheet"]

    @property
    def title(self) -> str:
        return self._sheet["title"]

    @property
    def urgent(self) -> str:
        return self._sheet["urgent"]

    @property
    def intro(self) -> str:
        icb = self.screening.icb
        where = f" in {icb.short_name}" if icb else ""
        return f"You do not have to cope alone. These services can help{where}:"
