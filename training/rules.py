"""Quiz scoring and question drawing: pure functions over plain values, no database."""

import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class AttemptScore:
    correct_count: int
    question_count: int
    percent: int
    passed: bool
    correct_questions: frozenset[int]


def question_is_correct(correct: frozenset[int], selected: frozenset[int]) -> bool:
    """Return whether the learner chose exactly the correct options.

    A multiple-answer question is right only when every correct option and no wrong one is
    chosen: a partial selection scores as wrong, so guessing all options never pays.
    """
    return bool(correct) and selected == correct


def passes(correct_count: int, question_count: int, pass_mark: int) -> bool:
    """Return whether the score reaches the pass mark (a percentage); exactly the mark passes.

    Compared in whole numbers so that, say, 4 of 5 against 80% can never fail by rounding.
    """
    if question_count <= 0:
        return False
    return correct_count * 100 >= pass_mark * question_count


def score_attempt(
    key: Mapping[int, frozenset[int]],
    selections: Mapping[int, frozenset[int]],
    pass_mark: int,
) -> AttemptScore:
    """Score the selections against the answer key (question id -> correct option ids).

    A question in the key with no selection counts as wrong.
    """
    correct_questions = frozenset(
        qid
        for qid, correct in key.items()
        if question_is_correct(correct, selections.get(qid, frozenset()))
    )
    total = len(key)
    count = len(correct_questions)
    return AttemptScore(
        correct_count=count,
        question_count=total,
        percent=(count * 100) // total if total else 0,
        passed=passes(count, total, pass_mark),
        correct_questions=correct_questions,
    )


def draw_questions(bank: Mapping[int, Sequence[int]], count: int, rng: random.Random) -> list[dict]:
    """Draw `count` questions from the bank (question id -> option ids), shuffling both.

    Return what the attempt presents, in order: [{"question": id, "options": [ids]}].
    """
    if count > len(bank):
        raise ValueError(f"The bank has {len(bank)} questions; {count} were asked for")
    chosen = rng.sample(sorted(bank), count)
    presented = []
    for qid in chosen:
        options = list(bank[qid])
        rng.shuffle(options)
        presented.append({"question": qid, "options": options})
    return presented


CLINICAL, PRACTICE_TEAM = "clinicians", "practice_team"
PATHWAYS = (CLINICAL, PRACTICE_TEAM)
# Non-clinical practice staff (reception, administration, practice management) take the
# practice team route; everyone else, admins included, the clinical one.
PRACTICE_TEAM_ROLES = frozenset({"practice_staff"})


def pathway_for(professional_role: str) -> str:
    """Return the training route a person takes, from their professional role."""
    return PRACTICE_TEAM if professional_role in PRACTICE_TEAM_ROLES else CLINICAL


def route_field(professional_role: str) -> str:
    """Return the Module flag of the route someone with this professional role follows."""
    return pathway_field(pathway_for(professional_role))


def pathway_field(pathway: str) -> str:
    """Return the Module field that says whether a module is on this route."""
    return {CLINICAL: "for_clinicians", PRACTICE_TEAM: "for_practice_team"}[pathway]


READING_WORDS_PER_MINUTE = 200
MINUTES_PER_QUIZ_QUESTION = 1
STATED_TIME_TOLERANCE = 0.25

_MARKUP = re.compile(r"[#*_`>|\[\]()]+|https?://\S+")


_SOURCES_HEADING = re.compile(r"^## Sources\s*$", re.MULTILINE)


def split_sources(markdown: str) -> tuple[str, str | None]:
    """Return a page's text before its "## Sources" heading, and the list after it (or None)."""
    parts = _SOURCES_HEADING.split(markdown, maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else None)


def words_to_read(markdown: str) -> int:
    """Return the words a learner reads on a page: its text without the Sources list or markup."""
    body, _ = split_sources(markdown)
    return len(_MARKUP.sub(" ", body).split())


def module_minutes(*, words: int, questions_per_attempt: int) -> int:
    """Return a module's honest time: reading at 200 words a minute plus a minute a question."""
    reading = words / READING_WORDS_PER_MINUTE
    return max(1, math.ceil(reading + questions_per_attempt * MINUTES_PER_QUIZ_QUESTION))


def stated_time_is_honest(*, stated: int, computed: int) -> bool:
    """Return whether a typed-in time is within 25% of the time computed from the content."""
    return abs(stated - computed) <= STATED_TIME_TOLERANCE * computed


# Words that let a test-wise learner answer a true/false statement without knowing the subject.
ABSOLUTE_WORDS = ("always", "never", "only", "must", "cannot", "can't", "none")
# A correct option this much longer than every wrong one gives the answer away.
LONGEST_OPTION_RATIO = 1.5
# At most this share of a bank's single-answer items may have the correct option as the longest.
LONGEST_CORRECT_SHARE = 0.5
# True and false keys in a bank may differ by at most this many items.
TRUE_FALSE_IMBALANCE = 2


def quiz_fairness_problems(questions) -> list[str]:
    """Return what makes a question bank answerable by test-taking tricks; empty if fair.

    Each question has `key`, `kind`, `text` and `options`, each option `text` and `correct`.
    The rules: true and false keys balanced; no absolute word in a true/false statement; in
    single-answer items, the correct option never far longer than every wrong one, and not the
    longest in most items.
    """
    problems = []
    true_false = [q for q in questions if q.kind == "true_false"]
    true_keys = sum(next(o.text for o in q.options if o.correct) == "True" for q in true_false)
    false_keys = len(true_false) - true_keys
    if abs(true_keys - false_keys) > TRUE_FALSE_IMBALANCE:
        problems.append(
            f"true/false keys unbalanced: {true_keys} true, {false_keys} false "
            f"(at most {TRUE_FALSE_IMBALANCE} apart)"
        )
    for q in true_false:
        words = set(re.findall(r"[a-z']+", q.text.lower()))
        found = [w for w in ABSOLUTE_WORDS if w in words]
        if found:
            problems.append(f"question {q.key}: true/false statement uses {', '.join(found)}")
    singles = [q for q in questions if q.kind == "single" and len(q.options) > 2]
    longest_correct = 0
    for q in singles:
        correct = max(len(o.text) for o in q.options if o.correct)
        wrong = max(len(o.text) for o in q.options if not o.correct)
        if correct > wrong:
            longest_correct += 1
        if correct > LONGEST_OPTION_RATIO * wrong:
            problems.append(
                f"question {q.key}: the correct option is {correct} characters, far longer "
                f"than any wrong one ({wrong})"
            )
    if singles and longest_correct > LONGEST_CORRECT_SHARE * len(singles):
        problems.append(
            f"the correct option is the longest in {longest_correct} of {len(singles)} "
            "single-answer questions"
        )
    return problems
