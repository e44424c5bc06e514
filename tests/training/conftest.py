import pytest

from training.content import CourseSpec, ModuleSpec, OptionSpec, PageSpec, QuestionSpec
from training.models import Module
from training.services import content_load, survey_submit

VERSION = "test.1"


def make_question(n: int, kind: str = "single") -> QuestionSpec:
    if kind == "true_false":
        options = (
            OptionSpec("a", "True", True, f"Q{n}: true is right."),
            OptionSpec("b", "False", False, f"Q{n}: false is wrong."),
        )
    elif kind == "multiple":
        options = (
            OptionSpec("a", f"Q{n} right one", True, f"Q{n} explanation A"),
            OptionSpec("b", f"Q{n} right two", True, f"Q{n} explanation B"),
            OptionSpec("c", f"Q{n} wrong", False, f"Q{n} explanation C"),
        )
    else:
        options = (
            OptionSpec("a", f"Q{n} right", True, f"Q{n} explanation A"),
            OptionSpec("b", f"Q{n} wrong", False, f"Q{n} explanation B"),
            OptionSpec("c", f"Q{n} also wrong", False, f"Q{n} explanation C"),
        )
    return QuestionSpec(f"q{n:02d}", kind, n % 3 == 0, f"Question text {n}?", options)


def make_module(slug: str, order: int, per_attempt: int = 8) -> ModuleSpec:
    kinds = ["single", "multiple", "true_false"]
    return ModuleSpec(
        slug=slug,
        title=f"Module {slug}",
        summary="A test module.",
        order=order,
        cpd_minutes=30,
        pass_mark=80,
        questions_per_attempt=per_attempt,
        pages=(PageSpec(1, "First page", "Some **text**."), PageSpec(2, "Second page", "More.")),
        questions=tuple(make_question(n, kinds[n % 3]) for n in range(1, 13)),
    )


@pytest.fixture
def course(db):
    """Two small modules of two pages and twelve questions each."""
    content_load(
        course=CourseSpec(
            version=VERSION, modules=(make_module("alpha", 1), make_module("beta", 2))
        )
    )
    return list(Module.objects.order_by("order"))


@pytest.fixture
def before_survey_done(clinician, course):
    survey_submit(
        user=clinician,
        phase="before",
        version=VERSION,
        answers=dict.fromkeys(["identify", "ask", "services", "refer", "ptsd", "colleague"], 3),
    )
