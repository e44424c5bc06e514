"""NHS England's own component macros (`nhsuk-frontend-jinja`), the reference for our markup.

`render("radios", params)` calls the ``radios`` macro from
``nhsuk/components/radios/macro.jinja`` with `params` spelt exactly as in the design system's
Nunjucks examples (``{"fieldset": {"legend": {"text": ...}}, "items": [...]}``).
"""

from functools import cache

from jinja2 import ChainableUndefined, Environment, PackageLoader
from markupsafe import Markup

#: Component folder -> macro name, where the macro is not the folder's name in camelCase.
MACROS = {
    "card/action": "cardAction",
    "summary-list/row": "summaryListRow",
}


def _macro_name(component: str) -> str:
    if component in MACROS:
        return MACROS[component]
    first, *rest = component.split("-")
    return first + "".join(part.capitalize() for part in rest)


@cache
def environment() -> Environment:
    # As the package's README says: ChainableUndefined, autoescape on.
    return Environment(
        loader=PackageLoader("nhsuk_frontend_jinja"),
        undefined=ChainableUndefined,
        autoescape=True,
        auto_reload=False,
    )


@cache
def _template(component: str):
    macro = _macro_name(component)
    source = (
        f"{{% from 'nhsuk/components/{component}/macro.jinja' import {macro} %}}"
        f"{{{{ {macro}(params) }}}}"
    )
    return environment().from_string(source)


def render(component: str, params: dict) -> str:
    """Render one official component with `params`."""
    return _template(component).render(params=params)


@cache
def _call_template(component: str):
    macro = _macro_name(component)
    source = (
        f"{{% from 'nhsuk/components/{component}/macro.jinja' import {macro} %}}"
        f"{{% call {macro}(params) %}}{{{{ content }}}}{{% endcall %}}"
    )
    return environment().from_string(source)


def render_call(component: str, params: dict, content: str) -> str:
    """Render a component that wraps other markup (``{% call fieldset(...) %}``)."""
    return _call_template(component).render(params=params, content=Markup(content))  # noqa: S704 - our own rendered markup
