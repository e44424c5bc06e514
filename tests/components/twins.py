"""Find the NHS.UK components on a rendered page and render each one's official twin.

Our page templates write components by hand. For each one found on a page, `twins(tree)` reads
its parameters back from our markup — the heading, the link, the content it wraps, its
modifier classes — and renders the official macro with those parameters. What the component
*contains* (our paragraphs, lists, nested components) is handed over as the macro's ``html``,
so the comparison is about the component's own markup: its elements, classes, attributes and
fixed text.
"""

from __future__ import annotations

from tests.components import official
from tests.components.markup import Element, to_html

HIDDEN = "nhsuk-u-visually-hidden"


def _without(element: Element, *classes: str) -> str:
    return " ".join(c for c in element.classes if c not in classes)


def _child(element: Element, cls: str | None = None, tag: str | None = None) -> Element | None:
    for child in element.children:
        if (
            isinstance(child, Element)
            and (cls is None or cls in child.classes)
            and (tag is None or child.tag == tag)
        ):
            return child
    return None


def _descendant(element: Element, cls: str) -> Element | None:
    return next((e for e in element.iter() if cls in e.classes), None)


def _visible_text(element: Element) -> str:
    """Text without visually hidden spans."""
    parts = []
    for child in element.children:
        if isinstance(child, str):
            parts.append(child)
        elif HIDDEN not in child.classes:
            parts.append(_visible_text(child))
    return " ".join(" ".join(parts).split())


def _hidden_text(element: Element) -> str | None:
    hidden = next((e for e in element.iter() if HIDDEN in e.classes), None)
    return hidden.text().rstrip(":").strip() if hidden else None


def _level(heading: Element) -> int:
    return int(heading.tag[1]) if heading.tag in {"h1", "h2", "h3", "h4", "h5", "h6"} else 2


def _rest(container: Element, *skip: Element) -> str:
    return to_html([c for c in container.children if not any(c is s for s in skip)])


# --- one builder per component ---------------------------------------------------------------


def tag(el: Element) -> str:
    return official.render("tag", {"text": el.text(), "classes": _without(el, "nhsuk-tag")})


def back_link(el: Element) -> str:
    link = el if el.tag == "a" else next(e for e in el.iter() if e.tag == "a")
    return official.render("back-link", {"href": link.attrs.get("href"), "text": link.text()})


def inset_text(el: Element) -> str:
    content = [
        c
        for c in el.children
        if not (isinstance(c, Element) and HIDDEN in c.classes and c.text() == "Information:")
    ]
    return official.render(
        "inset-text", {"html": to_html(content), "classes": _without(el, "nhsuk-inset-text")}
    )


def warning_callout(el: Element) -> str:
    # The deprecated markup (nhsuk-warning-callout) or the card that replaced it in 10.6.
    container = _child(el, "nhsuk-card__content") or el
    label = _child(container, "nhsuk-warning-callout__label") or _child(
        container, "nhsuk-card__heading"
    )
    return official.render(
        "warning-callout",
        {
            "heading": _visible_text(label),
            "headingLevel": _level(label),
            "headingClasses": _without(
                label, "nhsuk-card__heading", "nhsuk-warning-callout__label"
            ),
            "visuallyHiddenText": _hidden_text(label),
            "html": _rest(container, label),
        },
    )


def card(el: Element) -> str:
    content = _child(el, "nhsuk-card__content")
    heading = _descendant(el, "nhsuk-card__heading")
    if "nhsuk-card--warning" in el.classes and _hidden_text(heading) == "Important":
        return warning_callout(el)
    params = {"headingLevel": _level(heading)}
    care = next(
        (c.rsplit("--", 1)[1] for c in el.classes if c.startswith("nhsuk-card--care--")), ""
    )
    if care:
        params["type"] = care
        params["headingVisuallyHiddenText"] = _hidden_text(heading)
    for variant in ("feature", "warning", "clickable", "primary", "secondary"):
        if f"nhsuk-card--{variant}" in el.classes:
            params[variant] = True
    link = next((e for e in heading.iter() if e.tag == "a"), None)
    if link is not None:
        params["href"] = link.attrs.get("href")
    params["heading"] = _visible_text(heading)
    params["headingClasses"] = _without(heading, "nhsuk-card__heading")
    params["headingId"] = heading.attrs.get("id")
    params["descriptionHtml"] = _rest(content, heading)
    params["classes"] = " ".join(
        c for c in el.classes if c != "nhsuk-card" and not c.startswith("nhsuk-card--")
    )
    if el.attrs.get("id"):
        params["attributes"] = {"id": el.attrs["id"]}
    return official.render("card", params)


