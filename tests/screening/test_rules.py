"""The screening rules 2026.2, rule by rule, including every boundary (issue 13)."""

import pytest

from screening import rules
from screening.rules import assess

#: A fully answered case with nothing of concern: every id present, all "no".
CLEAR = {
    **dict.fromkeys(rules.YES_NO_ITEMS, "no"),
    "unwanted": "no",
    "repeated": "one",
    "fixated": "no",
    "patient_age": "18_plus",
    "relationship": "stranger",
    "behaviours": [],
}
#: Stalking indicated, nothing else.
INDICATED = {**CLEAR, "unwanted": "yes", "repeated": "two_or_more", "behaviours": ["following"]}
#: Stalking possible (unwanted, once, no behaviour), nothing else.
POSSIBLE = {**CLEAR, "unwanted": "yes"}

#: Tally items that are not serious harm answers and have no twin behaviour.
PLAIN_TALLY = [
    "risk_frightened",
    "risk_previous_harassment",
    "risk_frequent_visits",
    "risk_recruited_others",
    "risk_substance_misuse",
    "risk_escalation",
    "risk_separation",
    "risk_breach",
]
LEVEL_ANSWERS = {"indicated": INDICATED, "possible": POSSIBLE, "not_indicated": CLEAR}


def yes(*items) -> dict:
    return dict.fromkeys(items, "yes")


class TestDefinitions:
    def test_tally_has_sixteen_items_and_excludes_three_serious_harm_factors(self):
        assert len(rules.TALLY_ITEMS) == 16
        for item in ("risk_weapons", "risk_strangulation_sexual", "risk_perpetrator_suicidal"):
            assert item not in rules.TALLY_ITEMS and item in rules.SERIOUS_HARM_ITEMS

    def test_version(self):
        assert assess(CLEAR).rules_version == rules.RULES_VERSION == "2026.2"

    def test_a_complete_answer_set_has_nothing_unanswered(self):
        assert assess(CLEAR).unanswered == ()
        assert "notes" not in assess({**CLEAR, "trauma_gate": "yes"}).reasons


class TestStalkingLevel:
    def test_indicated(self):
        result = assess(INDICATED)
        assert result.stalking == "indicated"
        assert result.reasons["stalking"][:2] == (
            "The contact or behaviour is unwanted.",
            "It has happened two or more times.",
        )

    @pytest.mark.parametrize(
        "answers",
        [
            {**INDICATED, "repeated": "one"},
            {**INDICATED, "repeated": "unsure"},
            {**INDICATED, "behaviours": []},
            {**INDICATED, "unwanted": "unsure"},
        ],
    )
    def test_one_condition_short_is_possible(self, answers):
        assert assess(answers).stalking == "possible"

    @pytest.mark.parametrize(
        "trigger",
        [
            {"unwanted": "yes"},
            {"unwanted": "unsure"},
            {"behaviours": ["gifts"]},
            yes("risk_frightened"),
            *[yes(item) for item in rules.SERIOUS_HARM_ITEMS],
        ],
        ids=lambda t: next(iter(t)) + "=" + str(next(iter(t.values()))),
    )
    def test_each_trigger_of_possible_alone(self, trigger):
        result = assess({**CLEAR, **trigger})
        assert result.stalking == "possible"

    @pytest.mark.parametrize(
        "trigger",
        [{"behaviours": ["gifts"]}, yes("risk_frightened"), *map(yes, rules.SERIOUS_HARM_ITEMS)],
    )
    def test_not_unwanted_but_another_trigger_says_the_answers_disagree(self, trigger):
        result = assess({**CLEAR, **trigger})
        assert result.stalking == "possible"
        first = result.reasons["stalking"][0]
        assert "answers disagree" in first and "Check this with the patient" in first

    def test_not_unwanted_with_four_risk_indicators_is_possible_and_lists_them(self):
        four = PLAIN_TALLY[:4]
        result = assess({**CLEAR, **yes(*four)})
        assert result.stalking == "possible"
        joined = " ".join(result.reasons["stalking"])
        for item in four:
            assert rules.ITEM_WORDS[item] in joined

    def test_not_indicated_only_when_nothing_points_to_stalking(self):
        result = assess(CLEAR)
        assert result.stalking == "not_indicated"
        assert result.reasons["stalking"]

    def test_nothing_answered_is_possible(self):
        assert assess({}).stalking == "possible"

    def test_fixated_does_not_change_the_level(self):
        assert assess({**INDICATED, "fixated": "no"}).stalking == "indicated"

    def test_indicated_reasons_name_every_behaviour(self):
        result = assess({**INDICATED, "behaviours": list(rules.BEHAVIOURS)})
        joined = " ".join(result.reasons["stalking"])
        for behaviour in rules.BEHAVIOURS:
            assert rules.BEHAVIOUR_WORDS[behaviour] in joined
        assert "behaviour(s)" not in joined


