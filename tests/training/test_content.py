import shutil

import pytest

from training.content import CONTENT_DIR, ContentError, read_course
from training.markdown import render_markdown
from training.models import Module, Question
from training.rules import words_to_read
from training.services import content_load


def test_shipped_course_meets_the_content_rules():
    course = read_course()
    assert len(course.modules) >= 6
    for module in course.modules:
        words = sum(words_to_read(p.body) + len(p.title.split()) for p in module.pages)
        assert 800 <= words <= 1800, (module.slug, words)
        assert len(module.questions) >= 12
        assert module.questions_per_attempt >= 8
        kinds = {q.kind for q in module.questions}
        assert kinds == {"single", "multiple", "true_false"}, module.slug
        assert 3 * sum(q.scenario for q in module.questions) >= len(module.questions)
        for page in module.pages:
            assert "<script" not in page.body.lower()


@pytest.mark.django_db
def test_loading_is_idempotent_and_retires_dropped_questions(tmp_path):
    content_load(course=read_course())
    first = (Module.objects.count(), Question.objects.count())
    content_load(course=read_course())
    assert (Module.objects.count(), Question.objects.count()) == first

    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    quiz = copy / "01-what-stalking-is" / "quiz.yaml"
    text = quiz.read_text()
    # Drop the last question of module 1.
    quiz.write_text(text[: text.rindex("\n  - id: q")])
    content_load(course=read_course(copy))
    assert Question.objects.count() == first[1]
    assert Question.objects.filter(is_active=False).count() == 1


@pytest.mark.parametrize(
    "mutation,message",
    [
        (lambda t: t.replace("correct: true", "correct: false", 1), "exactly one correct"),
        (lambda t: t.replace("explanation:", "explained:", 1), "explanation"),
        (lambda t: t.replace("kind: single", "kind: essay", 1), "kind must be"),
    ],
)
def test_broken_content_is_refused_with_the_file_named(tmp_path, mutation, message):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    quiz = copy / "01-what-stalking-is" / "quiz.yaml"
    quiz.write_text(mutation(quiz.read_text()))
    with pytest.raises(ContentError, match=message) as info:
        read_course(copy)
    assert "01-what-stalking-is" in str(info.value)


def test_markdown_never_renders_raw_html_or_script_links():
    html = render_markdown(
        "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>"
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<img" not in html
