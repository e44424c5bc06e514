"""The screening checklist form and the outcome form. No field takes free text."""

import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from core.layout import Div, Field, Fieldset, Layout, Submit
from screening import rules
from screening.checklist import GROUPS, NONE, checklist
from screening.models import OUTCOME_ACTION_FIELDS, Outcome

YES_NO = [("yes", "Yes"), ("no", "No")]

#: Each question the checklist requires outside an emergency, with its message.
REQUIRED = {
    "unsafe_to_go_home": "Select whether it is unsafe for the patient to go home tonight",
    "patient_age": "Select how old the patient is",
    "unwanted": "Select whether the contact or behaviour is unwanted",
    "repeated": "Select how many times it has happened",
    "fixated": "Select whether the person seems fixated",
    "relationship": "Select how the patient knows the person",
    "behaviours": "Select the behaviours the patient describes, or 'None of these'",
    "risk_threats_violence": "Select whether the person has said they will hurt the patient",
    "risks": "Select the risk indicators the patient has told you about, or 'None of these'",
    "more_risks": "Select the risks that apply, or 'None of these'",
    "children_or_adults_at_risk": "Select whether children or adults at risk are affected",
    "perpetrator_has_record_access": "Select whether the person could see the patient's record",
    "self_harm_thoughts": "Select whether the patient has thoughts of self-harm",
}
PASSED_THROUGH = (
    "immediate_danger",
    "unsafe_to_go_home",
    "patient_age",
    "unwanted",
    "repeated",
    "fixated",
    "relationship",
    "risk_threats_violence",
    "children_or_adults_at_risk",
    "perpetrator_has_record_access",
    "self_harm_thoughts",
)


def _q(item: str) -> dict:
    return checklist()["questions"][item]


def _radios(item: str) -> forms.ChoiceField:
    q = _q(item)
    return forms.ChoiceField(
        label=q["label"],
        help_text=q.get("hint", ""),
        choices=list(q.get("choices", dict(YES_NO)).items()),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select one of the options given"},
    )


def _group(name: str) -> forms.MultipleChoiceField:
    q = _q(name)
    return forms.MultipleChoiceField(
        label=q["label"],
        choices=[*q["choices"].items(), (NONE, q["none"])],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select only options from the list"},
    )