class TestTally:
    @pytest.mark.parametrize("n,concern", [(4, "raised"), (5, "high")])
    def test_four_is_not_high_five_is(self, n, concern):
        result = assess({**INDICATED, **yes(*PLAIN_TALLY[:n])})
        assert result.tally == n and result.concern == concern

    @pytest.mark.parametrize("behaviour,twin", sorted(rules.BEHAVIOUR_TWINS.items()))
    @pytest.mark.parametrize("how", ["behaviour", "risk", "both"])
    def test_each_twin_counts_once(self, behaviour, twin, how):
        answers = {**INDICATED, **yes(*PLAIN_TALLY[:3])}
        if how in ("behaviour", "both"):
            answers["behaviours"] = ["following", behaviour]
        if how in ("risk", "both"):
            answers[twin] = "yes"
        result = assess(answers)
        assert result.tally == 4 and result.concern == "raised"
        # One more plain item reaches the threshold: the twin was counted once, not twice.
        assert assess({**answers, PLAIN_TALLY[3]: "yes"}).concern == "high"

    def test_all_four_twins_as_behaviours_and_one_more_is_five(self):
        answers = {**INDICATED, "behaviours": list(rules.BEHAVIOUR_TWINS), **yes(PLAIN_TALLY[0])}
        result = assess(answers)
        assert result.tally == 5 and result.concern == "high"
        joined = " ".join(result.reasons["concern"])
        for twin in rules.BEHAVIOUR_TWINS.values():
            assert rules.ITEM_WORDS[twin] in joined

    def test_threshold_is_configurable(self):
        answers = {**INDICATED, **yes(*PLAIN_TALLY[:3])}
        assert assess(answers, rules.Thresholds(tally_for_high=3)).concern == "high"
        assert assess(answers).concern == "raised"


class TestConcern:
    @pytest.mark.parametrize("item", rules.SERIOUS_HARM_ITEMS)
    @pytest.mark.parametrize("unwanted", ["yes", "no"])
    def test_each_serious_harm_answer_alone_is_high(self, item, unwanted):
        result = assess({**CLEAR, "unwanted": unwanted, item: "yes"})
        assert result.concern == "high"
        assert result.stalking != "not_indicated"
        assert rules.ITEM_WORDS[item][1:] in " ".join(result.reasons["concern"])

    def test_every_serious_harm_answer_is_listed(self):
        result = assess({**INDICATED, **yes(*rules.SERIOUS_HARM_ITEMS)})
        assert len(result.reasons["concern"]) == len(rules.SERIOUS_HARM_ITEMS)

    @pytest.mark.parametrize(
        "answers",
        [
            INDICATED,
            {**INDICATED, "behaviours": ["gifts"]},
            {**INDICATED, "relationship": "colleague", "patient_age": "unknown"},
            {**INDICATED, "behaviours": ["contact", "watching"], "relationship": "unknown"},
        ],
    )
    def test_indicated_is_never_standard(self, answers):
        assert assess(answers).concern != "standard"

    @pytest.mark.parametrize(
        "answers,why",
        [
            (INDICATED, "Stalking is indicated."),
            ({**POSSIBLE, **yes("risk_frightened")}, "Stalking is possible, with risk"),
            ({**POSSIBLE, "relationship": "current_partner"}, "current partner"),
            ({**POSSIBLE, "relationship": "ex_partner"}, "ex-partner"),
            ({**POSSIBLE, "relationship": "family"}, "a relative"),
            ({**CLEAR, "behaviours": ["threats"]}, "threatened the patient"),
            ({**POSSIBLE, "patient_age": "under_16"}, "under 16"),
            ({**POSSIBLE, "patient_age": "16_17"}, "16 or 17"),
        ],
    )
    def test_each_trigger_of_raised_alone(self, answers, why):
        result = assess(answers)
        assert result.concern == "raised"
        assert why in " ".join(result.reasons["concern"])

    @pytest.mark.parametrize("relationship", ["acquaintance", "colleague", "stranger", "unknown"])
    def test_possible_with_someone_not_connected_and_no_risk_is_standard(self, relationship):
        assert assess({**POSSIBLE, "relationship": relationship}).concern == "standard"

    def test_threats_as_a_behaviour_raises_even_with_other_answers_clear(self):
        result = assess({**CLEAR, "unwanted": "yes", "behaviours": ["threats"]})
        assert result.concern == "raised"

    def test_stranger_follows_threatens_damages_property_with_risks_blank(self):
        answers = {**INDICATED, "behaviours": ["following", "threats", "property"]}
        result = assess(answers)
        assert (result.stalking, result.concern) == ("indicated", "raised")
        assert result.tally == 1  # the property twin
        high = assess({**answers, "risk_threats_violence": "yes"})
        assert high.concern == "high"


