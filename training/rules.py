"""Quiz scoring and question drawing: pure functions over plain values, no database."""

import random
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
