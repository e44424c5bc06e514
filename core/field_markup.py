"""The markup of each NHS.UK form component, written in Python from a field's description.

`core.templatetags.nhsuk_forms.nhsuk_field` works out what a bound field needs (ids, classes,
attributes, options); this module turns that description into the component's HTML. It used
to be a Django template per component with includes for the label, hint and error message;
a profile of the screening checklist put two thirds of the page's time in those per-field
includes, so the same markup is now joined here, once per field (measured in
docs/benchmarks.md). The markup is checked against NHS England's own macros
(nhsuk-frontend-jinja) by tests/components, and every value from outside is escaped.
"""

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

LEGEND_SIZES = ("s", "m", "l", "xl")


def _e(value) -> str:
    """Escape a value as `{{ value }}` does in a template: safe strings are kept, and numbers,
    dates and times are localised first (a date as a choice's label, say)."""
    if not isinstance(value, str):
        value = localize(template_localtime(value))
    return conditional_escape(value)


def _size_class(prefix: str, size) -> str:
    return f" {prefix}--{size}" if size in LEGEND_SIZES else ""


def _describedby(f: dict) -> str:
    return f' aria-describedby="{_e(f["describedby"])}"' if f.get("describedby") else ""


def label(f: dict) -> str:
    """The field's `<label>`, inside an `<h1>` when the label is the page's heading."""
    if not f.get("label"):
        return ""
    classes = "nhsuk-label" + _size_class("nhsuk-label", f.get("label_size"))
    if f.get("label_class"):
        classes += f" {_e(f['label_class'])}"
    target = f' for="{_e(f["label_for"])}"' if f.get("label_for") else ""
    html = f'<label class="{classes}"{target}>{_e(f["label"])}</label>'
    if f.get("is_page_heading"):
        return f'<h1 class="nhsuk-label-wrapper">{html}</h1>'
    return html


def legend(text, *, size=None, is_page_heading=False, legend_class="") -> str:
    """A fieldset's `<legend>`, its text an `<h1>` when it is the page's heading."""
    classes = "nhsuk-fieldset__legend" + _size_class("nhsuk-fieldset__legend", size)
    if legend_class:
        classes += f" {_e(legend_class)}"
    inner = f'<h1 class="nhsuk-fieldset__heading">{_e(text)}</h1>' if is_page_heading else _e(text)
    return f'<legend class="{classes}">{inner}</legend>'


def hint(f: dict) -> str:
    if not f.get("hint"):
        return ""
    return f'<div class="nhsuk-hint" id="{_e(f["hint_id"])}">{_e(f["hint"])}</div>'


def error_message(f: dict) -> str:
    """The inline error message: every message, each after a visually hidden "Error:"."""
    if not f.get("errors"):
        return ""
    messages = "<br>".join(
        f'<span class="nhsuk-u-visually-hidden">Error: </span>{_e(error)}' for error in f["errors"]
    )
    return f'<span class="nhsuk-error-message" id="{_e(f["error_id"])}">{messages}</span>'


def _label_hint_error(f: dict) -> str:
    return label(f) + hint(f) + error_message(f)


def _field_legend(f: dict, text, legend_class) -> str:
    return legend(
        text,
        size=f.get("label_size"),
        is_page_heading=f.get("is_page_heading"),
        legend_class=legend_class,
    )


def text_input(f: dict) -> str:
    value = f.get("value")
    value_attr = f' value="{_e(str(value))}"' if value is not None else ""
    return (
        f'<div class="{_e(f["group_class"])}">\n  {_label_hint_error(f)}\n'
        f'  <input class="{_e(f["control_class"])}" id="{_e(f["id"])}" name="{_e(f["name"])}"'
        f' type="{_e(f["input_type"])}"{value_attr}{_describedby(f)}{f["attrs"]}>\n</div>\n'
    )


def textarea(f: dict) -> str:
    value = _e(f["value"]) if f.get("value") else ""
    return (
        f'<div class="{_e(f["group_class"])}">\n  {_label_hint_error(f)}\n'
        f'  <textarea class="{_e(f["control_class"])}" id="{_e(f["id"])}" name="{_e(f["name"])}"'
        f"{_describedby(f)}{f['attrs']}>\n{value}</textarea>\n</div>\n"
    )


