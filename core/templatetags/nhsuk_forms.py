"""Template helpers for the `nhsuk` crispy-forms template pack (`templates/nhsuk/`).

The pack's templates hold the markup; this module works out everything that markup needs
from a bound field: which NHS.UK component it becomes, the ids of its hint and error message,
the classes, the attributes Django would have put on the widget (minus `required`, `class` and
`aria-describedby`, which the pack manages itself), and the options of choice widgets together
with any conditionally revealed content.

Tags and filters:

- ``{% nhsuk_field field as f %}`` — a `FieldView` dict describing one bound field.
- ``{% nhsuk_field_html field %}`` — the field's component, written by `core.field_markup`.
- ``{{ field|nhsuk_widget_kind }}`` — the component a field renders as.
- ``{% nhsuk_error_summary_items form as items %}`` — the error summary's list, in page order.
- ``{% nhsuk_render_input input %}`` — render a button/hidden input added with
  ``helper.add_input()``.
"""

from django import forms, template
from django.core.exceptions import ImproperlyConfigured
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.safestring import mark_safe

from core import field_markup

register = template.Library()

#: The CSS class of each component's control and the modifier added when it has an error.
CONTROL_CLASSES = {
    "input": ("nhsuk-input", "nhsuk-input--error"),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "radios": ("nhsuk-radios", ""),
    "checkboxes": ("nhsuk-checkboxes", ""),
    "checkbox": ("nhsuk-checkboxes", ""),
    "file": ("nhsuk-file-upload__input", ""),
    "other": ("", ""),
}

#: Attributes the templates write themselves, so they are removed from the pass-through set.
#: `required` is dropped on purpose: validation happens on the server and the pack's forms
#: are `novalidate`; browsers' own bubbles are inconsistent and not accessible.
MANAGED_ATTRS = {"id", "name", "type", "value", "class", "required", "aria-describedby"}

LEGEND_SIZES = ("s", "m", "l", "xl")


def widget_kind(bound_field):
    """Return the NHS.UK component a bound field renders as.

    One of: ``hidden``, ``checkboxes`` (CheckboxSelectMultiple), ``radios`` (RadioSelect),
    ``select`` (Select, SelectMultiple, NullBooleanSelect), ``checkbox`` (CheckboxInput),
    ``textarea``, ``file``, ``input`` (any other single `<input>`: text, email, password,
    number, url, tel, date as text, ...), or ``other`` (MultiWidget and anything custom,
    rendered by Django inside an NHS.UK form group).
    """
    widget = bound_field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.MultiWidget):
        return "other"
    if isinstance(widget, Input):
        return "input"
    return "other"


@register.filter(name="nhsuk_widget_kind")
def widget_kind_filter(bound_field):
    return widget_kind(bound_field)


def field_id(bound_field):
    """The id of the field's control; falls back to ``id_<name>`` when the form has no auto_id.

    Every control needs an id so its label, hint and error message can point at it.
    """
    return (
        bound_field.field.widget.attrs.get("id")
        or bound_field.auto_id
        or f"id_{bound_field.html_name}"
    )


def _classes(*chunks):
    """Join class strings, dropping blanks and repeats but keeping order."""
    seen = []
    for chunk in chunks:
        for name in str(chunk or "").split():
            if name not in seen:
                seen.append(name)
    return " ".join(seen)


def _passthrough_attrs(attrs, also_drop=()):
    """Attributes to copy onto the control, as a safe HTML string."""
    drop = MANAGED_ATTRS | set(also_drop)
    kept = {key: value for key, value in attrs.items() if key not in drop}
    return flatatt(kept)


def _option_value(value):
    return "" if value is None else str(value)


def _widget_context(bound_field, attrs):
    widget = bound_field.field.widget
    return widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]


def _render_widget(bound_field, attrs):
    """Let Django render the widget (hidden inputs, MultiWidgets), without `required`."""
    return bound_field.field.widget.render(
        bound_field.html_name, bound_field.value(), attrs=attrs, renderer=bound_field.form.renderer
    )


def _choice_options(bound_field, widget_ctx):
    """Flatten a choice widget's optgroups into option dicts (radios/checkboxes)."""
    options = []
    for _group, group_options, _index in widget_ctx["optgroups"]:
        for option in group_options:
            attrs = option["attrs"]
            options.append(
                {
                    "id": attrs.get("id", ""),
                    "value": _option_value(option["value"]),
                    "label": option["label"],
                    "checked": bool(option["selected"]),
                    "attrs": _passthrough_attrs(attrs, also_drop=("checked",)),
                }
            )
    return options


def _select_groups(widget_ctx):
    """A select's options, grouped as `<optgroup>`s where the choices are grouped."""
    groups = []
    for group_name, group_options, _index in widget_ctx["optgroups"]:
        options = [
            {
                "value": _option_value(option["value"]),
                "label": option["label"],
                "selected": bool(option["selected"]),
                "attrs": _passthrough_attrs(option["attrs"], also_drop=("selected",)),
            }
            for option in group_options
        ]
        groups.append({"label": group_name, "options": options})
    return groups