def summary_list(el: Element) -> str:
    rows = []
    for row in el.children:
        if not isinstance(row, Element):
            continue
        key = _child(row, "nhsuk-summary-list__key")
        value = _child(row, "nhsuk-summary-list__value")
        actions = _child(row, "nhsuk-summary-list__actions")
        item = {"key": {"html": to_html(key.children)}, "value": {"html": to_html(value.children)}}
        if actions is not None:
            links = [e for e in actions.iter() if e.tag == "a"]
            item["actions"] = {
                "items": [
                    {
                        "href": a.attrs.get("href"),
                        "text": _visible_text(a),
                        "visuallyHiddenText": _hidden_text(a),
                    }
                    for a in links
                ]
            }
        rows.append(item)
    return official.render(
        "summary-list", {"rows": rows, "classes": _without(el, "nhsuk-summary-list")}
    )


def details(el: Element) -> str:
    summary = _child(el, "nhsuk-details__summary")
    body = _child(el, "nhsuk-details__text")
    return official.render(
        "details",
        {
            "summaryText": summary.text(),
            "html": to_html(body.children),
            "classes": _without(el, "nhsuk-details"),
        },
    )


def panel(el: Element) -> str:
    heading = _child(el, "nhsuk-panel__heading") or _child(el, "nhsuk-panel__title")
    body = _child(el, "nhsuk-panel__body")
    return official.render(
        "panel",
        {
            "titleText": heading.text(),
            "headingLevel": _level(heading),
            "html": to_html(body.children) if body else "",
        },
    )


def task_list(el: Element) -> str:
    items = []
    for li in el.children:
        if not isinstance(li, Element):
            continue
        link = next((e for e in li.iter() if e.tag == "a"), None)
        name = _child(li, "nhsuk-task-list__name-and-hint")
        hint = _child(name, "nhsuk-task-list__hint")
        status = _child(li, "nhsuk-task-list__status")
        status_tag = _child(status, "nhsuk-tag")
        item = {
            "title": {"text": link.text() if link else _child(name).text()},
            "href": link.attrs.get("href") if link else None,
            "status": (
                {"tag": {"text": status_tag.text(), "classes": _without(status_tag, "nhsuk-tag")}}
                if status_tag
                else {
                    "text": status.text(),
                    "classes": _without(status, "nhsuk-task-list__status"),
                }
            ),
        }
        if hint:
            item["hint"] = {"text": hint.text()}
        items.append(item)
    return official.render("task-list", {"idPrefix": "task", "items": items})


def button(el: Element) -> str:
    variant = next((c.split("--")[1] for c in el.classes if c.startswith("nhsuk-button--")), None)
    params = {
        "text": el.text(),
        "variant": variant,
        "classes": " ".join(c for c in el.classes if not c.startswith("nhsuk-button")),
    }
    if el.tag == "a":
        params["href"] = el.attrs.get("href")
    else:
        for name in ("type", "name", "value", "id"):
            if name in el.attrs:
                params[name] = el.attrs[name]
        if "data-prevent-double-click" in el.attrs:
            params["preventDoubleClick"] = el.attrs["data-prevent-double-click"] == "true"
    return official.render("button", params)


def pagination(el: Element) -> str:
    params = {}
    for side, cls in (
        ("previous", "nhsuk-pagination__link--prev"),
        ("next", "nhsuk-pagination__link--next"),
    ):
        link = _descendant(el, cls)
        if link is None:
            continue
        title = _child(link, "nhsuk-pagination__title")
        label = _child(link, "nhsuk-pagination__page")
        params[side] = {"href": link.attrs.get("href")}
        if _visible_text(title) not in ("Previous", "Next"):
            params[side]["text"] = _visible_text(title)
        if label is not None:
            params[side]["labelText"] = label.text()
    return official.render("pagination", params)