class TestAgeBands:
    @pytest.mark.parametrize("level", ["indicated", "possible", "not_indicated"])
    @pytest.mark.parametrize("age", rules.AGE_BANDS)
    def test_each_band_with_each_level_stranger(self, level, age):
        result = assess({**LEVEL_ANSWERS[level], "patient_age": age})
        young_and_found = age in rules.YOUNG and level != "not_indicated"
        assert ("safeguarding" in result.flags) == young_and_found
        assert ("record_safety" in result.flags) == young_and_found
        assert "domestic_abuse" not in result.flags
        if young_and_found:
            assert result.concern in ("raised", "high")

    @pytest.mark.parametrize("level", ["indicated", "possible", "not_indicated"])
    @pytest.mark.parametrize("age", rules.AGE_BANDS)
    def test_each_band_with_each_level_current_partner(self, level, age):
        result = assess(
            {**LEVEL_ANSWERS[level], "patient_age": age, "relationship": "current_partner"}
        )
        found = level != "not_indicated"
        assert ("domestic_abuse" in result.flags) == (found and age != "under_16")
        assert ("record_safety" in result.flags) == found
        assert ("safeguarding" in result.flags) == (found and age in rules.YOUNG)

    def test_fifteen_year_old_followed_by_a_stranger(self):
        result = assess({**INDICATED, "patient_age": "under_16"})
        assert "safeguarding" in result.flags and "domestic_abuse" not in result.flags
        assert "under 16" in " ".join(result.reasons["safeguarding"])

    def test_unknown_age_still_gets_domestic_abuse_and_says_why(self):
        result = assess({**INDICATED, "relationship": "family", "patient_age": "unknown"})
        assert "domestic_abuse" in result.flags
        assert "age is not known" in " ".join(result.reasons["domestic_abuse"])


class TestFlags:
    def test_emergency(self):
        result = assess({**CLEAR, "immediate_danger": "yes"})
        assert "emergency" in result.flags and result.reasons["emergency"]
        assert "emergency" not in assess(CLEAR).flags

    def test_unsafe_home(self):
        result = assess({**CLEAR, "unsafe_to_go_home": "yes"})
        assert "unsafe_home" in result.flags and result.concern == "high"
        assert "emergency" not in result.flags

    @pytest.mark.parametrize("n,flagged", [(0, False), (2, False), (3, True), (5, True)])
    def test_ptsd_boundary(self, n, flagged):
        result = assess({**CLEAR, "trauma_gate": "yes", **yes(*rules.PTSD_ITEMS[:n])})
        assert ("ptsd_assessment" in result.flags) is flagged
        assert result.ptsd_count == n

    def test_ptsd_gate_no_means_no_flag_and_a_note(self):
        result = assess({**CLEAR, "trauma_gate": "no", **yes(*rules.PTSD_ITEMS)})
        assert "ptsd_assessment" not in result.flags
        assert any("PTSD was not screened" in n for n in result.reasons["notes"])

    def test_ptsd_threshold_configurable(self):
        answers = {**CLEAR, "trauma_gate": "yes", **yes(*rules.PTSD_ITEMS[:2])}
        thresholds = rules.Thresholds(ptsd_items_for_assessment=2)
        assert "ptsd_assessment" in assess(answers, thresholds).flags

    def test_urgent_mental_health(self):
        assert "urgent_mental_health" in assess({**CLEAR, "self_harm_thoughts": "yes"}).flags

    @pytest.mark.parametrize(
        "answers",
        [
            {**CLEAR, "children_or_adults_at_risk": "yes"},
            {**POSSIBLE, "patient_age": "16_17"},
            {**CLEAR, "risk_pregnancy": "yes", "relationship": "ex_partner"},
        ],
    )
    def test_each_safeguarding_trigger_alone(self, answers):
        assert "safeguarding" in assess(answers).flags

    def test_pregnancy_with_a_stranger_is_not_safeguarding(self):
        assert "safeguarding" not in assess({**CLEAR, "risk_pregnancy": "yes"}).flags

    @pytest.mark.parametrize("relationship", rules.PERSONALLY_CONNECTED)
    def test_domestic_abuse_for_each_personally_connected_relationship(self, relationship):
        result = assess({**POSSIBLE, "relationship": relationship})
        assert "domestic_abuse" in result.flags
        assert rules.RELATIONSHIP_WORDS[relationship] in " ".join(result.reasons["domestic_abuse"])

    @pytest.mark.parametrize("relationship", ["acquaintance", "colleague", "stranger", "unknown"])
    def test_no_domestic_abuse_for_others(self, relationship):
        assert "domestic_abuse" not in assess({**INDICATED, "relationship": relationship}).flags

    def test_no_domestic_abuse_when_not_indicated(self):
        assert "domestic_abuse" not in assess({**CLEAR, "relationship": "ex_partner"}).flags

    def test_current_partner_is_never_called_an_ex_partner(self):
        result = assess({**INDICATED, "relationship": "current_partner"})
        text = " ".join(" ".join(r) for r in result.reasons.values())
        assert "current partner" in text and "ex-partner" not in text

    @pytest.mark.parametrize(
        "answers",
        [
            {**CLEAR, "perpetrator_has_record_access": "yes"},
            {**CLEAR, "risk_tech": "yes"},
            {**CLEAR, "behaviours": ["monitoring"]},
            {**POSSIBLE, "relationship": "current_partner"},
            {**POSSIBLE, "patient_age": "under_16"},
        ],
    )
    def test_each_record_safety_trigger_alone(self, answers):
        result = assess(answers)
        assert "record_safety" in result.flags and result.reasons["record_safety"]

    def test_no_record_safety_for_an_adult_and_a_stranger_with_nothing_else(self):
        assert "record_safety" not in assess(INDICATED).flags

    def test_tracking_never_leaves_a_case_not_indicated(self):
        assert assess({**CLEAR, "risk_tech": "yes"}).stalking == "possible"

    def test_every_flag_has_reasons(self):
        result = assess(
            {
                **INDICATED,
                **yes(*rules.SAFETY_ITEMS, "self_harm_thoughts", "trauma_gate", "risk_pregnancy"),
                **yes(*rules.PTSD_ITEMS),
                "relationship": "family",
            }
        )
        assert result.flags == {flag.value for flag in rules.Flag}
        for flag in result.flags:
            assert result.reasons[flag]