class ScreeningForm(forms.Form):
    """The checklist. Its `answers()` are the rules' input, keyed by the stable question ids.

    Safety comes first: when the patient is in danger now, nothing else is required and an
    answer that does not validate is left out (and reported as not answered), so the result,
    with its emergency card, is never held back by another question.
    """

    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"submission": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        f = self.fields
        for item in ("immediate_danger", "unsafe_to_go_home", "patient_age"):
            f[item] = _radios(item)
        for item in ("unwanted", "repeated", "fixated", "relationship"):
            f[item] = _radios(item)
        f["behaviours"] = _group("behaviours")
        f["risk_threats_violence"] = _radios("risk_threats_violence")
        f["risks"] = _group("risks")
        f["clinician_concern_high"] = forms.BooleanField(
            label=_q("clinician_concern_high")["choice"], required=False
        )
        f["more_risks"] = _group("more_risks")
        for item in ("children_or_adults_at_risk", "perpetrator_has_record_access"):
            f[item] = _radios(item)
        f["trauma_gate"] = _radios("trauma_gate")
        for item in rules.PTSD_ITEMS:
            f[item] = _radios(item)
        f["self_harm_thoughts"] = _radios("self_harm_thoughts")

        data = checklist()
        sections = data["sections"]
        self.helper = FormHelper()
        self.helper.show_error_summary = False
        self.helper.layout = Layout(
            "submission",
            Fieldset(
                sections["safety"]["title"],
                "immediate_danger",
                "unsafe_to_go_home",
                hint=sections["safety"]["hint"],
                size="l",
            ),
            Submit(data["submit_emergency"], secondary=True, prevent_double_click=True),
            Fieldset(sections["age"]["title"], "patient_age", size="l"),
            Fieldset(
                sections["pattern"]["title"],
                "unwanted",
                "repeated",
                "fixated",
                "relationship",
                hint=sections["pattern"]["hint"],
                size="l",
            ),
            Fieldset(
                sections["behaviours"]["title"], Field("behaviours", exclusive=NONE), size="l"
            ),
            Fieldset(
                sections["risk"]["title"],
                "risk_threats_violence",
                Field("risks", exclusive=NONE),
                Field("clinician_concern_high", legend=_q("clinician_concern_high")["label"]),
                hint=sections["risk"]["hint"],
                size="l",
            ),
            Fieldset(
                sections["more_risk"]["title"],
                Field("more_risks", exclusive=NONE),
                hint=sections["more_risk"]["hint"],
                size="l",
            ),
            Fieldset(
                sections["other_safety"]["title"],
                "children_or_adults_at_risk",
                "perpetrator_has_record_access",
                size="l",
            ),
            # The items hide by CSS (:has) when the gate is "no": NHS.UK's conditional reveal
            # puts aria-expanded on a radio, which axe rejects (aria-allowed-attr).
            Div(
                Fieldset(
                    sections["ptsd"]["title"],
                    "trauma_gate",
                    hint=sections["ptsd"]["hint"],
                    size="l",
                ),
                Div(
                    Fieldset(_q("ptsd_intro"), *rules.PTSD_ITEMS, size="m", hint=_q("ptsd_hint")),
                    css_class="app-ptsd__items",
                ),
                css_class="app-ptsd",
            ),
            Fieldset(_q("self_harm_heading"), "self_harm_thoughts", size="m"),
            Submit(data["submit"], prevent_double_click=True),
        )

    @property
    def is_emergency(self) -> bool:
        return self.cleaned_data.get("immediate_danger") == rules.YES

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("immediate_danger") == rules.YES:
            # Nothing may stand before the emergency card: drop what did not validate.
            for name in [n for n in self._errors if n != "immediate_danger"]:
                del self._errors[name]
            cleaned.setdefault("submission", uuid.uuid4())
            for group in GROUPS:
                values = cleaned.get(group) or []
                if NONE in values and len(values) > 1:
                    cleaned[group] = [v for v in values if v != NONE]
            return cleaned
        if not cleaned.get("immediate_danger") and "immediate_danger" not in self._errors:
            self.add_error(
                "immediate_danger",
                ValidationError("Select whether the patient is in danger now", code="required"),
            )
        for name, message in REQUIRED.items():
            if not cleaned.get(name) and name not in self._errors:
                if name == "risk_threats_violence" and "threats" in (
                    cleaned.get("behaviours") or ()
                ):
                    message = (
                        "You ticked 'Threatening them': select whether the person has said "
                        "they will hurt the patient"
                    )
                self.add_error(name, ValidationError(message, code="required"))
        for group in GROUPS:
            values = cleaned.get(group) or []
            if NONE in values and len(values) > 1:
                self.add_error(
                    group,
                    ValidationError(
                        "Select the options that apply, or 'None of these', not both",
                        code="none_and_others",
                    ),
                )
        self._clean_ptsd(cleaned)
        return cleaned

    def _clean_ptsd(self, cleaned):
        partial = {k: v for k, v in self._answers(cleaned).items() if v is not None}
        try:
            stalking, _ = rules.stalking_level(rules.normalise(partial))
        except ValueError:
            return
        gate = cleaned.get("trauma_gate")
        if not gate and rules.ptsd_questions_required(stalking, partial):
            self.add_error(
                "trauma_gate",
                ValidationError(
                    "Answer the PTSD screen: stalking is indicated or possible, and most "
                    "victims have symptoms of PTSD",
                    code="ptsd_required",
                ),
            )
        if gate == rules.YES:
            for item in rules.PTSD_ITEMS:
                if not cleaned.get(item):
                    self.add_error(
                        item,
                        ValidationError(
                            "Answer this PTSD question, or answer the question above no",
                            code="ptsd_required",
                        ),
                    )

    @staticmethod
    def _answers(data) -> dict[str, object]:
        """Return the answers given, in the rules' terms; a question not answered is left out."""
        answers: dict[str, object] = {item: data.get(item) or None for item in PASSED_THROUGH}
        for group, items in GROUPS.items():
            values = data.get(group)
            if not values:
                continue
            if group == "behaviours":
                answers["behaviours"] = [v for v in values if v != NONE]
            else:
                for item in items:
                    answers[item] = rules.YES if item in values else rules.NO
        answers["clinician_concern_high"] = (
            rules.YES if data.get("clinician_concern_high") else rules.NO
        )
        gate = data.get("trauma_gate") or None
        answers["trauma_gate"] = gate
        if gate == rules.YES:
            for item in rules.PTSD_ITEMS:
                answers[item] = data.get(item) or None
        return answers

    def answers(self) -> dict[str, object]:
        """Return the answers given, in the rules' terms, leaving out what was not answered."""
        return {k: v for k, v in self._answers(self.cleaned_data).items() if v is not None}


class OutcomeForm(forms.ModelForm):
    referred_service = forms.ChoiceField(
        label="If you referred to a specialist stalking service, which one? (optional)",
        required=False,
        error_messages={"invalid_choice": "Select a service from the list"},
    )

    class Meta:
        model = Outcome
        fields = list(OUTCOME_ACTION_FIELDS)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {str(s.pk): s for s in services}
        self.fields["referred_service"].choices = [("", "Not chosen")] + [
            (key, s.name) for key, s in self.services.items()
        ]
        if self.instance.pk and self.instance.referred_service_name:
            match = next(
                (
                    k
                    for k, s in self.services.items()
                    if s.name == self.instance.referred_service_name
                ),
                "",
            )
            self.initial.setdefault("referred_service", match)
        self.helper = FormHelper()
        self.helper.show_error_summary = False
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "What did you do?",
                # The service chosen sits straight under "Referred to a specialist service".
                OUTCOME_ACTION_FIELDS[0],
                "referred_service",
                *OUTCOME_ACTION_FIELDS[1:],
                hint="Tick everything that applies. Your ICB sees only totals.",
                size="m",
            ),
            Submit("Save what was done", prevent_double_click=True),
        )

    def save(self, commit=True):
        outcome = super().save(commit=False)
        chosen = self.services.get(self.cleaned_data.get("referred_service") or "")
        if chosen and outcome.referred_specialist:
            outcome.referred_service_name = chosen.name
            outcome.referred_service_type = chosen.service_type
        elif not outcome.referred_specialist:
            outcome.referred_service_name = ""
            outcome.referred_service_type = ""
        if commit:
            outcome.save()
        return outcome
