"""The screening rules, case by case, including every boundary."""

import pytest

from screening import rules
from screening.rules import RISK_INDICATORS, assess

STALKING = {"unwanted": "yes", "repeated": "two_or_more", "behaviours": ["following"]}


def risks(n: int, *, avoid_high=True) -> dict:
    """Return n risk indicators answered yes, avoiding the ones that are high on their own."""
    pool = [r for r in RISK_INDICATORS if not avoid_high or r not in rules.HIGH_CONCERN_ITEMS]
    if n > len(pool):
        pool = list(RISK_INDICATORS)
    return dict.fromkeys(pool[:n], "yes")


def ptsd(n: int, gate="yes") -> dict:
    return {"trauma_gate": gate, **dict.fromkeys(rules.PTSD_ITEMS[:n], "yes")}


class TestStalkingLevel:
    @pytest.mark.parametrize(
        "answers,expected",
        [
            (STALKING, "indicated"),
            ({**STALKING, "behaviours": ["following", "threats", "gifts"]}, "indicated"),
            ({**STALKING, "behaviours": []}, "possible"),  # no behaviour ticked
            ({**STALKING, "repeated": "one"}, "possible"),
            ({**STALKING, "repeated": "unsure"}, "possible"),
            ({**STALKING, "unwanted": "unsure"}, "possible"),  # unsure errs towards a case
            ({"unwanted": "unsure", "repeated": "one"}, "possible"),
            ({**STALKING, "unwanted": "no"}, "not_indicated"),
            ({"unwanted": "no", "repeated": "one"}, "not_indicated"),
            ({}, "possible"),  # nothing answered never lowers the level
        ],
    )
    def test_levels(self, answers, expected):
        result = assess(answers)
        assert result.stalking == expected
        assert result.reasons["stalking"]

    def test_indicated_reasons_name_the_behaviours(self):
        reasons = assess({**STALKING, "behaviours": ["turning_up", "watching"]}).reasons
        assert any("watching" in r and "turning up" in r for r in reasons["stalking"])

    def test_fixated_does_not_change_the_level(self):
        assert assess({**STALKING, "fixated": "no"}).stalking == "indicated"


class TestConcernLevel:
    @pytest.mark.parametrize("n", [1, 2, 3, 4])
    def test_one_to_four_risk_indicators_with_stalking_is_raised(self, n):
        result = assess({**STALKING, **risks(n)})
        assert result.concern == "raised"
        assert result.risk_count == n

    def test_exactly_five_risk_indicators_is_high(self):
        result = assess({**STALKING, **risks(5)})
        assert result.concern == "high"
        assert result.risk_count == 5
        assert any("5 of 11" in r for r in result.reasons["concern"])

    def test_four_is_not_high_but_five_is_even_when_stalking_not_indicated(self):
        assert assess({"unwanted": "no", **risks(4)}).concern == "standard"
        assert assess({"unwanted": "no", **risks(5)}).concern == "high"

    @pytest.mark.parametrize("item", rules.HIGH_CONCERN_ITEMS)
    def test_each_high_item_alone_is_high(self, item):
        result = assess({"unwanted": "no", item: "yes"})
        assert result.concern == "high"

    def test_possible_stalking_with_a_risk_is_raised(self):
        assert assess({"unwanted": "unsure", **risks(1)}).concern == "raised"

    def test_no_risks_is_standard(self):
        assert assess(STALKING).concern == "standard"

    def test_threshold_is_configurable(self):
        strict = rules.Thresholds(risk_indicators_for_high=3)
        assert assess({**STALKING, **risks(3)}, strict).concern == "high"
        assert assess({**STALKING, **risks(3)}).concern == "raised"