class TestMissingAnswers:
    def test_missing_yes_no_is_no(self):
        answers = {k: v for k, v in CLEAR.items() if k != "risk_weapons"}
        result = assess(answers)
        assert result.answers["risk_weapons"] == "no"
        assert result.unanswered == ("more_risk",)
        assert any("underestimated" in n for n in result.reasons["notes"])

    @pytest.mark.parametrize("item", ["unwanted", "repeated", "fixated"])
    def test_missing_pattern_answer_is_unsure(self, item):
        answers = {k: v for k, v in CLEAR.items() if k != item}
        result = assess(answers)
        assert result.answers[item] == "unsure" and result.unanswered == ("pattern",)

    @pytest.mark.parametrize(
        "item,section", [("relationship", "relationship"), ("patient_age", "age")]
    )
    def test_missing_relationship_or_age_is_unknown(self, item, section):
        result = assess({k: v for k, v in CLEAR.items() if k != item})
        assert result.answers[item] == "unknown" and result.unanswered == (section,)

    def test_missing_behaviours_is_none(self):
        result = assess({k: v for k, v in CLEAR.items() if k != "behaviours"})
        assert result.answers["behaviours"] == () and result.unanswered == ("behaviours",)

    def test_missing_ptsd_gate_is_noted_but_not_a_risk_gap(self):
        result = assess({k: v for k, v in CLEAR.items() if k != "trauma_gate"})
        assert result.unanswered == ("ptsd",)
        assert not any("underestimated" in n for n in result.reasons["notes"])

    def test_emergency_alone(self):
        result = assess({"immediate_danger": "yes"})
        assert "emergency" in result.flags and result.concern == "high"
        assert result.unanswered == tuple(rules.SECTIONS)
        assert result.reasons["notes"][0].startswith("Not answered: safety now")


class TestBadInput:
    @pytest.mark.parametrize(
        "answers",
        [
            {"made_up": "yes"},
            {"unwanted": "maybe"},
            {"relationship": "partner"},
            {"patient_age": "15"},
            {"behaviours": ["flying"]},
            {"behaviours": "following"},
            {"risk_weapons": True},
        ],
    )
    def test_unknown_id_or_value_raises(self, answers):
        with pytest.raises(ValueError):
            assess(answers)

    def test_non_mapping_raises(self):
        with pytest.raises(ValueError):
            assess(["unwanted"])

    @pytest.mark.parametrize("level", ["indicated", "possible"])
    @pytest.mark.parametrize("danger", ["immediate_danger", "unsafe_to_go_home"])
    def test_ptsd_questions_are_never_required_in_danger(self, level, danger):
        answers = {**LEVEL_ANSWERS[level], danger: "yes"}
        assert not rules.ptsd_questions_required(assess(answers).stalking, answers)
        assert rules.ptsd_questions_required(
            assess(LEVEL_ANSWERS[level]).stalking, LEVEL_ANSWERS[level]
        )

    def test_ptsd_questions_not_required_when_not_indicated(self):
        assert not rules.ptsd_questions_required(rules.Stalking.NOT_INDICATED, CLEAR)
