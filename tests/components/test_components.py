"""Our crispy pack and shared components render the same markup as NHS England's macros.

Each case in `cases.py` renders one component both ways with the same parameters; the
normalised trees must match except for the differences declared in `intentional.py`.
"""

from fnmatch import fnmatchcase

import pytest

from tests.components import markup
from tests.components.cases import CASES
from tests.components.intentional import INTENTIONAL, check
from tests.components.test_pages import PAGES


def _results(name):
    ours, official = CASES[name]()
    return markup.differences(ours, official)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_the_official_macro(name):
    check({f"form/{name}": _results(name)}, stale=False)


def test_every_intentional_difference_still_occurs():
    check({f"form/{name}": _results(name) for name in CASES})


def test_every_intentional_difference_names_cases_that_exist():
    for entry in INTENTIONAL:
        globs = (entry.where,) if isinstance(entry.where, str) else entry.where
        for glob in globs:
            kind, _, rest = glob.partition("/")
            if kind == "form":
                assert any(fnmatchcase(name, rest) for name in CASES), glob
            else:
                assert kind == "page", glob
                page = rest.split("/")[0]
                assert any(fnmatchcase(known, page) for known in PAGES), glob


def test_a_difference_is_reported_where_it_is():
    ours = '<div class="nhsuk-form-group"><input class="nhsuk-input" id="a" disabled></div>'
    official = (
        '<div class="nhsuk-form-group">\n  <input id="a" class="nhsuk-input" disabled="">\n</div>'
    )
    assert markup.differences(ours, official) == []
    changed = '<div class="nhsuk-form-group"><input class="nhsuk-input x" id="b"> Hi</div>'
    assert markup.differences(changed, official) == [
        "div.nhsuk-form-group > input.nhsuk-input: class 'x' only in ours",
        "div.nhsuk-form-group > input.nhsuk-input: attribute disabled: ours absent, official ''",
        "div.nhsuk-form-group > input.nhsuk-input: attribute id: ours 'b', official 'a'",
        "div.nhsuk-form-group: only in ours: text 'Hi'",
    ]


def test_an_undeclared_difference_fails():
    with pytest.raises(AssertionError, match="only in official"):
        check({"form/input": markup.differences("<p>a</p>", "<p>a</p><svg></svg>")})
