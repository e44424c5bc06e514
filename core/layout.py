"""Layout objects for the NHS.UK crispy-forms template pack (`templates/nhsuk/`).

Forms describe their page with crispy-forms' `FormHelper` and these objects; the pack renders
each field as the matching NHS.UK design-system component (input, textarea, select, radios,
checkboxes), an error summary at the top of the form, and NHS.UK buttons::

    from crispy_forms.helper import FormHelper
    from core.layout import ConditionalRadios, Field, Fieldset, Layout, Submit

    class ContactForm(forms.Form):
        ...
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()          # form_method is "post" by default
            self.helper.layout = Layout(
                Fieldset("Your details", "name", "email", size="l", is_page_heading=True),
                ConditionalRadios("contact_by", {"phone": ["phone_number"],
                                                 "other": [Field("other_way", hint="...")]}),
                Field("postcode", css_class="nhsuk-input--width-10", autocomplete="postal-code"),
                Submit("Continue"),
            )

and the template does ``{% load crispy_forms_tags %}{% crispy form %}``. ``{{ form|crispy }}``
works too for forms that need no layout (write the ``<form method="post" novalidate>`` tag and
``{% csrf_token %}`` yourself then).

Text given to these objects (legends, hints, button text) is escaped like any template
variable; pass `django.utils.safestring.mark_safe` strings to include markup. The same goes
for form fields' labels and ``help_text`` (Django's own form templates output ``help_text``
unescaped; this pack does not, so mark it safe if it really holds markup).

Controls never get the HTML ``required`` attribute: validation is server-side and the error
summary and messages come from the form's errors.

Helper settings the pack honours: ``form_tag``, ``form_method``, ``form_action``, ``form_id``,
``form_class``, ``attrs``, ``disable_csrf``, ``form_show_errors``, ``form_show_labels`` (False
keeps labels for screen readers but hides them visually), ``label_class``,
``form_error_title`` (the error summary's heading, "There is a problem" by default) and, set as
``helper.show_error_summary = False``, leaving the error summary out so the page can show
``{% include "nhsuk/error_summary.html" with form=form %}`` somewhere else.
"""

from crispy_forms import layout as crispy_layout
from crispy_forms.layout import HTML, Div, Layout
from crispy_forms.utils import TEMPLATE_PACK, flatatt, render_field
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.text import slugify

from core import field_markup

__all__ = [
    "HTML",
    "Button",
    "ButtonGroup",
    "ConditionalCheckboxes",
    "ConditionalRadios",
    "Div",
    "Field",
    "Fieldset",
    "Layout",
    "Submit",
]

SIZES = ("s", "m", "l", "xl")


def _check_size(size, what):
    if size is not None and size not in SIZES:
        raise ValueError(f"{what} size must be one of {', '.join(SIZES)}, not {size!r}")


class Button(crispy_layout.BaseInput):
    """An NHS.UK button: ``<button class="nhsuk-button" data-module="nhsuk-button">``.

    :param text: the button's text.
    :param name: optional ``name`` attribute (sent with the form when it is the submitter).
    :param value: optional ``value`` attribute, sent with ``name``.
    :param secondary: use the secondary style (``nhsuk-button--secondary``).
    :param prevent_double_click: set ``data-prevent-double-click="true"``.
    :param css_class: extra classes; ``css_id``: an id. Other keyword arguments become
        attributes (``data_x="1"`` becomes ``data-x="1"``).
    """

    input_type = "button"
    template = "%s/layout/button.html"

    def __init__(
        self,
        text,
        *,
        name=None,
        value=None,
        secondary=False,
        prevent_double_click=False,
        css_class=None,
        css_id=None,
        template=None,
        **attrs,
    ):
        # Not calling BaseInput.__init__: it renders `value` as a template and invents ids.
        self.text = text
        self.name = name
        self.value = value
        self.secondary = secondary
        self.prevent_double_click = prevent_double_click
        self.id = css_id
        self.css_class = css_class or ""
        self.field_classes = " ".join(
            part
            for part in ("nhsuk-button", "nhsuk-button--secondary" if secondary else "", css_class)
            if part
        )
        self.attrs = {}
        self.template = template or self.template
        self.flat_attrs = flatatt(attrs)

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_to_string(self.get_template_name(template_pack), {"input": self})


