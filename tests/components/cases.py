"""Components rendered on their own: ours beside the official macro given the same parameters.

A case is a function returning ``(ours, official)`` HTML. Form fields come from
``{% crispy form %}`` with a one-field (or small) form laid out with `core.layout`; the error
summary from ``nhsuk/error_summary.html``; shared page components from `templates/components/`.
The official side is the matching `nhsuk-frontend-jinja` macro given the same label, hint,
error, value and state.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.utils import render_crispy_form
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.layout import Button, ConditionalRadios, Field, Fieldset, Layout, Submit
from tests.components import markup, official

CASES = {}


def case(name):
    def register(function):
        CASES[name] = function
        return function

    return register


ROLES = [("gp", "GP"), ("practice_nurse", "Practice nurse"), ("other", "Other")]
RISKS = [("threats", "Threats to kill"), ("strangulation", "Strangulation"), ("none", "None")]


def _form(fields, layout=None, data=None, show_labels=True):
    """An unbound or bound form with `fields`, laid out with `layout` (default: in order)."""
    form_class = type("CaseForm", (forms.Form,), dict(fields))
    form = form_class(data=data)
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.disable_csrf = True
    form.helper.show_error_summary = False
    form.helper.form_show_labels = show_labels
    form.helper.layout = Layout(*(layout or list(fields)))
    if data is not None:
        form.is_valid()
    return form


def ours(fields, layout=None, data=None, **options):
    return render_crispy_form(_form(fields, layout, data, **options))


# --- text input ------------------------------------------------------------------------------


def _name_field(**kwargs):
    return forms.CharField(label="Full name", max_length=100, **kwargs)


def _input(**params):
    return official.render(
        "input",
        {
            "label": {"text": "Full name"},
            "id": "id_answer",
            "name": "answer",
            "attributes": {"maxlength": "100"},
            **params,
        },
    )


@case("input")
def input_plain():
    return ours({"answer": _name_field()}), _input()


@case("input-hint")
def input_hint():
    return (
        ours({"answer": _name_field(help_text="As it appears on your smartcard")}),
        _input(hint={"text": "As it appears on your smartcard"}),
    )


@case("input-error")
def input_error():
    field = _name_field(error_messages={"required": "Enter your full name"})
    return (
        ours({"answer": field}, data={}),
        _input(errorMessage={"text": "Enter your full name"}),
    )


@case("input-hint-error-value")
def input_hint_error_value():
    field = forms.CharField(label="Full name", max_length=3, help_text="Your name")
    return (
        ours({"answer": field}, data={"answer": "Alice"}),
        official.render(
            "input",
            {
                "label": {"text": "Full name"},
                "hint": {"text": "Your name"},
                "errorMessage": {"text": "Ensure this value has at most 3 characters (it has 5)."},
                "id": "id_answer",
                "name": "answer",
                "value": "Alice",
                "attributes": {"maxlength": "3"},
            },
        ),
    )


@case("input-value")
def input_value():
    return (
        ours({"answer": _name_field()}, data={"answer": "Alice Clinician"}),
        _input(value="Alice Clinician"),
    )


@case("input-disabled")
def input_disabled():
    field = _name_field(disabled=True, initial="Alice Clinician")
    return ours({"answer": field}), _input(value="Alice Clinician", disabled=True)


@case("input-email-autocomplete")
def input_email():
    field = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    return (
        ours({"answer": field}),
        official.render(
            "input",
            {
                "label": {"text": "Email address"},
                "id": "id_answer",
                "name": "answer",
                "type": "email",
                "autocomplete": "email",
                "spellcheck": False,
                "attributes": {"maxlength": "320"},
            },
        ),
    )


@case("input-password")
def input_password():
    field = forms.CharField(
        label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    return (
        ours({"answer": field}),
        official.render(
            "input",
            {
                "label": {"text": "Password"},
                "id": "id_answer",
                "name": "answer",
                "type": "password",
                "autocomplete": "current-password",
            },
        ),
    )


@case("input-width-numeric")
def input_width_numeric():
    field = forms.CharField(
        label="Security code",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )
    layout = [Field("answer", css_class="nhsuk-input--width-10")]
    return (
        ours({"answer": field}, layout),
        official.render(
            "input",
            {
                "label": {"text": "Security code"},
                "id": "id_answer",
                "name": "answer",
                "classes": "nhsuk-input--width-10",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": False,
            },
        ),
    )


@case("input-page-heading")
def input_page_heading():
    layout = [Field("answer", label_size="l", is_page_heading=True)]
    return (
        ours({"answer": _name_field()}, layout),
        _input(label={"text": "Full name", "size": "l", "isPageHeading": True}),
    )


@case("input-hidden-label")
def input_hidden_label():
    return (
        ours({"answer": _name_field()}, show_labels=False),
        _input(label={"text": "Full name", "classes": "nhsuk-u-visually-hidden"}),
    )


# --- textarea --------------------------------------------------------------------------------


def _note_field(**kwargs):
    return forms.CharField(
        label="Your notes", widget=forms.Textarea(attrs={"rows": 5}), required=True, **kwargs
    )


def _textarea(**params):
    return official.render(
        "textarea",
        {"label": {"text": "Your notes"}, "id": "id_answer", "name": "answer", "rows": 5, **params},
    )


@case("textarea")
def textarea_plain():
    return ours({"answer": _note_field()}), _textarea()


@case("textarea-hint-value")
def textarea_hint_value():
    field = _note_field(help_text="Do not include anything that identifies a patient.")
    return (
        ours({"answer": field}, data={"answer": "Read the guidance again"}),
        _textarea(
            hint={"text": "Do not include anything that identifies a patient."},
            value="Read the guidance again",
        ),
    )


@case("textarea-error")
def textarea_error():
    field = _note_field(error_messages={"required": "Enter your notes"})
    return (
        ours({"answer": field}, data={}),
        _textarea(errorMessage={"text": "Enter your notes"}),
    )


@case("textarea-disabled")
def textarea_disabled():
    field = _note_field(disabled=True, initial="Saved")
    return ours({"answer": field}), _textarea(value="Saved", disabled=True)


# --- select ----------------------------------------------------------------------------------

ICBS = [("", "Choose an ICB"), ("QWO", "West Yorkshire"), ("QYG", "Cheshire and Merseyside")]


def _icb_field(**kwargs):
    return forms.ChoiceField(label="ICB area", choices=ICBS, **kwargs)


def _select(selected="", **params):
    items = [{"value": value, "text": text, "selected": value == selected} for value, text in ICBS]
    return official.render(
        "select",
        {
            "label": {"text": "ICB area"},
            "id": "id_answer",
            "name": "answer",
            "items": items,
            **params,
        },
    )


@case("select")
def select_plain():
    return ours({"answer": _icb_field(required=False)}), _select()


@case("select-selected-hint")
def select_selected():
    field = _icb_field(required=False, help_text="The area whose services you see")
    return (
        ours({"answer": field}, data={"answer": "QYG"}),
        _select("QYG", hint={"text": "The area whose services you see"}),
    )


@case("select-error")
def select_error():
    field = _icb_field(error_messages={"required": "Select an ICB"})
    return ours({"answer": field}, data={}), _select(errorMessage={"text": "Select an ICB"})


@case("select-disabled")
def select_disabled():
    field = _icb_field(disabled=True, initial="QWO")
    return ours({"answer": field}), _select("QWO", disabled=True)


# --- radios ----------------------------------------------------------------------------------


def _role_field(**kwargs):
    return forms.ChoiceField(
        label="What is your role?", choices=ROLES, widget=forms.RadioSelect, **kwargs
    )


def _items(choices, prefix="id_answer", checked=(), **extra):
    return [
        {
            "value": value,
            "text": text,
            "id": f"{prefix}_{index}",
            "checked": value in checked,
            **extra.get(value, {}),
        }
        for index, (value, text) in enumerate(choices)
    ]


def _radios(checked=(), legend=None, items=None, **params):
    return official.render(
        "radios",
        {
            "fieldset": {"legend": legend or {"text": "What is your role?"}},
            "idPrefix": "id_answer",
            "name": "answer",
            "items": items or _items(ROLES, checked=checked),
            **params,
        },
    )


@case("radios")
def radios_plain():
    return ours({"answer": _role_field()}), _radios()


@case("radios-hint")
def radios_hint():
    field = _role_field(help_text="Select one option")
    return ours({"answer": field}), _radios(hint={"text": "Select one option"})


@case("radios-error")
def radios_error():
    field = _role_field(error_messages={"required": "Select your role"})
    return ours({"answer": field}, data={}), _radios(errorMessage={"text": "Select your role"})


@case("radios-checked")
def radios_checked():
    return ours({"answer": _role_field()}, data={"answer": "practice_nurse"}), _radios(
        checked=("practice_nurse",)
    )


@case("radios-legend-small")
def radios_legend_small():
    layout = [Field("answer", label_size="s")]
    return ours({"answer": _role_field()}, layout), _radios(
        legend={"text": "What is your role?", "size": "s"}
    )


@case("radios-page-heading")
def radios_page_heading():
    layout = [Field("answer", is_page_heading=True)]
    return ours({"answer": _role_field()}, layout), _radios(
        legend={"text": "What is your role?", "size": "l", "isPageHeading": True}
    )


@case("radios-inline-small")
def radios_inline_small():
    layout = [Field("answer", inline=True, small=True)]
    return ours({"answer": _role_field()}, layout), _radios(inline=True, small=True)


@case("radios-disabled")
def radios_disabled():
    field = _role_field(disabled=True, initial="gp")
    # The macro has no field-level `disabled` for radios: each item is disabled.
    items = _items(ROLES, checked=("gp",), **{value: {"disabled": True} for value, _text in ROLES})
    return ours({"answer": field}), _radios(items=items)


@case("radios-conditional")
def radios_conditional():
    fields = {
        "answer": _role_field(),
        "other_role": forms.CharField(label="Your role", required=False),
    }
    layout = [ConditionalRadios("answer", {"other": ["other_role"]})]
    revealed = official.render(
        "input", {"label": {"text": "Your role"}, "id": "id_other_role", "name": "other_role"}
    )
    items = _items(ROLES, checked=("other",), other={"conditional": {"html": revealed}})
    return ours(fields, layout, data={"answer": "other"}), _radios(items=items)


# --- checkboxes ------------------------------------------------------------------------------


def _risks_field(**kwargs):
    return forms.MultipleChoiceField(
        label="Which of these apply?", choices=RISKS, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def _checkboxes(checked=(), items=None, **params):
    return official.render(
        "checkboxes",
        {
            "fieldset": {"legend": {"text": "Which of these apply?"}},
            "idPrefix": "id_answer",
            "name": "answer",
            "items": items or _items(RISKS, checked=checked),
            **params,
        },
    )


@case("checkboxes")
def checkboxes_plain():
    return ours({"answer": _risks_field()}), _checkboxes()


@case("checkboxes-hint-checked")
def checkboxes_hint_checked():
    field = _risks_field(help_text="Select all that apply")
    return (
        ours({"answer": field}, data={"answer": ["threats", "strangulation"]}),
        _checkboxes(checked=("threats", "strangulation"), hint={"text": "Select all that apply"}),
    )


@case("checkboxes-error")
def checkboxes_error():
    field = _risks_field(error_messages={"required": "Select which of these apply"})
    return (
        ours({"answer": field}, data={}),
        _checkboxes(errorMessage={"text": "Select which of these apply"}),
    )


@case("checkboxes-exclusive")
def checkboxes_exclusive():
    layout = [Field("answer", exclusive="none")]
    items = _items(RISKS, none={"exclusive": True})
    items.insert(2, {"divider": "or"})
    return ours({"answer": _risks_field()}, layout), _checkboxes(items=items)


@case("checkboxes-conditional")
def checkboxes_conditional():
    fields = {
        "answer": _risks_field(),
        "details": forms.CharField(label="Give details", required=False),
    }
    layout = [Field("answer", conditionals={"threats": ["details"]})]
    revealed = official.render(
        "input", {"label": {"text": "Give details"}, "id": "id_details", "name": "details"}
    )
    items = _items(RISKS, threats={"conditional": {"html": revealed}})
    return ours(fields, layout), _checkboxes(items=items)


# --- a single checkbox (BooleanField) --------------------------------------------------------


def _agree_field(**kwargs):
    return forms.BooleanField(label="I have checked these details", **kwargs)


def _checkbox(item=None, **params):
    return official.render(
        "checkboxes",
        {
            "idPrefix": "id_answer",
            "name": "answer",
            "items": [{"text": "I have checked these details", "id": "id_answer", **(item or {})}],
            **params,
        },
    )


@case("checkbox")
def checkbox_plain():
    return ours({"answer": _agree_field(required=False)}), _checkbox()


@case("checkbox-hint-checked")
def checkbox_hint_checked():
    field = _agree_field(required=False, help_text="Tick when every detail is right")
    return (
        ours({"answer": field}, data={"answer": "on"}),
        _checkbox(item={"checked": True, "hint": {"text": "Tick when every detail is right"}}),
    )


@case("checkbox-error")
def checkbox_error():
    field = _agree_field(error_messages={"required": "Confirm you have checked the details"})
    return (
        ours({"answer": field}, data={}),
        _checkbox(errorMessage={"text": "Confirm you have checked the details"}),
    )


@case("checkbox-hint-error")
def checkbox_hint_error():
    field = _agree_field(
        help_text="Tick when every detail is right",
        error_messages={"required": "Confirm you have checked the details"},
    )
    return (
        ours({"answer": field}, data={}),
        _checkbox(
            item={"hint": {"text": "Tick when every detail is right"}},
            errorMessage={"text": "Confirm you have checked the details"},
        ),
    )


@case("checkbox-legend")
def checkbox_legend():
    field = _agree_field(required=False, help_text="Tick when every detail is right")
    layout = [Field("answer", legend="Checking the details")]
    return (
        ours({"answer": field}, layout),
        _checkbox(
            fieldset={"legend": {"text": "Checking the details"}},
            hint={"text": "Tick when every detail is right"},
        ),
    )


# --- fieldset --------------------------------------------------------------------------------


def _fieldset(legend, inner, **params):
    return official.render_call("fieldset", {"legend": legend, **params}, inner)


@case("fieldset")
def fieldset_plain():
    layout = [Fieldset("Your details", "answer")]
    inner = _input()
    return (
        ours({"answer": _name_field()}, layout),
        _fieldset({"text": "Your details", "size": "m"}, inner, id="id_answer-fieldset"),
    )


@case("fieldset-page-heading")
def fieldset_page_heading():
    layout = [Fieldset("Your details", "answer", size="l", is_page_heading=True)]
    return (
        ours({"answer": _name_field()}, layout),
        _fieldset(
            {"text": "Your details", "size": "l", "isPageHeading": True},
            _input(),
            id="id_answer-fieldset",
        ),
    )


# --- error summary ---------------------------------------------------------------------------


class _ErrorForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=100, error_messages={"required": "Enter your full name"}
    )
    role = forms.ChoiceField(
        label="What is your role?",
        choices=ROLES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your role"},
    )

    def clean(self):
        raise forms.ValidationError("Your details could not be saved")


def _error_summary(title=None):
    form = _ErrorForm(data={})
    form.is_valid()
    context = {"form": form}
    if title:
        context["error_summary_title"] = title
    return Template('{% include "nhsuk/error_summary.html" %}').render(Context(context))


ERROR_LIST = [
    {"text": "Your details could not be saved"},
    {"text": "Enter your full name", "href": "#id_full_name"},
    {"text": "Select your role", "href": "#id_role_0"},
]


@case("error-summary")
def error_summary():
    return _error_summary(), official.render(
        "error-summary", {"titleText": "There is a problem", "errorList": ERROR_LIST}
    )


@case("error-summary-title")
def error_summary_title():
    return _error_summary("Check your answers"), official.render(
        "error-summary", {"titleText": "Check your answers", "errorList": ERROR_LIST}
    )


class _SurveyForm(forms.Form):
    identify = forms.ChoiceField(
        label="I can identify stalking",
        choices=[("1", "Disagree"), ("2", "Agree")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how much you agree"},
    )
    ask = forms.ChoiceField(
        label="I can ask about stalking",
        choices=[("1", "Disagree"), ("2", "Agree")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how much you agree"},
    )


@case("error-summary-repeated-message")
def error_summary_repeated_message():
    form = _SurveyForm(data={})
    form.is_valid()
    ours_html = Template('{% include "nhsuk/error_summary.html" %}').render(Context({"form": form}))
    hidden = '<span class="nhsuk-u-visually-hidden">: {}</span>'
    return ours_html, official.render(
        "error-summary",
        {
            "titleText": "There is a problem",
            "errorList": [
                {
                    "html": "Select how much you agree" + hidden.format("I can identify stalking"),
                    "href": "#id_identify_0",
                },
                {
                    "html": "Select how much you agree" + hidden.format("I can ask about stalking"),
                    "href": "#id_ask_0",
                },
            ],
        },
    )


# --- buttons ---------------------------------------------------------------------------------


def _button_html(*layout_objects):
    return ours({}, list(layout_objects))


@case("button-submit")
def button_submit():
    return _button_html(Submit("Continue")), official.render("button", {"text": "Continue"})


@case("button-secondary-name-value")
def button_secondary():
    return (
        _button_html(Submit("Save as draft", name="action", value="draft", secondary=True)),
        official.render(
            "button",
            {"text": "Save as draft", "name": "action", "value": "draft", "variant": "secondary"},
        ),
    )


@case("button-prevent-double-click")
def button_prevent_double_click():
    return (
        _button_html(Submit("Submit answers", prevent_double_click=True)),
        official.render("button", {"text": "Submit answers", "preventDoubleClick": True}),
    )


@case("button-plain-id")
def button_plain():
    return (
        _button_html(Button("Copy summary", css_id="copy-button", css_class="app-copy")),
        official.render(
            "button",
            {"text": "Copy summary", "type": "button", "id": "copy-button", "classes": "app-copy"},
        ),
    )


# --- pagination (templates/components/pagination.html) ---------------------------------------


def _pagination(**context):
    return Template('{% include "components/pagination.html" %}').render(Context(context))


@case("pagination-titles")
def pagination_titles():
    return (
        _pagination(
            previous_href="/training/alpha/1/",
            previous_label="First page",
            next_href="/training/alpha/3/",
            next_label="Third page",
        ),
        official.render(
            "pagination",
            {
                "previous": {"href": "/training/alpha/1/", "labelText": "First page"},
                "next": {"href": "/training/alpha/3/", "labelText": "Third page"},
            },
        ),
    )


@case("pagination-next-only")
def pagination_next_only():
    return (
        _pagination(next_href="/training/alpha/2/", next_label="Second page"),
        official.render(
            "pagination", {"next": {"href": "/training/alpha/2/", "labelText": "Second page"}}
        ),
    )


@case("pagination-numbered-pages")
def pagination_numbered_pages():
    page = Paginator(range(150), 50).page(2)
    return (
        _pagination(paginator_page=page, previous_text="Newer", next_text="Older"),
        official.render(
            "pagination",
            {
                "previous": {"href": "?page=1", "text": "Newer", "labelText": "Page 1"},
                "next": {"href": "?page=3", "text": "Older", "labelText": "Page 3"},
            },
        ),
    )


# --- notification banners (base.html shows Django's messages) --------------------------------


def _banners(*messages):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    page = render_to_string("base.html", {"messages": list(messages)}, request=request)
    banners = [e for e in markup.parse(page).iter() if "nhsuk-notification-banner" in e.classes]
    return markup.to_html(banners)


@case("notification-banner-success")
def notification_banner_success():
    return (
        _banners(Message(constants.SUCCESS, "Your profile has been updated.")),
        official.render(
            "notification-banner",
            {
                "type": "success",
                "text": "Your profile has been updated.",
                "titleId": "message-title-1",
            },
        ),
    )


@case("notification-banner-important")
def notification_banner_important():
    return (
        _banners(
            Message(constants.INFO, "You have been signed out."),
            Message(constants.WARNING, "Your move is waiting."),
        ),
        official.render(
            "notification-banner",
            {"text": "You have been signed out.", "titleId": "message-title-1"},
        )
        + official.render(
            "notification-banner", {"text": "Your move is waiting.", "titleId": "message-title-2"}
        ),
    )