def header(el: Element) -> str:
    logo = _descendant(el, "nhsuk-header__service-logo")
    params = {
        "service": {
            "text": _descendant(el, "nhsuk-header__service-name").text(),
            "href": logo.attrs.get("href"),
        }
    }
    account = _descendant(el, "nhsuk-header__account-list")
    if account is not None:
        items = []
        for li in account.children:
            if not isinstance(li, Element):
                continue
            link = _descendant(li, "nhsuk-header__account-link")
            form = _descendant(li, "nhsuk-header__account-form")
            if link is not None:
                items.append({"text": link.text(), "href": link.attrs.get("href")})
            elif form is not None:
                items.append(
                    {
                        "text": _descendant(form, "nhsuk-header__account-button").text(),
                        "action": form.attrs.get("action"),
                        "method": form.attrs.get("method"),
                    }
                )
        params["account"] = {"items": items}
    navigation = _descendant(el, "nhsuk-header__navigation-list")
    if navigation is not None:
        params["navigation"] = {
            "items": [
                {
                    "text": li.text(),
                    "href": _child(li, tag="a").attrs.get("href"),
                    "current": "nhsuk-header__navigation-item--current" in li.classes,
                }
                for li in navigation.children
                if isinstance(li, Element) and "nhsuk-header__navigation-item" in li.classes
            ]
        }
    return official.render("header", params)


def footer(el: Element) -> str:
    items = [
        {"text": a.text(), "href": a.attrs.get("href")}
        for a in el.iter()
        if "nhsuk-footer__list-item-link" in a.classes
    ]
    meta = {"items": items}
    paragraphs = [
        p for p in _descendant(el, "nhsuk-footer__meta").children if getattr(p, "tag", "") == "p"
    ]
    # The last paragraph is the copyright line; one before it is the meta's own text.
    if len(paragraphs) > 1:
        meta["text"] = paragraphs[0].text()
    params = {"meta": meta}
    if paragraphs:
        params["copyright"] = paragraphs[-1].text()
    return official.render("footer", params)


def skip_link(el: Element) -> str:
    return official.render("skip-link", {"href": el.attrs.get("href"), "text": el.text()})


def notification_banner(el: Element) -> str:
    heading = _descendant(el, "nhsuk-notification-banner__heading")
    title = _descendant(el, "nhsuk-notification-banner__title")
    return official.render(
        "notification-banner",
        {
            "type": "success" if "nhsuk-notification-banner--success" in el.classes else None,
            "titleText": title.text(),
            "titleId": title.attrs.get("id"),
            "text": heading.text(),
        },
    )


#: The class that marks a component's root, and the builder of its official twin.
BUILDERS = {
    "nhsuk-header": ("header", header),
    "nhsuk-footer": ("footer", footer),
    "nhsuk-skip-link": ("skip-link", skip_link),
    "nhsuk-notification-banner": ("notification-banner", notification_banner),
    "nhsuk-back-link": ("back-link", back_link),
    "nhsuk-pagination": ("pagination", pagination),
    "nhsuk-warning-callout": ("warning-callout", warning_callout),
    "nhsuk-card": ("card", card),
    "nhsuk-summary-list": ("summary-list", summary_list),
    "nhsuk-tag": ("tag", tag),
    "nhsuk-inset-text": ("inset-text", inset_text),
    "nhsuk-details": ("details", details),
    "nhsuk-panel": ("panel", panel),
    "nhsuk-task-list": ("task-list", task_list),
    "nhsuk-button": ("button", button),
}


def components(tree: Element):
    """Yield ``(name, element)`` for each component root on the page, in page order."""
    for element in tree.iter():
        for cls, (name, _builder) in BUILDERS.items():
            if cls in element.classes:
                yield name, element
                break


def twin(name: str, element: Element) -> str:
    """The official macro's rendering of the component `element` with its parameters."""
    for component, builder in BUILDERS.values():
        if component == name:
            return builder(element)
    raise KeyError(name)
