"""Read and check the course content in `training/content/` (format: its README.md)."""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from training.rules import (
    CLINICAL,
    PATHWAYS,
    module_minutes,
    split_sources,
    stated_time_is_honest,
    words_to_read,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
KINDS = {"single", "multiple", "true_false"}
MIN_QUESTIONS = 12


class ContentError(ValueError):
    """The content files break a rule; the message says which file and what."""


@dataclass(frozen=True)
class OptionSpec:
    key: str
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    scenario: bool
    text: str
    options: tuple[OptionSpec, ...]


@dataclass(frozen=True)
class PageSpec:
    number: int
    title: str
    body: str


@dataclass(frozen=True)
class ModuleSpec:
    slug: str
    title: str
    summary: str
    order: int
    cpd_minutes: int
    pass_mark: int
    questions_per_attempt: int
    pages: tuple[PageSpec, ...]
    questions: tuple[QuestionSpec, ...]
    audiences: tuple[str, ...] = (CLINICAL,)


@dataclass(frozen=True)
class CourseSpec:
    version: str
    modules: tuple[ModuleSpec, ...]


def _yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read: {exc}") from exc


def _page(path: Path, number: int) -> PageSpec:
    text = path.read_text(encoding="utf-8").strip()
    first, _, body = text.partition("\n")
    if not first.startswith("# "):
        raise ContentError(f"{path}: the first line must be the title as '# Title'")
    _, sources = split_sources(body)
    if sources is None or not re.search(r"^\s*[-*] \S", sources, flags=re.MULTILINE):
        raise ContentError(f"{path}: needs a '## Sources' section listing at least one source")
    return PageSpec(number=number, title=first[2:].strip(), body=body.strip())


def _question(path: Path, raw: dict) -> QuestionSpec:
    where = f"{path}: question {raw.get('id', '?')}"
    try:
        options = tuple(
            OptionSpec(
                key=str(o["id"]),
                text=str(o["text"]).strip(),
                correct=bool(o["correct"]),
                explanation=str(o.get("explanation") or "").strip(),
            )
            for o in raw["options"]
        )
        spec = QuestionSpec(
            key=str(raw["id"]),
            kind=str(raw["kind"]),
            scenario=bool(raw.get("scenario", False)),
            text=str(raw["text"]).strip(),
            options=options,
        )
    except (KeyError, TypeError) as exc:
        raise ContentError(f"{where}: missing or malformed field {exc}") from exc
    correct = sum(o.correct for o in options)
    if spec.kind not in KINDS:
        raise ContentError(f"{where}: kind must be one of {sorted(KINDS)}")
    if len({o.key for o in options}) != len(options):
        raise ContentError(f"{where}: option ids repeat")
    if any(not o.explanation for o in options):
        raise ContentError(f"{where}: every option needs an explanation")
    if spec.kind in {"single", "true_false"} and correct != 1:
        raise ContentError(f"{where}: needs exactly one correct option")
    if spec.kind == "multiple" and not 0 < correct < len(options):
        raise ContentError(f"{where}: needs at least one correct and one wrong option")
    if spec.kind == "true_false" and [o.text for o in options] != ["True", "False"]:
        raise ContentError(f"{where}: true/false options must be 'True' then 'False'")
    if len(options) < 2:
        raise ContentError(f"{where}: needs at least two options")
    return spec


def _module(folder: Path, order: int) -> ModuleSpec:
    meta = _yaml(folder / "module.yaml") or {}
    bank = (_yaml(folder / "quiz.yaml") or {}).get("questions") or []
    page_files = sorted((folder / "pages").glob("*.md"))
    if not page_files:
        raise ContentError(f"{folder}: has no pages")
    pages = tuple(_page(p, n) for n, p in enumerate(page_files, start=1))
    questions = tuple(_question(folder / "quiz.yaml", q) for q in bank)
    per_attempt = int(meta.get("questions_per_attempt", 8))
    if len({q.key for q in questions}) != len(questions):
        raise ContentError(f"{folder}/quiz.yaml: question ids repeat")
    if len(questions) < max(MIN_QUESTIONS, per_attempt):
        raise ContentError(
            f"{folder}/quiz.yaml: needs at least {max(MIN_QUESTIONS, per_attempt)} questions"
        )
    if 3 * sum(q.scenario for q in questions) < len(questions):
        raise ContentError(f"{folder}/quiz.yaml: at least a third must be scenarios")
    slug = str(meta.get("slug", ""))
    if not re.fullmatch(r"[a-z0-9-]+", slug):
        raise ContentError(f"{folder}/module.yaml: slug must be lower-case letters and hyphens")
    pass_mark = int(meta.get("pass_mark", 80))
    if not 1 <= pass_mark <= 100:
        raise ContentError(f"{folder}/module.yaml: pass_mark must be a percentage")
    # The time shown to learners and claimed as CPD is computed, never typed in; a stated
    # time is only a check on the computation.
    words = sum(words_to_read(page.body) for page in pages)
    minutes = module_minutes(words=words, questions_per_attempt=per_attempt)
    stated = meta.get("cpd_minutes")
    if stated is not None and not stated_time_is_honest(stated=int(stated), computed=minutes):
        raise ContentError(
            f"{folder}/module.yaml: cpd_minutes {stated} is more than 25% away from the "
            f"{minutes} minutes computed from the content ({words} words to read at 200 a "
            f"minute, plus a minute for each of {per_attempt} quiz questions)"
        )
    audiences = tuple(meta.get("audiences") or (CLINICAL,))
    if not audiences or any(a not in PATHWAYS for a in audiences):
        raise ContentError(f"{folder}/module.yaml: audiences must be some of {list(PATHWAYS)}")
    return ModuleSpec(
        slug=slug,
        audiences=audiences,
        title=str(meta["title"]),
        summary=str(meta.get("summary", "")),
        order=order,
        cpd_minutes=minutes,
        pass_mark=pass_mark,
        questions_per_attempt=per_attempt,
        pages=pages,
        questions=questions,
    )


def read_course(root: Path = CONTENT_DIR) -> CourseSpec:
    """Return the whole course as plain values, or raise ContentError naming the problem."""
    course = _yaml(root / "course.yaml") or {}
    version = str(course.get("version", ""))
    if not version:
        raise ContentError(f"{root}/course.yaml: needs a version")
    modules = tuple(
        _module(root / name, order) for order, name in enumerate(course.get("modules", []), 1)
    )
    if len({m.slug for m in modules}) != len(modules):
        raise ContentError(f"{root}/course.yaml: module slugs repeat")
    return CourseSpec(version=version, modules=modules)