class TestPTSDPrompt:
    def test_exactly_three_items_with_gate_prompts_assessment(self):
        result = assess({**STALKING, **ptsd(3)})
        assert "ptsd_assessment" in result.flags
        assert result.ptsd_count == 3
        assert result.reasons["ptsd_assessment"]

    @pytest.mark.parametrize("n", [0, 1, 2])
    def test_fewer_than_three_does_not(self, n):
        assert "ptsd_assessment" not in assess({**STALKING, **ptsd(n)}).flags

    @pytest.mark.parametrize("n", [4, 5])
    def test_more_than_three_does(self, n):
        assert "ptsd_assessment" in assess({**STALKING, **ptsd(n)}).flags

    def test_gate_no_means_no_prompt_whatever_the_items(self):
        assert "ptsd_assessment" not in assess({**STALKING, **ptsd(5, gate="no")}).flags

    def test_prompt_does_not_depend_on_stalking_level(self):
        assert "ptsd_assessment" in assess({"unwanted": "no", **ptsd(3)}).flags

    def test_threshold_is_configurable(self):
        assert (
            "ptsd_assessment"
            in assess({**STALKING, **ptsd(2)}, rules.Thresholds(ptsd_items_for_assessment=2)).flags
        )

    @pytest.mark.parametrize(
        "level,required", [("indicated", True), ("possible", True), ("not_indicated", False)]
    )
    def test_ptsd_questions_required_when_stalking_indicated_or_possible(self, level, required):
        assert rules.ptsd_questions_required(rules.Stalking(level)) is required


class TestOtherFlags:
    @pytest.mark.parametrize(
        "answers,flag",
        [
            ({"immediate_danger": "yes"}, "emergency"),
            ({"self_harm_thoughts": "yes"}, "urgent_mental_health"),
            ({"children_or_adults_at_risk": "yes"}, "safeguarding"),
            ({"relationship": "ex_partner"}, "domestic_abuse"),
            ({"relationship": "family"}, "domestic_abuse"),
            ({"perpetrator_has_record_access": "yes"}, "record_safety"),
        ],
    )
    def test_flag_raised_with_reason(self, answers, flag):
        result = assess({**STALKING, **answers})
        assert flag in result.flags
        assert result.reasons[flag]

    @pytest.mark.parametrize("relationship", ["acquaintance", "colleague", "stranger", "unknown"])
    def test_other_relationships_are_not_domestic_abuse(self, relationship):
        assert "domestic_abuse" not in assess({**STALKING, "relationship": relationship}).flags

    def test_all_no_raises_no_flags(self):
        result = assess(
            {
                "unwanted": "no",
                "repeated": "one",
                "fixated": "no",
                "relationship": "stranger",
                "behaviours": [],
            }
        )
        assert result.flags == set()
        assert result.concern == "standard"
        assert result.stalking == "not_indicated"

    def test_emergency_is_also_high_concern(self):
        result = assess({"unwanted": "no", "immediate_danger": "yes"})
        assert result.flags == {"emergency"}
        assert result.concern == "high"


class TestInputHandling:
    def test_missing_yes_no_items_count_as_no(self):
        result = assess(STALKING)
        assert result.risk_count == 0 and result.ptsd_count == 0
        assert result.answers["immediate_danger"] == "no"

    @pytest.mark.parametrize(
        "answers",
        [
            {"unwanted": "maybe"},
            {"repeated": "three"},
            {"relationship": "neighbour"},
            {"risk_frightened": "unsure"},
            {"immediate_danger": True},
            {"behaviours": ["following", "singing"]},
            {"behaviours": "following"},
            {"patient_name": "Jane"},
            {"nhs_number": "9434765919"},
        ],
    )
    def test_unknown_ids_or_values_raise_value_error(self, answers):
        with pytest.raises(ValueError):
            assess(answers)

    def test_result_carries_version_and_plain_string_flags(self):
        result = assess({**STALKING, "immediate_danger": "yes"})
        assert result.rules_version == rules.RULES_VERSION == "2026.1"
        assert all(type(flag) is str for flag in result.flags)
        assert set(result.reasons) >= {"stalking", "concern", "emergency"}

    def test_assess_is_pure(self):
        answers = {**STALKING, **risks(2)}
        snapshot = dict(answers)
        assert assess(answers) == assess(answers)
        assert answers == snapshot