class Submit(Button):
    """The form's submit button; see `Button` for the options.

    ``Submit("Continue")`` renders
    ``<button type="submit" class="nhsuk-button" data-module="nhsuk-button">Continue</button>``;
    ``Submit("Save as draft", name="action", value="draft", secondary=True)`` a secondary one
    that tells the view which button was used.
    """

    input_type = "submit"


class ButtonGroup(crispy_layout.ButtonHolder):
    """Buttons (and links via `HTML`) side by side: ``<div class="nhsuk-button-group">``."""

    template = "%s/layout/buttonholder.html"


class Fieldset(crispy_layout.Fieldset):
    """Group fields under a legend inside an NHS.UK form group.

    ::

        Fieldset("What is your address?", "line_1", "town", "postcode",
                 size="l", is_page_heading=True, hint="We'll post your letter here.")

    :param legend: the legend text.
    :param fields: field names or layout objects.
    :param size: legend size, one of ``"s"``, ``"m"`` (default), ``"l"``, ``"xl"``
        (``nhsuk-fieldset__legend--<size>``).
    :param hint: optional hint shown under the legend and linked with ``aria-describedby``.
    :param is_page_heading: wrap the legend text in ``<h1 class="nhsuk-fieldset__heading">``.
    :param css_class: extra classes on the ``<fieldset>``; ``css_id``: its id (by default
        derived from the first field's id, e.g. ``id_line_1-fieldset``). Other keyword
        arguments become attributes of the ``<fieldset>``. (Without fields, the id comes from
        the legend: ``fieldset-<slug>``.)
    """

    # None: written by core/field_markup.py; a template name given to a Fieldset is used instead.
    template = None

    def __init__(
        self,
        legend,
        *fields,
        size="m",
        hint="",
        is_page_heading=False,
        css_class=None,
        css_id=None,
        template=None,
        **attrs,
    ):
        _check_size(size, "Legend")
        super().__init__(
            legend, *fields, css_class=css_class, css_id=css_id, template=template, **attrs
        )
        self.size = size
        self.hint = hint
        self.is_page_heading = is_page_heading

    def _fieldset_id(self, form):
        if self.css_id:
            return self.css_id
        for pointer in self.get_field_names():
            if pointer.name in form.fields:
                bound_field = form[pointer.name]
                base = bound_field.auto_id or f"id_{bound_field.html_name}"
                return f"{base}-fieldset"
        return f"fieldset-{slugify(str(self.legend))}"

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields_html = self.get_rendered_fields(form, context, template_pack, **kwargs)
        fieldset_id = self._fieldset_id(form)
        hint_id = f"{fieldset_id}-hint" if self.hint else ""
        if self.template is None:
            return field_markup.fieldset(
                legend_text=self.legend,
                fields_html=fields_html,
                fieldset_id=fieldset_id,
                hint_text=self.hint,
                hint_id=hint_id,
                size=self.size,
                is_page_heading=self.is_page_heading,
                css_class=self.css_class,
                flat_attrs=self.flat_attrs,
            )
        return render_to_string(
            self.get_template_name(template_pack),
            {
                "fieldset": self,
                "legend": self.legend,
                "fields": fields_html,
                "fieldset_id": fieldset_id,
                "hint_id": hint_id,
            },
        )


