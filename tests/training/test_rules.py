import random

import pytest

from training import rules


@pytest.mark.parametrize(
    "correct,selected,expected",
    [
        ({1}, {1}, True),
        ({1}, {2}, False),
        ({1}, set(), False),
        ({1, 2}, {1, 2}, True),
        ({1, 2}, {1}, False),  # partial selection of a multiple-answer question is wrong
        ({1, 2}, {1, 2, 3}, False),  # a wrong extra option makes it wrong
        ({1, 2}, {1, 2, 3, 4}, False),  # ticking everything never pays
        (set(), set(), False),  # a question with no key can never be scored right
    ],
)
def test_question_is_correct(correct, selected, expected):
    assert rules.question_is_correct(frozenset(correct), frozenset(selected)) is expected


@pytest.mark.parametrize(
    "correct,total,mark,expected",
    [
        (8, 10, 80, True),  # exactly the pass mark passes
        (7, 10, 80, False),
        (4, 5, 80, True),
        (6, 8, 80, False),  # 75%
        (7, 8, 80, True),  # 87.5%
        (8, 8, 100, True),
        (7, 8, 100, False),
        (0, 0, 80, False),
        (1, 3, 33, True),  # 33.3% against 33%: no rounding trap
        (2, 3, 67, False),  # 66.7% against 67%
    ],
)
def test_passes(correct, total, mark, expected):
    assert rules.passes(correct, total, mark) is expected


def test_score_attempt_counts_unanswered_as_wrong():
    key = {1: frozenset({10}), 2: frozenset({20, 21}), 3: frozenset({30})}
    score = rules.score_attempt(key, {1: frozenset({10}), 2: frozenset({20})}, 50)
    assert score.correct_count == 1
    assert score.question_count == 3
    assert score.percent == 33
    assert not score.passed
    assert score.correct_questions == {1}


def test_draw_questions_samples_and_shuffles_reproducibly():
    bank = {q: [q * 10 + i for i in range(4)] for q in range(1, 15)}
    first = rules.draw_questions(bank, 8, random.Random(1))
    again = rules.draw_questions(bank, 8, random.Random(1))
    assert first == again
    assert len(first) == 8
    assert len({item["question"] for item in first}) == 8
    for item in first:
        assert sorted(item["options"]) == bank[item["question"]]
    orders = {
        tuple(i["options"])
        for seed in range(20)
        for i in rules.draw_questions(bank, 8, random.Random(seed))
    }
    assert len(orders) > 8  # option order really is shuffled


def test_draw_more_than_the_bank_is_refused():
    with pytest.raises(ValueError):
        rules.draw_questions({1: [1, 2]}, 2, random.Random(0))