def error_anchor(bound_field):
    """The id an error summary link should point at: the control, or the first option."""
    kind = widget_kind(bound_field)
    id_ = field_id(bound_field)
    if kind in ("radios", "checkboxes"):
        widget_ctx = _widget_context(bound_field, {"id": id_})
        for _group, group_options, _index in widget_ctx["optgroups"]:
            for option in group_options:
                return option["attrs"].get("id", id_)
        return id_
    if kind == "other":
        return bound_field.field.widget.id_for_label(id_) or id_
    return id_


def _conditionals_for(options, kind, conditional_html, field_name):
    """Attach pre-rendered conditional content to the options it belongs to."""
    if not conditional_html:
        return
    if kind == "checkbox":
        # A single checkbox has one option: any key (conventionally True) reveals with it.
        html = "".join(str(html) for html in conditional_html.values())
        options[0]["conditional_html"] = mark_safe(html)  # noqa: S308 - rendered templates
        options[0]["conditional_id"] = f"conditional-{options[0]['id']}"
        return
    if kind not in ("radios", "checkboxes"):
        raise ImproperlyConfigured(
            f"Conditional reveals need a RadioSelect, CheckboxSelectMultiple or CheckboxInput "
            f"widget; '{field_name}' renders as {kind}."
        )
    by_value = {option["value"]: option for option in options}
    unknown = [key for key in conditional_html if key not in by_value]
    if unknown:
        raise ImproperlyConfigured(
            f"Conditional reveal for '{field_name}' names values that are not among its "
            f"choices: {', '.join(unknown)}."
        )
    for key, html in conditional_html.items():
        option = by_value[key]
        option["conditional_html"] = html
        option["conditional_id"] = f"conditional-{option['id']}"


@register.simple_tag(takes_context=True)
def nhsuk_field(context, bound_field):
    """Describe a bound field for the pack's field templates.

    Reads from the template context: ``nhsuk`` (options set by `core.layout.Field`),
    ``form_show_errors``, ``form_show_labels``, ``label_class`` and ``wrapper_class``
    (crispy's helper/`Field` settings).
    """
    options = context.get("nhsuk") or {}
    show_errors = context.get("form_show_errors") is not False
    show_labels = context.get("form_show_labels") is not False
    widget = bound_field.field.widget
    kind = widget_kind(bound_field)
    id_ = field_id(bound_field)

    hint = options.get("hint")
    if hint is None:
        hint = bound_field.help_text
    errors = list(bound_field.errors) if show_errors else []
    error_id = f"{id_}-error" if errors else ""
    if kind == "checkbox" and not options.get("legend"):
        # The hint sits under the checkbox's label, as the checkboxes macro's item hint does:
        # same id, and read after the error message.
        hint_id = f"{id_}-item-hint" if hint else ""
        described = (error_id, hint_id)
    else:
        hint_id = f"{id_}-hint" if hint else ""
        described = (hint_id, error_id)
    describedby = " ".join(
        part for part in (widget.attrs.get("aria-describedby"), *described) if part
    )

    attrs = {"id": id_}
    if bound_field.field.disabled:
        attrs["disabled"] = True
    if errors and kind in ("input", "textarea", "select", "checkbox", "file"):
        attrs["aria-invalid"] = "true"

    view = {
        "kind": kind,
        "id": id_,
        "name": bound_field.html_name,
        "label": bound_field.label,
        "label_class": _classes(
            context.get("label_class"), "" if show_labels else "nhsuk-u-visually-hidden"
        ),
        "label_for": id_,
        # A label or legend that is the page's heading is large unless told otherwise.
        "label_size": options.get("label_size")
        or ("l" if options.get("is_page_heading") else None),
        "is_page_heading": bool(options.get("is_page_heading")),
        "legend": options.get("legend"),
        "hint": hint,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
        "describedby": describedby,
        "group_class": _classes(
            "nhsuk-form-group",
            "nhsuk-form-group--error" if errors else "",
            "nhsuk-file-upload" if kind == "file" else "",
            context.get("wrapper_class"),
            options.get("wrapper_class"),
        ),
    }

    if kind == "hidden":
        view["html"] = _render_widget(bound_field, attrs)
        return view

    if kind == "other":
        if not widget.use_fieldset and describedby:
            attrs["aria-describedby"] = describedby
        view["label_for"] = widget.id_for_label(id_)
        view["use_fieldset"] = widget.use_fieldset
        view["html"] = _render_widget(bound_field, attrs)
        return view

    widget_ctx = _widget_context(bound_field, attrs)
    merged = widget_ctx["attrs"]
    is_choices = kind in ("radios", "checkboxes")
    base_class, error_class = CONTROL_CLASSES[kind]
    view["control_class"] = _classes(
        base_class,
        error_class if errors else "",
        merged.get("class"),
        f"{base_class}--inline" if options.get("inline") and is_choices else "",
        f"{base_class}--small" if options.get("small") and is_choices else "",
    )

    if is_choices:
        view["options"] = _choice_options(bound_field, widget_ctx)
        if kind == "checkboxes" and options.get("exclusive") is not None:
            for option in view["options"]:
                option["exclusive"] = option["value"] == str(options["exclusive"])
    elif kind == "checkbox":
        view["options"] = [
            {
                "id": id_,
                # CheckboxInput leaves out `value` for booleans; browsers then send "on".
                "value": widget_ctx["value"],
                "label": bound_field.label,
                "checked": bool(merged.get("checked")),
                "attrs": _passthrough_attrs(merged, also_drop=("checked",)),
            }
        ]
    elif kind == "select":
        view["groups"] = _select_groups(widget_ctx)
        view["attrs"] = _passthrough_attrs(merged)
    else:  # input, textarea, file
        view["input_type"] = widget_ctx.get("type", "text")
        view["value"] = widget_ctx["value"]
        # Django gives every Textarea cols="40"; NHS.UK textareas are sized by CSS and `rows`.
        view["attrs"] = _passthrough_attrs(
            merged, also_drop=("cols",) if kind == "textarea" else ()
        )

    _conditionals_for(
        view.get("options") or [], kind, options.get("conditionals"), bound_field.name
    )
    return view


