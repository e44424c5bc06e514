"""Forms for the quiz, the confidence surveys and reflective notes."""

from crispy_forms.helper import FormHelper
from django import forms

from core.identifiers import validate_no_patient_identifiers
from core.layout import Field, Fieldset, Layout, Submit
from training.models import QuestionKind
from training.survey import SCALE, STATEMENTS


def _field_name(question_id: int) -> str:
    return f"q{question_id}"


class QuizForm(forms.Form):
    """One field per presented question, options in the order this attempt shows them.

    Only option ids and texts reach the page: nothing says which options are correct.
    """

    attempt = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, questions, attempt, **kwargs):
        kwargs.setdefault("initial", {"attempt": attempt.pk})
        super().__init__(*args, **kwargs)
        self.questions = questions
        names = ["attempt"]
        for number, item in enumerate(questions, start=1):
            q = item.question
            choices = [(str(o.pk), o.text) for o in item.options]
            label = f"Question {number} of {len(questions)}: {q.text}"
            if q.kind == QuestionKind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    label=label,
                    choices=choices,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    help_text="Select all that apply.",
                    error_messages={"required": f"Select at least one answer to question {number}"},
                )
            else:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Select an answer to question {number}"},
                )
            name = _field_name(q.pk)
            self.fields[name] = field
            names.append(Field(name, label_size="s"))
        self.helper = FormHelper()
        self.helper.show_error_summary = False
        self.helper.layout = Layout(*names, Submit("Submit answers", prevent_double_click=True))

    def selections(self) -> dict[int, frozenset[int]]:
        result = {}
        for item in self.questions:
            value = self.cleaned_data.get(_field_name(item.question.pk))
            if value is None or value == "":
                value = []
            result[item.question.pk] = frozenset(value if isinstance(value, list) else [value])
        return result


class SurveyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, statement in STATEMENTS:
            self.fields[key] = forms.TypedChoiceField(
                label=statement,
                choices=[(str(v), text) for v, text in SCALE],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Select how much you agree with this statement"},
            )
        self.helper = FormHelper()
        self.helper.show_error_summary = False
        self.helper.layout = Layout(
            *[Field(key, label_size="s") for key, _ in STATEMENTS],
            Submit("Submit survey", prevent_double_click=True),
        )

    def answers(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key, _ in STATEMENTS}


class ReflectiveNoteForm(forms.Form):
    text = forms.CharField(
        label="Your reflective note (optional)",
        help_text="About your own learning, never about a patient: no names, NHS numbers, "
        "dates of birth, addresses, postcodes or phone numbers. Private to you; you can "
        "include it in your certificate PDF for appraisal.",
        required=False,
        max_length=3000,
        validators=[validate_no_patient_identifiers],
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # pages wrap it in a form posting to the note view
        self.helper.show_error_summary = False
        self.helper.layout = Layout(
            Fieldset("Reflect on this module", "text", size="m"),
            Submit("Save note", secondary=True),
        )
