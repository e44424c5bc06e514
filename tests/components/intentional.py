"""Where our markup differs from the official NHS.UK macros on purpose, and why.

Each entry names the cases it covers (`where`, a glob over case ids such as
``form/input-error`` or ``page/directory/card-*``, or a tuple of globs), the difference
(`difference`, a glob over the lines `markup.differences` reports) and the reason. Every other
difference fails its test, and so does an entry that no longer explains anything in the cases
it covers, so this table stays true when either side changes.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class Intentional:
    where: str | tuple[str, ...]
    difference: str
    reason: str

    def covers(self, case_id: str) -> bool:
        globs = (self.where,) if isinstance(self.where, str) else self.where
        return any(fnmatchcase(case_id, glob) for glob in globs)


INTENTIONAL: tuple[Intentional, ...] = (
    Intentional(
        where="form/*error*",
        difference="*: attribute aria-invalid: ours 'true', official absent",
        reason=(
            "A text input, textarea, select or single checkbox with an error is marked "
            "aria-invalid, so screen readers say 'invalid entry' when it gets focus (from the "
            "error summary's link, say). The macros leave it out; it changes nothing visible "
            "and axe passes either way."
        ),
    ),
    Intentional(
        where="form/checkbox*",
        difference="*input.nhsuk-checkboxes__input: attribute value: ours absent, official ''",
        reason=(
            "A single checkbox is a Django BooleanField: with no value attribute a ticked box "
            "sends 'on', which Django reads as True. The macro, given no item value, writes "
            'value="", which a ticked box would send and Django would read as False.'
        ),
    ),
    Intentional(
        where="form/fieldset*",
        difference='(top): wrapper only in ours: <div class="nhsuk-form-group">',
        reason=(
            "core.layout.Fieldset groups several questions (the checklist's sections, an "
            "address). Wrapped in nhsuk-form-group it takes the same bottom margin as a single "
            "question, as the design system's own date input and radios wrap their fieldsets; "
            "the fieldset inside is the official one."
        ),
    ),
    Intentional(
        # Every page with a signed-in user (the signed-out header has no form).
        where=tuple(
            f"page/{page}/header-*"
            for page in (
                "start-signed-in",
                "training-*",
                "directory",
                "service-page",
                "screening-*",
                "profile",
            )
        ),
        difference=(
            "*> form.nhsuk-header__account-form: only in ours: "
            '<input name="csrfmiddlewaretoken" type="hidden" value=*>'
        ),
        reason=(
            "Signing out is a POST, and Django's CSRF protection needs its token in the form; "
            "the macro's account form has no way to add one."
        ),
    ),
    Intentional(
        where="page/training-home/task-list-*",
        difference="*: attribute * '*-hint*', official 'task-*-hint*'",
        reason=(
            "Our task list ids name the task (survey-before, alpha-status) rather than "
            "numbering them from an idPrefix, so an id stays the same when a module is added "
            "and tests can find a task by name."
        ),
    ),
    Intentional(
        where="page/training-home/task-list-*",
        difference="*: attribute id: ours '*-status', official 'task-*-status'",
        reason="As for the hint ids: each task's status id names the task.",
    ),
)


def explains(entry: Intentional, case_id: str, difference: str) -> bool:
    return entry.covers(case_id) and fnmatchcase(difference, entry.difference)


def check(results: dict[str, list[str]], *, stale: bool = True) -> None:
    """Fail on differences no entry explains and (with `stale`) entries that explain nothing.

    `results` maps case ids to their differences. An entry counts as stale when its `where`
    matches one of these cases yet it explains none of their differences.
    """
    problems = []
    for case_id, lines in results.items():
        for line in lines:
            if not any(explains(entry, case_id, line) for entry in INTENTIONAL):
                problems.append(f"{case_id}: {line}")
    if stale:
        for entry in INTENTIONAL:
            cases = [case_id for case_id in results if entry.covers(case_id)]
            if cases and not any(
                explains(entry, case_id, line) for case_id in cases for line in results[case_id]
            ):
                problems.append(f"stale entry, explains nothing in {cases}: {entry}")
    assert not problems, (
        "markup differs from nhsuk-frontend-jinja (fix it, or declare it in "
        "tests/components/intentional.py with a reason):\n" + "\n".join(problems)
    )