@register.simple_tag(takes_context=True)
def nhsuk_field_html(context, bound_field):
    """Render a bound field as its NHS.UK component (the pack's field.html)."""
    return field_markup.render(nhsuk_field(context, bound_field))


def _layout_field_order(layout_object):
    """Field names in the order a layout renders them, conditional content included."""
    if layout_object is None:
        return []
    names = []
    for item in getattr(layout_object, "fields", None) or []:
        if isinstance(item, str):
            names.append(item)
        else:
            names.extend(_layout_field_order(item))
    conditionals = getattr(layout_object, "conditionals", None) or {}
    for items in conditionals.values():
        for item in items:
            names.extend([item] if isinstance(item, str) else _layout_field_order(item))
    return names


def error_summary_items(form):
    """The error summary's entries: ``{"text": ..., "href": ...}`` dicts.

    Errors not tied to a field come first, unlinked. Field errors follow in the order the
    form's layout shows the fields (then the form's own field order), each linking to the
    field's control — for radios and checkboxes, the first option.
    """
    if form is None or not getattr(form, "errors", None):
        return []
    items = [{"text": message, "href": ""} for message in form.non_field_errors()]

    helper = getattr(form, "helper", None)
    order = []
    for name in [*_layout_field_order(getattr(helper, "layout", None)), *form.fields]:
        if name in form.fields and name not in order:
            order.append(name)
    for name in order:
        if name not in form.errors:
            continue
        bound_field = form[name]
        if bound_field.is_hidden:
            # Nothing on the page to link to, so say which field the message is about.
            items.extend(
                {"text": f"{bound_field.label}: {message}", "href": ""}
                for message in form.errors[name]
            )
        else:
            href = f"#{error_anchor(bound_field)}"
            items.extend(
                {"text": message, "href": href, "field": bound_field.label}
                for message in form.errors[name]
            )
    _tell_repeated_links_apart(items)
    return items


def _tell_repeated_links_apart(items):
    """Give links that share a message the field's label as visually hidden context.

    Six survey questions left blank give six "Select how much you agree" links to six places;
    a screen reader listing the page's links would hear six identical ones.
    """
    texts = [str(item["text"]) for item in items if item["href"]]
    for item in items:
        if item["href"] and texts.count(str(item["text"])) > 1:
            item["context"] = item["field"]


@register.simple_tag
def nhsuk_error_summary_items(form):
    return error_summary_items(form)


@register.simple_tag
def nhsuk_formset_error_summary_items(formset):
    """Error summary entries for a formset: its own errors, then each form's."""
    if formset is None:
        return []
    items = [{"text": message, "href": ""} for message in formset.non_form_errors()]
    for form in formset.forms:
        items.extend(error_summary_items(form))
    return items


@register.simple_tag(takes_context=True)
def nhsuk_render_input(context, input_object):
    """Render a layout input (e.g. from ``helper.add_input``) without leaking context."""
    with context.push():
        return input_object.render(context.get("form"), context, template_pack="nhsuk")


@register.filter
def nhsuk_legend_size(size):
    """Return a fieldset legend size modifier class for a valid size, else ''."""
    return f"nhsuk-fieldset__legend--{size}" if size in LEGEND_SIZES else ""


@register.filter
def nhsuk_label_size(size):
    """Return a label size modifier class for a valid size, else ''."""
    return f"nhsuk-label--{size}" if size in LEGEND_SIZES else ""