def file_upload(f: dict) -> str:
    return (
        f'<div class="{_e(f["group_class"])}" data-module="nhsuk-file-upload">\n'
        f"  {_label_hint_error(f)}\n"
        f'  <input class="{_e(f["control_class"])}" id="{_e(f["id"])}" name="{_e(f["name"])}"'
        f' type="file"{_describedby(f)}{f["attrs"]}>\n</div>\n'
    )


def select(f: dict) -> str:
    parts = []
    for group in f["groups"]:
        if group["label"]:
            parts.append(f'<optgroup label="{_e(group["label"])}">')
        for option in group["options"]:
            selected = " selected" if option["selected"] else ""
            parts.append(
                f'<option value="{_e(option["value"])}"{selected}{option["attrs"]}>'
                f"{_e(option['label'])}</option>\n    "
            )
        if group["label"]:
            parts.append("</optgroup>\n    ")
    return (
        f'<div class="{_e(f["group_class"])}">\n  {_label_hint_error(f)}\n'
        f'  <select class="{_e(f["control_class"])}" id="{_e(f["id"])}" name="{_e(f["name"])}"'
        f"{_describedby(f)}{f['attrs']}>\n    {''.join(parts)}\n  </select>\n</div>\n"
    )


def choices(f: dict, *, prefix: str, input_type: str) -> str:
    """Radios or checkboxes in a fieldset whose legend is the field's label."""
    items = []
    for option in f["options"]:
        if option.get("exclusive"):
            items.append(f'<div class="{prefix}__divider">or</div>\n      ')
        checked = " checked" if option["checked"] else ""
        exclusive = ' data-behaviour="exclusive"' if option.get("exclusive") else ""
        conditional_id = option.get("conditional_id")
        controls = f' data-aria-controls="{_e(conditional_id)}"' if conditional_id else ""
        items.append(
            f'<div class="{prefix}__item">\n'
            f'        <input class="{prefix}__input" id="{_e(option["id"])}" name="{_e(f["name"])}"'
            f' type="{input_type}" value="{_e(option["value"])}"{checked}{exclusive}{controls}'
            f"{option['attrs']}>\n"
            f'        <label class="nhsuk-label {prefix}__label" for="{_e(option["id"])}">'
            f"{_e(option['label'])}</label>\n      </div>\n      "
        )
        if conditional_id:
            hidden = "" if option["checked"] else f" {prefix}__conditional--hidden"
            items.append(
                f'<div class="{prefix}__conditional{hidden}" id="{_e(conditional_id)}">\n'
                f"        {_e(option['conditional_html'])}\n      </div>\n      "
            )
    heading = _field_legend(f, f["label"], f.get("label_class")) if f.get("label") else ""
    return (
        f'<div class="{_e(f["group_class"])}">\n'
        f'  <fieldset class="nhsuk-fieldset"{_describedby(f)}>\n'
        f"    {heading}{hint(f)}{error_message(f)}\n"
        f'    <div class="{_e(f["control_class"])}" data-module="{prefix}">\n'
        f"      {''.join(items)}\n    </div>\n  </fieldset>\n</div>\n"
    )


