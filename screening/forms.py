"""The screening checklist form and the outcome form. No field takes free text."""

import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from core.layout import Field, Fieldset, Layout, Submit
from screening import rules
from screening.checklist import checklist
from screening.models import Outcome

YES_NO = [("yes", "Yes"), ("no", "No")]


def _q(item: str) -> dict:
    return checklist()["questions"][item]


def _radios(item: str, *, required=True, choices=None, message=None) -> forms.ChoiceField:
    q = _q(item)
    return forms.ChoiceField(
        label=q["label"],
        help_text=q.get("hint", ""),
        choices=choices or list(q.get("choices", dict(YES_NO)).items()),
        widget=forms.RadioSelect,
        required=required,
        error_messages={
            "required": message or "Select an answer",
            "invalid_choice": "Select one of the options given",
        },
    )


class ScreeningForm(forms.Form):
    """The checklist. Its `answers()` are the rules' input, keyed by the stable question ids."""

    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"submission": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        f = self.fields
        f["unwanted"] = _radios(
            "unwanted", message="Select whether the contact or behaviour is unwanted"
        )
        f["repeated"] = _radios("repeated", message="Select how many times it has happened")
        f["fixated"] = _radios("fixated", message="Select whether the person seems fixated")
        f["relationship"] = _radios(
            "relationship", message="Select how the patient knows the person"
        )
        f["behaviours"] = forms.MultipleChoiceField(
            label=_q("behaviours")["label"],
            choices=list(_q("behaviours")["choices"].items()),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            error_messages={"invalid_choice": "Select only behaviours from the list"},
        )
        f["risks"] = forms.MultipleChoiceField(
            label=_q("risks")["label"],
            choices=list(_q("risks")["choices"].items()),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            error_messages={"invalid_choice": "Select only risk indicators from the list"},
        )
        f["clinician_concern_high"] = forms.BooleanField(
            label=_q("clinician_concern_high")["choice"], required=False
        )
        f["immediate_danger"] = _radios(
            "immediate_danger", message="Select whether the patient could be in danger now"
        )
        f["children_or_adults_at_risk"] = _radios(
            "children_or_adults_at_risk",
            message="Select whether children or adults at risk are affected",
        )
        f["perpetrator_has_record_access"] = _radios(
            "perpetrator_has_record_access",
            message="Select whether the person could see the patient's record",
        )
        f["trauma_gate"] = _radios("trauma_gate", required=False)
        for item in rules.PTSD_ITEMS:
            f[item] = _radios(item, required=False)
        f["self_harm_thoughts"] = _radios(
            "self_harm_thoughts", message="Select whether the patient has thoughts of self-harm"
        )

        sections = checklist()["sections"]
        self.helper = FormHelper()
        self.helper.show_error_summary = False
        self.helper.layout = Layout(
            "submission",
            Fieldset(
                sections["pattern"]["title"],
                "unwanted",
                "repeated",
                "fixated",
                "relationship",
                hint=sections["pattern"]["hint"],
                size="l",
            ),
            Fieldset(sections["behaviours"]["title"], "behaviours", size="l"),
            Fieldset(
                sections["risk"]["title"],
                "risks",
                Field("clinician_concern_high", legend=_q("clinician_concern_high")["label"]),
                hint=sections["risk"]["hint"],
                size="l",
            ),
            Fieldset(
                sections["safety"]["title"],
                "immediate_danger",
                "children_or_adults_at_risk",
                "perpetrator_has_record_access",
                size="l",
            ),
            # No conditional reveal here: NHS.UK's script puts aria-expanded on the radio,
            # which assistive technology does not support (axe: aria-allowed-attr).
            Fieldset(sections["health"]["title"], "trauma_gate", size="l"),
            Fieldset(_q("ptsd_intro"), *rules.PTSD_ITEMS, size="m", hint=_q("ptsd_hint")),
            Fieldset(_q("self_harm_heading"), "self_harm_thoughts", size="m"),
            Submit("See the result", prevent_double_click=True),
        )

    def clean(self):
        cleaned = super().clean()
        pattern = {
            "unwanted": cleaned.get("unwanted") or rules.UNSURE,
            "repeated": cleaned.get("repeated") or rules.UNSURE,
            "behaviours": tuple(cleaned.get("behaviours") or ()),
        }
        stalking, _ = rules.stalking_level(pattern)
        if rules.ptsd_questions_required(stalking):
            gate = cleaned.get("trauma_gate")
            if not gate:
                self.add_error(
                    "trauma_gate",
                    ValidationError(
                        "Answer the health impact question: stalking is indicated or possible, "
                        "and most victims have symptoms of PTSD",
                        code="ptsd_required",
                    ),
                )
            elif gate == "yes":
                for item in rules.PTSD_ITEMS:
                    if not cleaned.get(item):
                        self.add_error(
                            item,
                            ValidationError(
                                "Answer this PTSD question: stalking is indicated or possible",
                                code="ptsd_required",
                            ),
                        )
        return cleaned

    def answers(self) -> dict[str, object]:
        """Return the answers in the rules' terms (risks become one yes/no item each)."""
        data = self.cleaned_data
        answers: dict[str, object] = {
            item: data[item] for item in ("unwanted", "repeated", "fixated", "relationship")
        }
        answers["behaviours"] = list(data.get("behaviours") or [])
        risks = set(data.get("risks") or [])
        for item in rules.RISK_INDICATORS:
            answers[item] = "yes" if item in risks else "no"
        answers["clinician_concern_high"] = "yes" if data.get("clinician_concern_high") else "no"
        for item in (
            "immediate_danger",
            "children_or_adults_at_risk",
            "perpetrator_has_record_access",
            "self_harm_thoughts",
        ):
            answers[item] = data[item]
        gate = data.get("trauma_gate") or "no"
        answers["trauma_gate"] = gate
        for item in rules.PTSD_ITEMS:
            answers[item] = (data.get(item) or "no") if gate == "yes" else "no"
        return answers


class OutcomeForm(forms.ModelForm):
    referred_service = forms.ChoiceField(
        label="If you referred to a specialist stalking service, which one? (optional)",
        required=False,
        error_messages={"invalid_choice": "Select a service from the list"},
    )

    class Meta:
        model = Outcome
        fields = [
            "referred_specialist",
            "helpline_given",
            "ptsd_assessment_arranged",
            "safeguarding_referral",
            "police_contacted",
            "marac_referral",
            "patient_declined",
            "follow_up_booked",
        ]

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
                "referred_specialist",
                "referred_service",
                "helpline_given",
                "ptsd_assessment_arranged",
                "safeguarding_referral",
                "police_contacted",
                "marac_referral",
                "patient_declined",
                "follow_up_booked",
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
