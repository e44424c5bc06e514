"""The `nhsuk` crispy-forms template pack renders Django forms as NHS.UK components.

The markup is parsed with `html.parser` into a small tree so the tests can ask about classes,
ids and the links between labels, hints, error messages and controls.
"""

from html.parser import HTMLParser

import pytest
from crispy_forms import layout as crispy_layout
from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.test import RequestFactory

from core.layout import HTML, ButtonGroup, ConditionalRadios, Field, Fieldset, Layout, Submit

# --- a tiny DOM ------------------------------------------------------------------------------

VOID_ELEMENTS = {"input", "br", "hr", "img", "meta", "link", "source", "wbr", "col", "area"}


def _attr_name(keyword):
    """``for_`` -> ``for``, ``aria_describedby`` -> ``aria-describedby``."""
    return keyword.rstrip("_").replace("_", "-")


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = {name: ("" if value is None else value) for name, value in attrs}
        self.parent = parent
        self.children = []

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    @property
    def text(self):
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text)
        return "".join(parts)

    @property
    def clean_text(self):
        return " ".join(self.text.split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in node.classes:
                continue
            if any(node.attrs.get(_attr_name(key)) != value for key, value in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'}> with class={cls!r} {attrs} in {self.tag}"
        return found[0]

    def by_id(self, id_):
        matches = [node for node in self.iter() if node.attrs.get("id") == id_]
        assert len(matches) == 1, f"expected one element with id {id_!r}, found {len(matches)}"
        return matches[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def closest(self, tag=None, cls=None):
        for node in self.ancestors():
            if (tag is None or node.tag == tag) and (cls is None or cls in node.classes):
                return node
        raise AssertionError(f"no ancestor <{tag or '*'}> with class {cls!r}")


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [])
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID_ELEMENTS:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"unbalanced </{tag}>"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    return builder.root


# --- the sample form ------------------------------------------------------------------------

CONTACT_CHOICES = [("email", "Email"), ("phone", "Phone"), ("post", "Post")]
TOPIC_CHOICES = [("safety", "Safety planning"), ("police", "Reporting to the police")]
ROLE_CHOICES = [("", "Choose a role"), ("gp", "GP"), ("nurse", "Practice nurse")]


class SampleForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        help_text="As it appears on your NHS smartcard.",
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "nhsuk-input--width-20"}),
    )
    email = forms.EmailField(
        label="Work email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    role = forms.ChoiceField(label="Your role", choices=ROLE_CHOICES)
    contact_method = forms.ChoiceField(
        label="How should we contact you?",
        help_text="Select one option.",
        choices=CONTACT_CHOICES,
        widget=forms.RadioSelect,
    )
    phone_number = forms.CharField(
        label="Phone number",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    topics = forms.MultipleChoiceField(
        label="What do you want to learn about?",
        choices=TOPIC_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(
        label="I have read the guidance", help_text="You need to read it before you start."
    )
    details = forms.CharField(label="Anything else?", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "About you",
                "full_name",
                "email",
                size="l",
                is_page_heading=True,
                hint="We use these to send your certificate.",
            ),
            "role",
            ConditionalRadios("contact_method", {"phone": ["phone_number"]}),
            "topics",
            "agree",
            "details",
            Submit("Continue"),
            Submit("Save as draft", name="action", value="draft", secondary=True),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact_method") == "phone" and not cleaned.get("phone_number"):
            self.add_error("phone_number", "Enter a phone number")
        if cleaned.get("full_name") == "Nobody":
            raise ValidationError("We could not check your details")
        return cleaned


VALID_DATA = {
    "full_name": "Alice Example",
    "email": "alice@nhs.net",
    "role": "gp",
    "contact_method": "email",
    "topics": ["safety"],
    "agree": "on",
    "details": "Nothing",
}


@pytest.fixture
def request_():
    return RequestFactory().get("/form/")


@pytest.fixture
def render(request_):
    """Render ``{% crispy form %}`` (or another template) and parse the result."""

    def _render(form, template="{% load crispy_forms_tags %}{% crispy form %}", **extra):
        context = Context({"form": form, "request": request_, "csrf_token": get_token(request_)})
        context.update(extra)
        html = Template(template).render(context)
        return html, parse(html)

    return _render


@pytest.fixture
def unbound(render):
    return render(SampleForm())


@pytest.fixture
def invalid(render):
    form = SampleForm(
        data={
            "full_name": "Nobody",
            "email": "not an email",
            "contact_method": "phone",
            "details": "",
        }
    )
    assert not form.is_valid()
    return render(form)


def group_of(node):
    return node.closest("div", "nhsuk-form-group")


# --- the <form> -----------------------------------------------------------------------------


def test_form_posts_without_browser_validation_and_carries_the_csrf_token(unbound):
    _html, doc = unbound
    forms_ = doc.find_all("form")
    assert len(forms_) == 1
    form = forms_[0]
    assert form.attrs["method"] == "post"
    assert "novalidate" in form.attrs
    token = form.find("input", name="csrfmiddlewaretoken")
    assert token.attrs["type"] == "hidden" and token.attrs["value"]


def test_no_control_has_the_required_attribute(unbound):
    _html, doc = unbound
    for tag in ("input", "select", "textarea"):
        for node in doc.find_all(tag):
            assert "required" not in node.attrs, node.attrs


def test_form_tag_false_renders_the_fields_without_a_form(render):
    form = SampleForm()
    form.helper.form_tag = False
    html, doc = render(form)
    assert not doc.find_all("form")
    assert doc.by_id("id_full_name").tag == "input"
    assert "csrfmiddlewaretoken" in html


def test_get_forms_have_no_csrf_token(render):
    form = SampleForm()
    form.helper.form_method = "get"
    html, doc = render(form)
    assert doc.find("form").attrs["method"] == "get"
    assert "csrfmiddlewaretoken" not in html


def test_helper_attributes_reach_the_form_tag(render):
    form = SampleForm()
    form.helper.form_id = "sign-up"
    form.helper.form_action = "/accounts/sign-up/"
    _html, doc = render(form)
    form_tag = doc.find("form")
    assert form_tag.attrs["id"] == "sign-up"
    assert form_tag.attrs["action"] == "/accounts/sign-up/"


# --- single controls ------------------------------------------------------------------------


def test_text_input_is_an_nhsuk_input_with_label_and_hint(unbound):
    _html, doc = unbound
    control = doc.by_id("id_full_name")
    assert control.tag == "input"
    assert control.attrs["type"] == "text"
    assert control.attrs["name"] == "full_name"
    assert control.classes == ["nhsuk-input", "nhsuk-input--width-20"]
    assert control.attrs["autocomplete"] == "name"
    group = group_of(control)
    label = group.find("label", for_="id_full_name")
    assert "nhsuk-label" in label.classes
    assert label.clean_text == "Full name"
    hint = doc.by_id("id_full_name-hint")
    assert "nhsuk-hint" in hint.classes
    assert hint.clean_text == "As it appears on your NHS smartcard."
    assert control.attrs["aria-describedby"] == "id_full_name-hint"
    assert group.classes == ["nhsuk-form-group"]


def test_email_input_keeps_its_type_and_has_no_describedby_without_hint(unbound):
    _html, doc = unbound
    control = doc.by_id("id_email")
    assert control.attrs["type"] == "email"
    assert "nhsuk-input" in control.classes
    assert "aria-describedby" not in control.attrs
    assert doc.find("label", for_="id_email").clean_text == "Work email address"


def test_widget_type_attribute_is_respected(unbound):
    _html, doc = unbound
    assert doc.by_id("id_phone_number").attrs["type"] == "tel"


def test_select_is_an_nhsuk_select(unbound):
    _html, doc = unbound
    control = doc.by_id("id_role")
    assert control.tag == "select"
    assert control.classes == ["nhsuk-select"]
    assert doc.find("label", for_="id_role").clean_text == "Your role"
    options = control.find_all("option")
    assert [option.attrs["value"] for option in options] == ["", "gp", "nurse"]
    assert [option.clean_text for option in options] == ["Choose a role", "GP", "Practice nurse"]


def test_textarea_is_an_nhsuk_textarea(unbound):
    _html, doc = unbound
    control = doc.by_id("id_details")
    assert control.tag == "textarea"
    assert control.classes == ["nhsuk-textarea"]
    assert control.attrs["rows"] == "5"
    assert doc.find("label", for_="id_details").clean_text == "Anything else?"


def test_single_checkbox_is_a_checkboxes_group_with_one_item(unbound):
    _html, doc = unbound
    control = doc.by_id("id_agree")
    assert control.attrs["type"] == "checkbox"
    assert control.classes == ["nhsuk-checkboxes__input"]
    item = control.parent
    assert item.classes == ["nhsuk-checkboxes__item"]
    container = item.parent
    assert container.classes == ["nhsuk-checkboxes"]
    assert container.attrs["data-module"] == "nhsuk-checkboxes"
    assert len(container.find_all("input")) == 1
    label = item.find("label", for_="id_agree")
    assert label.classes == ["nhsuk-label", "nhsuk-checkboxes__label"]
    assert label.clean_text == "I have read the guidance"
    assert control.attrs["aria-describedby"] == "id_agree-item-hint"
    assert "nhsuk-hint" in doc.by_id("id_agree-item-hint").classes


def test_other_single_line_widgets_are_nhsuk_inputs(render):
    class Form(forms.Form):
        born = forms.DateField(label="Date of birth", widget=forms.DateInput)
        count = forms.IntegerField(label="How many?")
        website = forms.URLField(label="Website", assume_scheme="https")
        secret = forms.CharField(label="Password", widget=forms.PasswordInput)

    _html, doc = render(
        Form(data={"born": "not a date", "count": "3", "website": "x", "secret": "hunter2"})
    )
    assert [doc.by_id(f"id_{name}").attrs["type"] for name in ("born", "count", "website")] == [
        "text",
        "number",
        "url",
    ]
    for name in ("born", "count", "website", "secret"):
        assert "nhsuk-input" in doc.by_id(f"id_{name}").classes
    assert doc.by_id("id_born").attrs["value"] == "not a date"
    assert doc.by_id("id_secret").attrs["type"] == "password"
    assert "value" not in doc.by_id("id_secret").attrs  # passwords are never sent back


# --- radios and checkboxes ------------------------------------------------------------------


def test_radios_are_a_fieldset_with_the_label_as_legend(unbound):
    _html, doc = unbound
    first = doc.by_id("id_contact_method_0")
    container = first.closest("div", "nhsuk-radios")
    assert container.attrs["data-module"] == "nhsuk-radios"
    fieldset = container.closest("fieldset")
    assert fieldset.classes == ["nhsuk-fieldset"]
    assert "nhsuk-form-group" in fieldset.parent.classes
    legend = fieldset.find("legend")
    assert "nhsuk-fieldset__legend" in legend.classes
    assert legend.clean_text == "How should we contact you?"
    assert fieldset.attrs["aria-describedby"] == "id_contact_method-hint"
    assert doc.by_id("id_contact_method-hint").clean_text == "Select one option."

    radios = container.find_all("input", cls="nhsuk-radios__input")
    assert [radio.attrs["id"] for radio in radios] == [
        "id_contact_method_0",
        "id_contact_method_1",
        "id_contact_method_2",
    ]
    for radio, (value, text) in zip(radios, CONTACT_CHOICES, strict=True):
        assert radio.attrs["type"] == "radio"
        assert radio.attrs["name"] == "contact_method"
        assert radio.attrs["value"] == value
        assert radio.parent.classes == ["nhsuk-radios__item"]
        label = radio.parent.find("label", for_=radio.attrs["id"])
        assert label.classes == ["nhsuk-label", "nhsuk-radios__label"]
        assert label.clean_text == text
        assert "checked" not in radio.attrs
    # The group's hint belongs to the fieldset, not every radio.
    assert not any("aria-describedby" in radio.attrs for radio in radios)


def test_checkboxes_are_a_fieldset_of_nhsuk_checkboxes(unbound):
    _html, doc = unbound
    first = doc.by_id("id_topics_0")
    container = first.closest("div", "nhsuk-checkboxes")
    assert container.attrs["data-module"] == "nhsuk-checkboxes"
    fieldset = container.closest("fieldset")
    assert fieldset.find("legend").clean_text == "What do you want to learn about?"
    boxes = container.find_all("input", cls="nhsuk-checkboxes__input")
    assert [box.attrs["id"] for box in boxes] == ["id_topics_0", "id_topics_1"]
    for box, (value, text) in zip(boxes, TOPIC_CHOICES, strict=True):
        assert box.attrs["type"] == "checkbox"
        assert box.attrs["name"] == "topics"
        assert box.attrs["value"] == value
        assert box.parent.classes == ["nhsuk-checkboxes__item"]
        label = box.parent.find("label", for_=box.attrs["id"])
        assert label.classes == ["nhsuk-label", "nhsuk-checkboxes__label"]
        assert label.clean_text == text


# --- conditional reveals --------------------------------------------------------------------


def test_conditional_reveal_is_hidden_while_its_option_is_not_selected(unbound):
    _html, doc = unbound
    radio = doc.by_id("id_contact_method_1")
    assert radio.attrs["data-aria-controls"] == "conditional-id_contact_method_1"
    block = doc.by_id("conditional-id_contact_method_1")
    assert block.classes == ["nhsuk-radios__conditional", "nhsuk-radios__conditional--hidden"]
    # It follows its option's item, inside the radios container.
    siblings = [child for child in block.parent.children if isinstance(child, Node)]
    assert siblings[siblings.index(block) - 1] is radio.parent
    # The revealed field is rendered normally inside it, once.
    nested = block.find("input", id="id_phone_number")
    assert "nhsuk-input" in nested.classes
    assert block.find("label", for_="id_phone_number").clean_text == "Phone number"
    assert len(doc.find_all("input", name="phone_number")) == 1
    # Options without conditional content have no reveal.
    assert "data-aria-controls" not in doc.by_id("id_contact_method_0").attrs
    assert not doc.find_all(id="conditional-id_contact_method_0")


def test_conditional_reveal_is_shown_when_its_option_is_selected(render):
    form = SampleForm(data={**VALID_DATA, "contact_method": "phone", "phone_number": "0113"})
    _html, doc = render(form)
    assert "checked" in doc.by_id("id_contact_method_1").attrs
    block = doc.by_id("conditional-id_contact_method_1")
    assert block.classes == ["nhsuk-radios__conditional"]
    assert block.find("input", id="id_phone_number").attrs["value"] == "0113"


def test_conditional_reveal_follows_initial_data(render):
    _html, doc = render(SampleForm(initial={"contact_method": "phone"}))
    assert doc.by_id("conditional-id_contact_method_1").classes == ["nhsuk-radios__conditional"]


def test_conditional_reveal_on_checkboxes_and_a_single_checkbox(render):
    class Form(forms.Form):
        topics = forms.MultipleChoiceField(
            label="Topics", choices=TOPIC_CHOICES, widget=forms.CheckboxSelectMultiple
        )
        other = forms.CharField(label="Which police force?", required=False)
        agree = forms.BooleanField(label="Send me updates", required=False)
        address = forms.EmailField(label="Email for updates", required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()
            self.helper.layout = Layout(
                Field("topics", conditionals={"police": ["other"]}),
                Field("agree", conditionals={True: ["address"]}),
            )

    _html, doc = render(Form())
    block = doc.by_id("conditional-id_topics_1")
    assert block.classes == [
        "nhsuk-checkboxes__conditional",
        "nhsuk-checkboxes__conditional--hidden",
    ]
    assert doc.by_id("id_topics_1").attrs["data-aria-controls"] == "conditional-id_topics_1"
    assert block.find("input", id="id_other")
    single = doc.by_id("conditional-id_agree")
    assert "nhsuk-checkboxes__conditional--hidden" in single.classes
    assert single.find("input", id="id_address")

    _html, doc = render(Form(data={"topics": ["police"], "agree": "on"}))
    assert doc.by_id("conditional-id_topics_1").classes == ["nhsuk-checkboxes__conditional"]
    assert doc.by_id("conditional-id_agree").classes == ["nhsuk-checkboxes__conditional"]


def test_conditional_for_a_value_that_is_not_a_choice_is_an_error(render):
    form = SampleForm()
    form.helper.layout = Layout(ConditionalRadios("contact_method", {"fax": ["phone_number"]}))
    with pytest.raises(ImproperlyConfigured, match="fax"):
        render(form)


def test_conditionals_need_exactly_one_field():
    with pytest.raises(ValueError, match="exactly one field"):
        Field("a", "b", conditionals={"x": ["c"]})


# --- errors ---------------------------------------------------------------------------------


def test_errored_fields_show_nhsuk_error_messages(invalid):
    _html, doc = invalid
    control = doc.by_id("id_email")
    assert control.classes == ["nhsuk-input", "nhsuk-input--error"]
    assert control.attrs["aria-describedby"] == "id_email-error"
    assert group_of(control).classes == ["nhsuk-form-group", "nhsuk-form-group--error"]
    message = doc.by_id("id_email-error")
    assert message.tag == "span"
    assert message.classes == ["nhsuk-error-message"]
    prefix = message.find("span", cls="nhsuk-u-visually-hidden")
    assert prefix.text.strip() == "Error:"
    assert message.clean_text == "Error: Enter a valid email address."


def test_error_and_hint_are_both_described(render):
    _html, doc = render(SampleForm(data={"full_name": ""}))
    control = doc.by_id("id_full_name")
    assert control.attrs["aria-describedby"] == "id_full_name-hint id_full_name-error"
    assert control.classes == ["nhsuk-input", "nhsuk-input--error", "nhsuk-input--width-20"]
    radios_fieldset = doc.by_id("id_contact_method_0").closest("fieldset")
    assert radios_fieldset.attrs["aria-describedby"] == (
        "id_contact_method-hint id_contact_method-error"
    )
    checkbox = doc.by_id("id_agree")
    # As the checkboxes macro does for an item's hint: the error message first.
    assert checkbox.attrs["aria-describedby"] == "id_agree-error id_agree-item-hint"


def test_each_component_has_its_error_modifier(invalid):
    _html, doc = invalid
    assert doc.by_id("id_role").classes == ["nhsuk-select", "nhsuk-select--error"]
    assert doc.by_id("id_details").classes == ["nhsuk-textarea", "nhsuk-textarea--error"]
    for control_id in ("id_role", "id_details", "id_topics_0", "id_agree", "id_phone_number"):
        assert "nhsuk-form-group--error" in group_of(doc.by_id(control_id)).classes, control_id
    topics_fieldset = doc.by_id("id_topics_0").closest("fieldset")
    assert topics_fieldset.attrs["aria-describedby"] == "id_topics-error"
    assert "nhsuk-error-message" in doc.by_id("id_topics-error").classes


def test_error_summary_lists_every_error_in_page_order(invalid):
    _html, doc = invalid
    summary = doc.find("div", cls="nhsuk-error-summary")
    assert summary.attrs["data-module"] == "nhsuk-error-summary"
    alert = summary.find("div", role="alert")
    heading = alert.find("h2", cls="nhsuk-error-summary__heading")
    assert heading.clean_text == "There is a problem"
    items = alert.find("ul", cls="nhsuk-error-summary__list").find_all("li")
    entries = []
    for item in items:
        links = item.find_all("a")
        entries.append((links[0].attrs["href"] if links else None, item.clean_text))
    assert entries == [
        (None, "We could not check your details"),
        ("#id_email", "Enter a valid email address."),
        # Links sharing a message carry the field's label as visually hidden context.
        ("#id_role", "This field is required.: Your role"),
        ("#id_phone_number", "Enter a phone number"),
        ("#id_topics_0", "This field is required.: What do you want to learn about?"),
        ("#id_agree", "This field is required.: I have read the guidance"),
        ("#id_details", "This field is required.: Anything else?"),
    ]
    for href, _text in entries:
        if href:
            doc.by_id(href[1:])  # every link has a target


def test_error_summary_is_the_first_thing_in_the_form(invalid):
    _html, doc = invalid
    form = doc.find("form")
    elements = [child for child in form.children if isinstance(child, Node)]
    assert elements[0].attrs.get("name") == "csrfmiddlewaretoken"
    assert "nhsuk-error-summary" in elements[1].classes
    assert len(doc.find_all("div", cls="nhsuk-error-summary")) == 1


def test_error_summary_links_radios_to_the_first_option(render):
    form = SampleForm(data={**VALID_DATA, "contact_method": ""})
    assert not form.is_valid()
    _html, doc = render(form)
    summary = doc.find("div", cls="nhsuk-error-summary")
    assert [a.attrs["href"] for a in summary.find_all("a")] == ["#id_contact_method_0"]


def test_no_error_summary_or_messages_without_errors(render, unbound):
    for _html, doc in (unbound, render(SampleForm(data=VALID_DATA))):
        assert not doc.find_all(cls="nhsuk-error-summary")
        assert not doc.find_all(cls="nhsuk-error-message")
        assert not doc.find_all(cls="nhsuk-form-group--error")


def test_error_summary_can_be_left_to_the_page(render):
    form = SampleForm(data={})
    form.helper.show_error_summary = False
    _html, doc = render(form)
    assert not doc.find_all(cls="nhsuk-error-summary")
    assert doc.find_all(cls="nhsuk-error-message")

    template = '{% include "nhsuk/error_summary.html" with form=form %}'
    _html, doc = render(form, template)
    links = doc.find("div", cls="nhsuk-error-summary").find_all("a")
    assert links[0].attrs["href"] == "#id_full_name"


def test_standalone_error_summary_renders_nothing_for_a_valid_form(render):
    html, _doc = render(SampleForm(data=VALID_DATA), '{% include "nhsuk/error_summary.html" %}')
    assert html.strip() == ""


def test_error_summary_title_follows_the_helper(render):
    form = SampleForm(data={})
    form.helper.form_error_title = "Check your answers"
    _html, doc = render(form)
    assert doc.find("h2", cls="nhsuk-error-summary__heading").clean_text == "Check your answers"


def test_hidden_field_errors_are_listed_without_a_link(render):
    class Form(forms.Form):
        step = forms.CharField(label="Step", widget=forms.HiddenInput)
        name = forms.CharField(label="Name")

    _html, doc = render(Form(data={"name": "x"}))
    summary = doc.find("div", cls="nhsuk-error-summary")
    assert not summary.find_all("a")
    assert summary.find("li").clean_text == "Step: This field is required."
    hidden = doc.by_id("id_step")
    assert hidden.attrs["type"] == "hidden"


def test_form_show_errors_false_hides_all_errors(render):
    form = SampleForm(data={})
    form.helper.form_show_errors = False
    _html, doc = render(form)
    assert not doc.find_all(cls="nhsuk-error-summary")
    assert not doc.find_all(cls="nhsuk-error-message")


# --- values and escaping --------------------------------------------------------------------


def test_values_are_kept_when_the_form_is_shown_again(render):
    data = {
        **VALID_DATA,
        "email": "not an email",
        "contact_method": "post",
        "topics": ["safety", "police"],
        "details": "Line one\nLine two",
    }
    _html, doc = render(SampleForm(data=data))
    assert doc.by_id("id_full_name").attrs["value"] == "Alice Example"
    assert doc.by_id("id_email").attrs["value"] == "not an email"
    selected = doc.by_id("id_role").find_all("option", selected="")
    assert [option.attrs["value"] for option in selected] == ["gp"]
    assert "checked" in doc.by_id("id_contact_method_2").attrs
    assert "checked" not in doc.by_id("id_contact_method_0").attrs
    assert "checked" in doc.by_id("id_topics_0").attrs
    assert "checked" in doc.by_id("id_topics_1").attrs
    assert "checked" in doc.by_id("id_agree").attrs
    assert doc.by_id("id_details").text.lstrip("\n") == "Line one\nLine two"


def test_html_in_values_labels_and_messages_is_escaped(render):
    class Form(forms.Form):
        name = forms.CharField(label="<b>Name</b>", help_text="<i>hint</i>")
        choice = forms.ChoiceField(
            label="Pick",
            choices=[("<x>", "<img src=x onerror=alert(1)>")],
            widget=forms.RadioSelect,
        )
        notes = forms.CharField(label="Notes", widget=forms.Textarea)

        def clean_name(self):
            raise ValidationError("<script>alert('message')</script>")

    payload = "<script>alert(1)</script>"
    html, doc = render(Form(data={"name": payload, "notes": f"</textarea>{payload}"}))
    assert "<script>" not in html
    assert "<b>" not in html and "<i>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert doc.by_id("id_name").attrs["value"] == payload
    assert doc.find("label", for_="id_name").clean_text == "<b>Name</b>"
    assert doc.by_id("id_name-hint").clean_text == "<i>hint</i>"
    assert doc.by_id("id_choice_0").attrs["value"] == "<x>"
    assert doc.by_id("id_notes").text.lstrip("\n") == f"</textarea>{payload}"
    assert "<script>alert('message')</script>" in doc.by_id("id_name-error").text


def test_quotes_cannot_break_out_of_an_attribute_in_any_component(render):
    """Every component is written in Python (core/field_markup.py): each one escapes quotes."""
    breakout = '" onfocus="alert(1)'

    class Form(forms.Form):
        text = forms.CharField(label=breakout, help_text=breakout)
        pick = forms.ChoiceField(choices=[(breakout, breakout)])
        many = forms.MultipleChoiceField(
            choices=[(breakout, breakout)], widget=forms.CheckboxSelectMultiple
        )
        agree = forms.BooleanField(label=breakout, help_text=breakout)
        notes = forms.CharField(widget=forms.Textarea)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()
            self.helper.layout = Layout(
                Fieldset(breakout, "text", "pick", hint=breakout), "many", "agree", "notes"
            )

    html, doc = render(Form(data={"text": breakout, "notes": breakout, "many": [breakout]}))
    assert "onfocus" not in {name for node in doc.iter() for name in node.attrs}
    assert doc.by_id("id_text").attrs["value"] == breakout
    assert doc.find("option").attrs["value"] == breakout
    assert doc.by_id("id_many_0").attrs["value"] == breakout
    assert doc.find("legend").clean_text == breakout
    assert html.count("&quot; onfocus=&quot;alert(1)") >= 9


# --- accessibility wiring -------------------------------------------------------------------


@pytest.mark.parametrize("state", ["unbound", "invalid"])
def test_ids_are_unique_and_every_reference_resolves(request, state):
    _html, doc = request.getfixturevalue(state)
    ids = [node.attrs["id"] for node in doc.iter() if "id" in node.attrs]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    known = set(ids)
    for node in doc.iter():
        for ref in node.attrs.get("aria-describedby", "").split():
            assert ref in known, (node.tag, node.attrs)
        if node.tag == "label":
            assert node.attrs.get("for") in known, node.attrs
        if "data-aria-controls" in node.attrs:
            assert node.attrs["data-aria-controls"] in known


@pytest.mark.parametrize("state", ["unbound", "invalid"])
def test_every_control_has_a_label(request, state):
    _html, doc = request.getfixturevalue(state)
    labelled = {node.attrs["for"] for node in doc.find_all("label")}
    controls = [
        node
        for node in doc.iter()
        if node.tag in ("select", "textarea")
        or (node.tag == "input" and node.attrs.get("type") != "hidden")
    ]
    assert len(controls) == 11  # 5 single controls, 3 radios, 2 checkboxes, 1 checkbox
    for control in controls:
        assert control.attrs["id"] in labelled, control.attrs
        if control.attrs.get("type") in ("radio", "checkbox") and control.attrs["id"] != "id_agree":
            assert control.closest("fieldset").find("legend").clean_text


# --- layout objects -------------------------------------------------------------------------


def test_fieldset_layout_object(unbound):
    _html, doc = unbound
    fieldset = doc.by_id("id_full_name").closest("fieldset")
    assert fieldset.classes == ["nhsuk-fieldset"]
    assert fieldset.parent.classes == ["nhsuk-form-group"]
    legend = fieldset.find("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--l"]
    heading = legend.find("h1")
    assert heading.classes == ["nhsuk-fieldset__heading"]
    assert heading.clean_text == "About you"
    hint = doc.by_id(fieldset.attrs["aria-describedby"])
    assert hint.classes == ["nhsuk-hint"]
    assert hint.clean_text == "We use these to send your certificate."
    assert fieldset.find("input", id="id_email")


def test_fieldset_without_heading_or_hint(render):
    form = SampleForm()
    form.helper.layout = Layout(Fieldset("Contact", "email", size="s"))
    _html, doc = render(form)
    fieldset = doc.find("fieldset")
    legend = fieldset.find("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--s"]
    assert legend.clean_text == "Contact"
    assert not legend.find_all("h1")
    assert "aria-describedby" not in fieldset.attrs


def test_fieldset_size_is_checked():
    with pytest.raises(ValueError, match="size"):
        Fieldset("Legend", "a", size="huge")


def test_submit_buttons(unbound):
    _html, doc = unbound
    primary, secondary = doc.find_all("button")
    assert primary.attrs["type"] == "submit"
    assert primary.classes == ["nhsuk-button"]
    assert primary.attrs["data-module"] == "nhsuk-button"
    assert primary.clean_text == "Continue"
    assert "name" not in primary.attrs and "value" not in primary.attrs
    assert secondary.classes == ["nhsuk-button", "nhsuk-button--secondary"]
    assert secondary.attrs["name"] == "action"
    assert secondary.attrs["value"] == "draft"
    assert secondary.clean_text == "Save as draft"


def test_inputs_added_to_the_helper_are_nhsuk_buttons(render):
    form = SampleForm()
    form.helper.layout = Layout("email")
    form.helper.add_input(Submit("Send"))
    form.helper.add_input(crispy_layout.Submit("save", "Save"))
    form.helper.add_input(crispy_layout.Hidden("step", "2"))
    _html, doc = render(form)
    first, second = doc.find_all("button")
    assert first.clean_text == "Send" and first.classes == ["nhsuk-button"]
    assert second.clean_text == "Save" and second.classes == ["nhsuk-button"]
    assert second.attrs["name"] == "save"
    assert doc.find("input", name="step").attrs == {"type": "hidden", "name": "step", "value": "2"}


def test_button_group(render):
    form = SampleForm()
    form.helper.layout = Layout(
        "email",
        ButtonGroup(Submit("Save"), HTML('<a class="nhsuk-link" href="/">Cancel</a>')),
    )
    _html, doc = render(form)
    group = doc.find("div", cls="nhsuk-button-group")
    assert group.find("button").clean_text == "Save"
    assert group.find("a").attrs["href"] == "/"


def test_field_options(render):
    form = SampleForm()
    form.helper.layout = Layout(
        Field("full_name", label_size="l", is_page_heading=True, css_class="extra"),
        Field("email", hint="Your nhs.net address", wrapper_class="custom-group"),
        Field("contact_method", inline=True, label_size="m"),
        Field("details", placeholder="Optional"),
    )
    _html, doc = render(form)
    label = doc.find("label", for_="id_full_name")
    assert label.classes == ["nhsuk-label", "nhsuk-label--l"]
    assert label.parent.tag == "h1" and label.parent.classes == ["nhsuk-label-wrapper"]
    assert doc.by_id("id_full_name").classes == ["nhsuk-input", "nhsuk-input--width-20", "extra"]
    email = doc.by_id("id_email")
    assert email.attrs["aria-describedby"] == "id_email-hint"
    assert doc.by_id("id_email-hint").clean_text == "Your nhs.net address"
    assert group_of(email).classes == ["nhsuk-form-group", "custom-group"]
    radios = doc.by_id("id_contact_method_0").closest("div", "nhsuk-radios")
    assert radios.classes == ["nhsuk-radios", "nhsuk-radios--inline"]
    legend = radios.closest("fieldset").find("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"]
    assert doc.by_id("id_details").attrs["placeholder"] == "Optional"


def test_hidden_labels_stay_available_to_screen_readers(render):
    form = SampleForm()
    form.helper.form_show_labels = False
    _html, doc = render(form)
    assert "nhsuk-u-visually-hidden" in doc.find("label", for_="id_email").classes


# --- other ways in --------------------------------------------------------------------------


def test_crispy_filter_renders_fields_and_summary_without_a_form_tag(render):
    class Form(forms.Form):
        name = forms.CharField(label="Name", help_text="Your full name")
        colour = forms.ChoiceField(
            label="Colour", choices=[("r", "Red"), ("b", "Blue")], widget=forms.RadioSelect
        )

    _html, doc = render(Form(), "{% load crispy_forms_tags %}{{ form|crispy }}")
    assert not doc.find_all("form")
    assert doc.by_id("id_name").attrs["aria-describedby"] == "id_name-hint"
    assert doc.by_id("id_colour_0").closest("div", "nhsuk-radios")

    _html, doc = render(Form(data={}), "{% load crispy_forms_tags %}{{ form|crispy }}")
    links = doc.find("div", cls="nhsuk-error-summary").find_all("a")
    assert [a.attrs["href"] for a in links] == ["#id_name", "#id_colour_0"]


def test_crispy_tag_without_a_helper_renders_every_field(render):
    class Form(forms.Form):
        name = forms.CharField(label="Name")
        notes = forms.CharField(label="Notes", widget=forms.Textarea)

    _html, doc = render(Form())
    form_tag = doc.find("form")
    assert form_tag.attrs["method"] == "post"
    assert form_tag.find("input", id="id_name")
    assert form_tag.find("textarea", id="id_notes")


def test_as_crispy_field_filter(render):
    html, doc = render(
        SampleForm(), "{% load crispy_forms_tags %}{{ form.full_name|as_crispy_field }}"
    )
    assert doc.by_id("id_full_name").classes == ["nhsuk-input", "nhsuk-input--width-20"]
    assert "<form" not in html


def test_formsets_render_each_form_with_one_error_summary(render):
    class Form(forms.Form):
        name = forms.CharField(label="Name")

    formset_class = forms.formset_factory(Form, extra=0, min_num=2)
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-name": "A"}
    formset = formset_class(data=data)
    assert not formset.is_valid()
    _html, doc = render(
        formset, "{% load crispy_forms_tags %}{% crispy form helper %}", helper=FormHelper()
    )
    form_tag = doc.find("form")
    assert "novalidate" in form_tag.attrs
    assert form_tag.find("input", name="form-TOTAL_FORMS")
    assert doc.by_id("id_form-0-name").attrs["value"] == "A"
    summaries = doc.find_all("div", cls="nhsuk-error-summary")
    assert len(summaries) == 1
    assert [a.attrs["href"] for a in summaries[0].find_all("a")] == ["#id_form-1-name"]
    assert "nhsuk-error-message" in doc.by_id("id_form-1-name-error").classes


def test_crispys_own_fieldset_renders_in_the_pack(render):
    class Form(forms.Form):
        name = forms.CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()
            # crispy renders its Fieldset's legend as a template; core.layout.Fieldset escapes it.
            self.helper.layout = Layout(crispy_layout.Fieldset("About you", "name"))

    html, doc = render(Form())
    legend = doc.find("legend")
    assert legend.clean_text == "About you"
    assert "nhsuk-fieldset__legend--m" in legend.attrs["class"]
    assert doc.find("fieldset").find("input").attrs["name"] == "name"


def test_a_date_as_a_choice_label_is_shown_as_a_template_would_show_it(render):
    import datetime

    from django.utils import formats

    day = datetime.date(2026, 1, 2)

    class Form(forms.Form):
        when = forms.ChoiceField(choices=[("a", day)], widget=forms.RadioSelect)

    _html, doc = render(Form())
    assert doc.find("label", for_="id_when_0").clean_text == formats.localize(day)