def checkbox(f: dict) -> str:
    """A single checkbox (BooleanField) as a checkboxes group with one item.

    With a `legend` it sits in a fieldset whose hint is under the legend; otherwise its hint
    sits under its label, as the checkboxes macro's item hint does.
    """
    option = f["options"][0]
    in_fieldset = bool(f.get("legend"))
    opening = ""
    if in_fieldset:
        opening = (
            f'<fieldset class="nhsuk-fieldset"{_describedby(f)}>\n'
            f"    {_field_legend(f, f['legend'], '')}{hint(f)}\n  "
        )
    value = f' value="{_e(option["value"])}"' if option["value"] is not None else ""
    checked = " checked" if option["checked"] else ""
    conditional_id = option.get("conditional_id")
    controls = f' data-aria-controls="{_e(conditional_id)}"' if conditional_id else ""
    described = _describedby(f) if not in_fieldset else ""
    label_class = f" {_e(f['label_class'])}" if f.get("label_class") else ""
    item_hint = ""
    if f.get("hint") and not in_fieldset:
        item_hint = (
            f'\n      <div class="nhsuk-hint nhsuk-checkboxes__hint" id="{_e(f["hint_id"])}">'
            f"{_e(f['hint'])}</div>"
        )
    reveal = ""
    if conditional_id:
        hidden = "" if option["checked"] else " nhsuk-checkboxes__conditional--hidden"
        reveal = (
            f'<div class="nhsuk-checkboxes__conditional{hidden}" id="{_e(conditional_id)}">\n'
            f"      {_e(option['conditional_html'])}\n    </div>\n  "
        )
    closing = "</fieldset>\n" if in_fieldset else ""
    return (
        f'<div class="{_e(f["group_class"])}">\n  {opening}{error_message(f)}\n'
        f'  <div class="{_e(f["control_class"])}" data-module="nhsuk-checkboxes">\n'
        f'    <div class="nhsuk-checkboxes__item">\n'
        f'      <input class="nhsuk-checkboxes__input" id="{_e(option["id"])}"'
        f' name="{_e(f["name"])}" type="checkbox"{value}{checked}{controls}{described}'
        f"{option['attrs']}>\n"
        f'      <label class="nhsuk-label nhsuk-checkboxes__label{label_class}"'
        f' for="{_e(option["id"])}">{_e(option["label"])}</label>{item_hint}\n'
        f"    </div>\n    {reveal}</div>\n  {closing}</div>\n"
    )


def other(f: dict) -> str:
    """A widget without an NHS.UK component (a MultiWidget, say): Django renders the control."""
    if f.get("use_fieldset"):
        heading = _field_legend(f, f["label"], f.get("label_class")) if f.get("label") else ""
        opening = f'<fieldset class="nhsuk-fieldset"{_describedby(f)}>\n    {heading}'
        closing = "</fieldset>\n"
    else:
        opening, closing = label(f), ""
    return (
        f'<div class="{_e(f["group_class"])}">\n  {opening}{hint(f)}{error_message(f)}\n'
        f"  {_e(f['html'])}\n  {closing}</div>\n"
    )


def fieldset(
    *,
    legend_text,
    fields_html,
    fieldset_id,
    hint_text,
    hint_id,
    size,
    is_page_heading,
    css_class,
    flat_attrs,
) -> SafeString:
    """A layout Fieldset: several fields under one legend, in an NHS.UK form group."""
    classes = "nhsuk-fieldset" + (f" {_e(css_class)}" if css_class else "")
    id_attr = f' id="{_e(fieldset_id)}"' if fieldset_id else ""
    described = f' aria-describedby="{_e(hint_id)}"' if hint_id else ""
    heading = legend(legend_text, size=size, is_page_heading=is_page_heading) if legend_text else ""
    hint_html = (
        f'\n    <div class="nhsuk-hint" id="{_e(hint_id)}">{_e(hint_text)}</div>' if hint_id else ""
    )
    return mark_safe(  # noqa: S308 - every outside value is escaped
        f'<div class="nhsuk-form-group">\n  <fieldset class="{classes}"{id_attr}{described}'
        f"{flat_attrs}>\n    {heading}{hint_html}\n    {_e(fields_html)}\n  </fieldset>\n</div>\n"
    )


RENDERERS = {
    "input": text_input,
    "textarea": textarea,
    "file": file_upload,
    "select": select,
    "radios": lambda f: choices(f, prefix="nhsuk-radios", input_type="radio"),
    "checkboxes": lambda f: choices(f, prefix="nhsuk-checkboxes", input_type="checkbox"),
    "checkbox": checkbox,
    "other": other,
    "hidden": lambda f: _e(f["html"]),
}


def render(f: dict) -> SafeString:
    """Return the HTML of one field described by `nhsuk_field`."""
    return mark_safe(RENDERERS[f["kind"]](f))  # noqa: S308 - every outside value is escaped