class Field(crispy_layout.Field):
    """One or more fields with NHS.UK options; other keyword arguments become widget attributes.

    ::

        Field("postcode", css_class="nhsuk-input--width-10", autocomplete="postal-code")
        Field("reason", label_size="l", is_page_heading=True)
        Field("contact_by", inline=True, conditionals={"phone": ["phone_number"]})
        Field("agree", legend="Declaration", conditionals={True: ["signature"]})

    :param label_size: ``"s"``, ``"m"``, ``"l"`` or ``"xl"``: the label's size
        (``nhsuk-label--<size>``), or the legend's for radios and checkboxes.
    :param is_page_heading: make the label (or legend) the page's ``<h1>``.
    :param hint: hint text to use instead of the form field's ``help_text``.
    :param legend: for a single checkbox (BooleanField), put it in a fieldset with this legend.
    :param inline: radios/checkboxes side by side (``nhsuk-radios--inline``).
    :param small: small radios/checkboxes (``nhsuk-radios--small``).
    :param conditionals: conditional reveals for radios, checkboxes or a single checkbox: a
        mapping from a choice's value to a list of field names or layout objects shown under
        that choice when it is selected (e.g. ``{"yes": ["details"]}``; for a single checkbox
        use the key ``True``). The revealed block is ``<div class="nhsuk-radios__conditional">``
        (``nhsuk-checkboxes__conditional``) with id ``conditional-<input id>``; it carries the
        ``--hidden`` modifier only while its choice is not selected, and NHS.UK's JavaScript
        toggles it from then on, so the fields stay usable without JavaScript. Make the
        revealed fields ``required=False`` and check them in ``clean()`` when their choice is
        selected.
    :param exclusive: for checkboxes, the value of a "none of these" choice: it is shown after
        an "or" divider with ``data-behaviour="exclusive"``, so NHS.UK's script unticks the
        others when it is ticked (and it when another is). Without JavaScript both can be
        ticked: check that in ``clean()``.
    :param css_class: classes added to the component's own class, e.g. width classes such as
        ``nhsuk-input--width-10`` or ``nhsuk-u-width-two-thirds``.
    :param wrapper_class: classes added to the ``nhsuk-form-group`` wrapper.
    """

    def __init__(
        self,
        *fields,
        label_size=None,
        is_page_heading=False,
        hint=None,
        legend=None,
        inline=False,
        small=False,
        conditionals=None,
        exclusive=None,
        css_class=None,
        wrapper_class=None,
        template=None,
        **attrs,
    ):
        _check_size(label_size, "Label")
        if conditionals and len(fields) != 1:
            raise ValueError("A Field with conditionals must name exactly one field")
        super().__init__(*fields, css_class=css_class, template=template, **attrs)
        self.wrapper_class = wrapper_class
        self.conditionals = {key: list(items) for key, items in (conditionals or {}).items()}
        self.options = {
            "label_size": label_size,
            "is_page_heading": is_page_heading,
            "hint": hint,
            "legend": legend,
            "inline": inline,
            "small": small,
            "wrapper_class": wrapper_class,
            "exclusive": exclusive,
        }

    def _attrs_for(self, form, name):
        """This object's attributes with `class` added to the widget's classes, not replacing."""
        attrs = dict(self.attrs)
        if "class" in attrs and name in form.fields:
            existing = form.fields[name].widget.attrs.get("class", "").split()
            extra = [c for c in str(attrs["class"]).split() if c not in existing]
            attrs["class"] = " ".join(existing + extra)
        return attrs

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        html = SafeString("")
        for name in self.fields:
            # Revealed fields are rendered first so the field's template can place them.
            conditionals = {
                str(value): Layout(*items).render(form, context, template_pack=template_pack)
                for value, items in self.conditionals.items()
            }
            html += render_field(
                name,
                form,
                context,
                template=self.get_template_name(template_pack),
                attrs=self._attrs_for(form, name),
                template_pack=template_pack,
                extra_context={
                    **(extra_context or {}),
                    "nhsuk": {**self.options, "conditionals": conditionals},
                },
                **kwargs,
            )
        return html


class ConditionalRadios(Field):
    """Radios whose choices reveal more questions: ``Field(name, conditionals=...)``, shorter.

    ::

        ConditionalRadios("contact_by", {"email": ["email"], "phone": ["phone_number"]})
    """

    def __init__(self, field, conditionals, **kwargs):
        super().__init__(field, conditionals=conditionals, **kwargs)


class ConditionalCheckboxes(ConditionalRadios):
    """Checkboxes (or a single checkbox, key ``True``) revealing more questions when ticked."""
