"""The screening rules 2026.2 (issue 13), rule by rule, every boundary included.

Pure function tests of `screening.rules`: no database. The ids, values and definitions below are
copied from the specification (issue 13 and the shared CONTRACT), not from the code, so that a
rule the code gets wrong fails here. Answer sets are built fully answered (every id present) so
that a missing answer never decides an outcome, except where a test removes it on purpose.
"""

import itertools

import pytest

from screening import rules
from screening.rules import Thresholds, assess

# The specification's definitions, in its own words and order.

SDASH = (
    "risk_frightened",
    "risk_previous_harassment",
    "risk_property_damage",
    "risk_frequent_visits",
    "risk_loitering",
    "risk_threats_violence",
    "risk_third_parties",
    "risk_violence_this_episode",
    "risk_recruited_others",
    "risk_substance_misuse",
    "risk_history_violence",
)
MORE_RISK = (
    "risk_escalation",
    "risk_separation",
    "risk_pregnancy",
    "risk_breach",
    "risk_tech",
    "risk_weapons",
    "risk_strangulation_sexual",
    "risk_perpetrator_suicidal",
)
#: The 16 answers the tally counts.
TALLY = (*SDASH, "risk_escalation", "risk_separation", "risk_pregnancy", "risk_breach", "risk_tech")
TWINS = {
    "property": "risk_property_damage",
    "loitering": "risk_loitering",
    "third_parties": "risk_third_parties",
    "monitoring": "risk_tech",
}
SERIOUS_HARM = (
    "immediate_danger",
    "unsafe_to_go_home",
    "risk_threats_violence",
    "risk_violence_this_episode",
    "risk_history_violence",
    "risk_weapons",
    "risk_strangulation_sexual",
    "risk_perpetrator_suicidal",
    "clinician_concern_high",
)
#: Tally items that are not serious harm answers (safe for testing the tally's boundary).
TALLY_ONLY = tuple(item for item in TALLY if item not in SERIOUS_HARM)
#: ...and that are no behaviour's twin either.
PLAIN = tuple(item for item in TALLY_ONLY if item not in TWINS.values())
PTSD = ("ptsd_intrusion", "ptsd_avoidance", "ptsd_on_guard", "ptsd_numb", "ptsd_guilt")
SAFETY = ("immediate_danger", "unsafe_to_go_home", "children_or_adults_at_risk")
OTHER_YES_NO = (
    "clinician_concern_high",
    "immediate_danger",
    "unsafe_to_go_home",
    "children_or_adults_at_risk",
    "perpetrator_has_record_access",
    "trauma_gate",
    *PTSD,
    "self_harm_thoughts",
)
YES_NO = (*SDASH, *MORE_RISK, *OTHER_YES_NO)
BEHAVIOURS = (
    "following",
    "watching",
    "loitering",
    "contact",
    "gifts",
    "online_publishing",
    "monitoring",
    "third_parties",
    "property",
    "turning_up",
    "threats",
)
RELATIONSHIPS = (
    "current_partner",
    "ex_partner",
    "family",
    "acquaintance",
    "colleague",
    "stranger",
    "unknown",
)
CONNECTED = ("current_partner", "ex_partner", "family")
NOT_CONNECTED = ("acquaintance", "colleague", "stranger", "unknown")
AGES = ("under_16", "16_17", "18_plus", "unknown")
YOUNG = ("under_16", "16_17")
NOT_YOUNG = ("18_plus", "unknown")
FLAGS = {
    "emergency",
    "unsafe_home",
    "ptsd_assessment",
    "urgent_mental_health",
    "safeguarding",
    "domestic_abuse",
    "record_safety",
}

# Building fully answered answer sets.

#: A stranger, an adult, contact said not to be unwanted, once: with every yes/no "no", nothing
#: points to stalking.
NEUTRAL = {
    "unwanted": "no",
    "repeated": "one",
    "fixated": "no",
    "patient_age": "18_plus",
    "relationship": "stranger",
}


def answers(*ticked: str, behaviours=(), **choices) -> dict:
    """Every id answered: the `ticked` yes/no ids yes, the rest no, NEUTRAL unless overridden."""
    full = {item: NEUTRAL.get(item, "no") for item in rules.ANSWER_VALUES}
    full.update(dict.fromkeys(ticked, "yes"))
    full.update(choices)
    full["behaviours"] = list(behaviours)
    return full


def indicated(*ticked: str, behaviours=("following",), **choices) -> dict:
    """Stalking indicated: unwanted, two or more times, a behaviour (following unless given)."""
    choices = {"unwanted": "yes", "repeated": "two_or_more", **choices}
    return answers(*ticked, behaviours=behaviours, **choices)


def possible(*ticked: str, behaviours=(), **choices) -> dict:
    """Stalking possible through `unwanted` = yes alone (once, no behaviour)."""
    return answers(*ticked, behaviours=behaviours, **{"unwanted": "yes", **choices})


LEVELS = {"indicated": indicated, "possible": possible, "not_indicated": answers}


def without(full: dict, *ids: str) -> dict:
    """The answers with these ids left out (not answered)."""
    return {key: value for key, value in full.items() if key not in ids}


def said(result, *keys: str) -> str:
    """The reasons under these keys (every key when none), as one lower-case text."""
    keys = keys or tuple(result.reasons)
    return " ".join(reason for key in keys for reason in result.reasons.get(key, ())).lower()


def words(item: str) -> str:
    """An answer in words, as the reasons must say it (any capitalisation)."""
    return rules.ITEM_WORDS[item].lower()


def describe(value) -> str | None:
    """A short test id for an answer set, a helper or a list (None: pytest's own id)."""
    if callable(value):
        return value.__name__
    if isinstance(value, list | tuple):
        return "+".join(map(str, value)) or "empty"
    if not isinstance(value, dict):
        return None
    base = answers()
    if len(value) < len(base) / 2:
        return "only " + ",".join(f"{k}={v}" for k, v in value.items()) if value else "nothing"
    parts = [
        ("+".join(v) or "no behaviour") if k == "behaviours" else k if v == "yes" else f"{k}={v}"
        for k, v in value.items()
        if base.get(k) != v
    ]
    parts += [f"no {k}" for k in base if k not in value]
    return ",".join(parts) or "clear"


def outcome(result) -> tuple:
    return result.stalking, result.concern, result.flags, result.tally


def disagree(reason: str) -> bool:
    reason = reason.lower()
    return "disagree" in reason and "check" in reason and "patient" in reason


@pytest.fixture(autouse=True)
def directory():
    """Replace the package's database fixture: these are pure function tests."""


class TestContract:
    """The ids and values are those of the CONTRACT, and the result says which rules made it."""

    def test_answer_ids_and_values_are_the_contracts(self):
        expected = {
            "unwanted": {"yes", "no", "unsure"},
            "fixated": {"yes", "no", "unsure"},
            "repeated": {"one", "two_or_more", "unsure"},
            "patient_age": set(AGES),
            "relationship": set(RELATIONSHIPS),
            **{item: {"yes", "no"} for item in YES_NO},
        }
        assert {k: set(v) for k, v in rules.ANSWER_VALUES.items()} == expected

    def test_the_helpers_answer_every_id(self):
        assert set(answers()) == {*rules.ANSWER_VALUES, "behaviours"}
        assert isinstance(answers()["behaviours"], list)

    @pytest.mark.parametrize(
        "given", [answers(), possible(), indicated(), {}, {"immediate_danger": "yes"}], ids=describe
    )
    def test_rules_version(self, given):
        assert rules.RULES_VERSION == "2026.2"
        assert assess(given).rules_version == "2026.2"

    def test_a_clear_case_is_not_indicated_standard_and_raises_no_flag(self):
        result = assess(answers())
        assert (result.stalking, result.concern, result.flags) == (
            "not_indicated",
            "standard",
            set(),
        )


class TestStalkingLevel:
    """Indicated: unwanted yes, two or more, a behaviour. Possible: unwanted yes or unsure, a
    behaviour, a tally of 1 or more, or a serious harm answer. Not indicated: otherwise."""

    @pytest.mark.parametrize("behaviour", BEHAVIOURS)
    def test_indicated_with_each_behaviour(self, behaviour):
        assert assess(indicated(behaviours=[behaviour])).stalking == "indicated"

    @pytest.mark.parametrize(
        "change",
        [
            {"repeated": "one"},
            {"repeated": "unsure"},
            {"unwanted": "unsure"},
            {"unwanted": "no"},
            {"behaviours": []},
        ],
        ids=str,
    )
    def test_one_condition_of_indicated_short_is_possible(self, change):
        assert assess({**indicated(), **change}).stalking == "possible"

    @pytest.mark.parametrize("unwanted", ["yes", "unsure"])
    def test_unwanted_yes_or_unsure_alone_is_possible_and_not_a_disagreement(self, unwanted):
        result = assess(answers(unwanted=unwanted))
        assert result.stalking == "possible"
        assert not any(disagree(reason) for reason in result.reasons["stalking"])

    @pytest.mark.parametrize("behaviour", BEHAVIOURS)
    def test_a_behaviour_alone_is_possible_and_the_answers_disagree(self, behaviour):
        result = assess(answers(behaviours=[behaviour]))
        assert result.stalking == "possible"
        assert any(disagree(reason) for reason in result.reasons["stalking"])

    @pytest.mark.parametrize("item", TALLY)
    def test_a_tally_item_alone_is_possible_and_the_answers_disagree(self, item):
        result = assess(answers(item))
        assert result.stalking == "possible"
        assert any(disagree(reason) for reason in result.reasons["stalking"])

    @pytest.mark.parametrize("item", SERIOUS_HARM)
    def test_a_serious_harm_answer_alone_is_possible_and_the_answers_disagree(self, item):
        result = assess(answers(item))
        assert result.stalking == "possible"
        assert any(disagree(reason) for reason in result.reasons["stalking"])

    @pytest.mark.parametrize("item", SERIOUS_HARM)
    @pytest.mark.parametrize("unwanted", ["yes", "unsure"])
    def test_a_serious_harm_answer_is_never_not_indicated(self, item, unwanted):
        assert assess(answers(item, unwanted=unwanted)).stalking == "possible"

    @pytest.mark.parametrize(
        "given",
        [
            answers(),
            answers(fixated="yes"),
            answers(fixated="unsure"),
            answers(repeated="two_or_more"),
            answers(repeated="unsure"),
            answers("children_or_adults_at_risk"),
            answers("perpetrator_has_record_access"),
            answers("self_harm_thoughts"),
            answers("trauma_gate", *PTSD),
            *[answers(relationship=relationship) for relationship in RELATIONSHIPS],
            *[answers(patient_age=age) for age in AGES],
        ],
        ids=describe,
    )
    def test_not_indicated_when_no_trigger_holds(self, given):
        result = assess(given)
        assert result.stalking == "not_indicated"
        assert result.reasons["stalking"]

    def test_nothing_answered_is_possible(self):
        """A missing `unwanted` counts as unsure."""
        result = assess({})
        assert result.stalking == "possible"
        assert outcome(result) == outcome(assess(answers(unwanted="unsure", repeated="unsure")))


class TestTally:
    """The number of the 16 tally answers yes, each twin counted once; 5 or more is high."""

    @pytest.mark.parametrize("item", TALLY)
    def test_each_tally_item_counts_one(self, item):
        assert assess(answers(item)).tally == 1

    @pytest.mark.parametrize("item", [item for item in SERIOUS_HARM if item not in TALLY])
    def test_serious_harm_answers_outside_the_tally_count_nothing(self, item):
        """`risk_weapons`, `risk_strangulation_sexual`, `risk_perpetrator_suicidal` and others."""
        assert assess(answers(item)).tally == 0

    @pytest.mark.parametrize("start", range(len(TALLY_ONLY)))
    @pytest.mark.parametrize("make", [answers, possible, indicated], ids=describe)
    def test_four_is_not_high_five_is(self, start, make):
        """Every run of 4 and 5 tally items (not serious harm answers) around the list."""
        ring = TALLY_ONLY[start:] + TALLY_ONLY[:start]
        four, five = assess(make(*ring[:4])), assess(make(*ring[:5]))
        assert (four.tally, four.concern) == (4, "raised")
        assert (five.tally, five.concern) == (5, "high")

    @pytest.mark.parametrize("behaviour,twin", TWINS.items())
    @pytest.mark.parametrize("how", ["behaviour", "risk", "both"])
    def test_a_twin_alone_counts_once(self, behaviour, twin, how):
        ticked = (twin,) if how in ("risk", "both") else ()
        behaviours = [behaviour] if how in ("behaviour", "both") else []
        assert assess(answers(*ticked, behaviours=behaviours)).tally == 1

    @pytest.mark.parametrize("behaviour,twin", TWINS.items())
    def test_four_risks_and_the_twin_behaviour_of_one_of_them_stays_four(self, behaviour, twin):
        result = assess(answers(twin, *PLAIN[:3], behaviours=[behaviour]))
        assert (result.tally, result.concern) == (4, "raised")

    @pytest.mark.parametrize("behaviour,twin", TWINS.items())
    @pytest.mark.parametrize("how", ["behaviour", "risk", "both"])
    def test_four_risks_and_a_fifth_item_as_a_twin_makes_five(self, behaviour, twin, how):
        ticked = (twin,) if how in ("risk", "both") else ()
        behaviours = [behaviour] if how in ("behaviour", "both") else []
        result = assess(answers(*PLAIN[:4], *ticked, behaviours=behaviours))
        assert (result.tally, result.concern) == (5, "high")

    def test_all_four_twins_both_ways_count_four(self):
        result = assess(answers(*TWINS.values(), behaviours=list(TWINS)))
        assert (result.tally, result.concern) == (4, "raised")
        with_one_more = assess(answers(*TWINS.values(), PLAIN[0], behaviours=list(TWINS)))
        assert (with_one_more.tally, with_one_more.concern) == (5, "high")

    @pytest.mark.parametrize("threshold", [1, 3, 6, 8])
    def test_the_threshold_is_configurable(self, threshold):
        thresholds = Thresholds(tally_for_high=threshold)
        below = assess(answers(*PLAIN[: threshold - 1]), thresholds)
        at = assess(answers(*PLAIN[:threshold]), thresholds)
        assert below.concern != "high"
        assert at.concern == "high"

    def test_the_default_threshold_is_five(self):
        assert Thresholds().tally_for_high == 5


class TestConcern:
    """High: a serious harm answer or a tally of 5. Raised: indicated; possible with a tally;
    possible and personally connected; `threats`; young with stalking found. Standard: otherwise.
    """

    @pytest.mark.parametrize("item", SERIOUS_HARM)
    @pytest.mark.parametrize("unwanted", ["yes", "unsure", "no"])
    def test_each_serious_harm_answer_alone_is_high(self, item, unwanted):
        assert assess(answers(item, unwanted=unwanted)).concern == "high"

    @pytest.mark.parametrize("item", SERIOUS_HARM)
    def test_each_serious_harm_answer_is_high_when_indicated(self, item):
        assert assess(indicated(item)).concern == "high"

    @pytest.mark.parametrize(
        "given",
        [
            pytest.param(indicated(), id="indicated"),
            pytest.param(answers("risk_frightened"), id="possible by the tally"),
            pytest.param(possible("risk_breach"), id="possible and a tally of 1"),
            *[pytest.param(possible(relationship=rel), id=f"possible, {rel}") for rel in CONNECTED],
            *[
                pytest.param(answers(unwanted="unsure", relationship=rel), id=f"unsure, {rel}")
                for rel in CONNECTED
            ],
            pytest.param(answers(behaviours=["threats"]), id="threats, unwanted no"),
            pytest.param(possible(behaviours=["threats"]), id="threats, once"),
            *[pytest.param(possible(patient_age=age), id=f"possible, {age}") for age in YOUNG],
            *[
                pytest.param(indicated(patient_age=age, behaviours=["gifts"]), id=f"ind., {age}")
                for age in YOUNG
            ],
        ],
    )
    def test_each_trigger_of_raised_alone(self, given):
        assert assess(given).concern == "raised"

    @pytest.mark.parametrize(
        "given",
        [
            pytest.param(answers(), id="not indicated"),
            *[
                pytest.param(
                    answers(relationship=rel, patient_age=age), id=f"not ind., {rel}, {age}"
                )
                for rel in RELATIONSHIPS
                for age in AGES
            ],
            *[
                pytest.param(
                    possible(relationship=rel, patient_age=age), id=f"possible, {rel}, {age}"
                )
                for rel in NOT_CONNECTED
                for age in NOT_YOUNG
            ],
            pytest.param(answers(unwanted="unsure"), id="unsure"),
            pytest.param(answers(unwanted="unsure", behaviours=["gifts"]), id="unsure, gifts"),
            *[
                pytest.param(answers(behaviours=[b]), id=f"{b}, unwanted no")
                for b in BEHAVIOURS
                if b not in ("threats", *TWINS)
            ],
        ],
    )
    def test_standard_otherwise(self, given):
        assert assess(given).concern == "standard"

    @pytest.mark.parametrize("behaviour", BEHAVIOURS)
    @pytest.mark.parametrize("relationship", NOT_CONNECTED)
    @pytest.mark.parametrize("age", NOT_YOUNG)
    @pytest.mark.parametrize("fixated", ["yes", "no", "unsure"])
    def test_indicated_is_never_standard(self, behaviour, relationship, age, fixated):
        given = indicated(
            behaviours=[behaviour], relationship=relationship, patient_age=age, fixated=fixated
        )
        assert assess(given).concern != "standard"


class TestAgeBands:
    """Each age band with each stalking level and each relationship: the age flags and concern."""

    @pytest.mark.parametrize("level", LEVELS)
    @pytest.mark.parametrize("age", AGES)
    @pytest.mark.parametrize("relationship", RELATIONSHIPS)
    def test_each_band_with_each_level(self, relationship, age, level):
        result = assess(LEVELS[level](patient_age=age, relationship=relationship))
        found = level != "not_indicated"
        connected, young = relationship in CONNECTED, age in YOUNG
        expected = {
            "safeguarding": found and young,
            "domestic_abuse": found and connected and age != "under_16",
            "record_safety": found and (connected or young),
        }
        assert result.stalking == level
        assert {flag: flag in result.flags for flag in expected} == expected
        raised = level == "indicated" or (found and (connected or young))
        assert result.concern == ("raised" if raised else "standard")


class TestEmergency:
    """`emergency`: `immediate_danger` = yes."""

    @pytest.mark.parametrize(
        "given",
        [answers("immediate_danger"), indicated("immediate_danger"), {"immediate_danger": "yes"}],
        ids=describe,
    )
    def test_danger_now_is_an_emergency(self, given):
        assert "emergency" in assess(given).flags

    @pytest.mark.parametrize("given", [answers(), answers("unsafe_to_go_home"), {}], ids=describe)
    def test_no_emergency_otherwise(self, given):
        assert "emergency" not in assess(given).flags


class TestUnsafeHome:
    """`unsafe_home`: `unsafe_to_go_home` = yes."""

    @pytest.mark.parametrize(
        "given", [answers("unsafe_to_go_home"), possible("unsafe_to_go_home")], ids=describe
    )
    def test_unsafe_to_go_home(self, given):
        result = assess(given)
        assert "unsafe_home" in result.flags
        assert result.concern == "high"

    @pytest.mark.parametrize("given", [answers(), answers("immediate_danger"), {}], ids=describe)
    def test_not_otherwise(self, given):
        assert "unsafe_home" not in assess(given).flags


class TestPtsdAssessment:
    """`ptsd_assessment`: `trauma_gate` = yes and at least 3 of the 5 PTSD items yes."""

    @pytest.mark.parametrize(
        "items",
        [combo for n in range(len(PTSD) + 1) for combo in itertools.combinations(PTSD, n)],
        ids=lambda items: "+".join(item.removeprefix("ptsd_") for item in items) or "none",
    )
    def test_three_of_five_with_the_gate_yes(self, items):
        result = assess(indicated("trauma_gate", *items))
        assert ("ptsd_assessment" in result.flags) == (len(items) >= 3)

    @pytest.mark.parametrize("gate", [{"trauma_gate": "no"}, {}], ids=describe)
    def test_no_flag_without_the_gate_even_with_all_five(self, gate):
        given = {**without(indicated(*PTSD), "trauma_gate"), **gate}
        assert "ptsd_assessment" not in assess(given).flags

    def test_gate_no_notes_that_ptsd_was_not_screened(self):
        assert "ptsd was not screened" in said(assess(indicated()), "notes")

    @pytest.mark.parametrize("threshold", [1, 2, 4, 5])
    def test_the_threshold_is_configurable(self, threshold):
        thresholds = Thresholds(ptsd_items_for_assessment=threshold)
        below = assess(answers("trauma_gate", *PTSD[: threshold - 1]), thresholds)
        at = assess(answers("trauma_gate", *PTSD[:threshold]), thresholds)
        assert "ptsd_assessment" not in below.flags
        assert "ptsd_assessment" in at.flags


class TestUrgentMentalHealth:
    """`urgent_mental_health`: `self_harm_thoughts` = yes."""

    @pytest.mark.parametrize("make", LEVELS.values(), ids=describe)
    def test_self_harm_thoughts(self, make):
        assert "urgent_mental_health" in assess(make("self_harm_thoughts")).flags
        assert "urgent_mental_health" not in assess(make()).flags


class TestSafeguarding:
    """`safeguarding`: children or adults at risk; young with stalking found; or pregnancy and
    personally connected."""

    @pytest.mark.parametrize(
        "given",
        [
            pytest.param(answers("children_or_adults_at_risk"), id="children or adults at risk"),
            *[
                pytest.param(LEVELS[level](patient_age=age), id=f"{age}, {level}")
                for age in YOUNG
                for level in ("indicated", "possible")
            ],
            *[
                pytest.param(answers("risk_pregnancy", relationship=rel), id=f"pregnancy, {rel}")
                for rel in CONNECTED
            ],
        ],
    )
    def test_each_trigger_alone(self, given):
        assert "safeguarding" in assess(given).flags

    @pytest.mark.parametrize("relationship", NOT_CONNECTED)
    @pytest.mark.parametrize("make", [answers, indicated], ids=describe)
    def test_pregnancy_with_someone_not_personally_connected_is_not_safeguarding(
        self, relationship, make
    ):
        assert "safeguarding" not in assess(make("risk_pregnancy", relationship=relationship)).flags

    @pytest.mark.parametrize(
        "given",
        [
            pytest.param(answers(patient_age="under_16"), id="under_16, not indicated"),
            pytest.param(answers(patient_age="16_17"), id="16_17, not indicated"),
            pytest.param(indicated(), id="adult, indicated"),
            pytest.param(indicated(patient_age="unknown"), id="age unknown, indicated"),
        ],
    )
    def test_not_otherwise(self, given):
        assert "safeguarding" not in assess(given).flags


class TestDomesticAbuse:
    """`domestic_abuse`: personally connected, stalking found, and the patient not under 16."""

    @pytest.mark.parametrize("relationship", CONNECTED)
    @pytest.mark.parametrize("level", ["indicated", "possible"])
    @pytest.mark.parametrize("age", ["16_17", "18_plus", "unknown"])
    def test_each_personally_connected_relationship(self, relationship, level, age):
        result = assess(LEVELS[level](relationship=relationship, patient_age=age))
        assert "domestic_abuse" in result.flags

    @pytest.mark.parametrize("relationship", CONNECTED)
    @pytest.mark.parametrize("make", [indicated, possible], ids=describe)
    def test_not_under_16(self, relationship, make):
        result = assess(make("risk_weapons", relationship=relationship, patient_age="under_16"))
        assert "domestic_abuse" not in result.flags

    @pytest.mark.parametrize("relationship", NOT_CONNECTED)
    def test_not_for_someone_not_personally_connected(self, relationship):
        assert "domestic_abuse" not in assess(indicated(relationship=relationship)).flags

    @pytest.mark.parametrize("relationship", CONNECTED)
    def test_not_when_stalking_is_not_indicated(self, relationship):
        assert "domestic_abuse" not in assess(answers(relationship=relationship)).flags


class TestRecordSafety:
    """`record_safety`: record access; `risk_tech` (also through `monitoring`); or stalking found
    with someone personally connected or a young patient."""

    @pytest.mark.parametrize(
        "given",
        [
            pytest.param(answers("perpetrator_has_record_access"), id="record access"),
            pytest.param(answers("risk_tech"), id="risk_tech"),
            pytest.param(answers(behaviours=["monitoring"]), id="monitoring"),
            *[pytest.param(possible(relationship=rel), id=f"found, {rel}") for rel in CONNECTED],
            *[pytest.param(possible(patient_age=age), id=f"found, {age}") for age in YOUNG],
        ],
    )
    def test_each_trigger_alone(self, given):
        assert "record_safety" in assess(given).flags

    @pytest.mark.parametrize("relationship", NOT_CONNECTED)
    @pytest.mark.parametrize("age", NOT_YOUNG)
    def test_not_for_an_adult_and_someone_not_connected_with_nothing_else(self, relationship, age):
        given = indicated("risk_weapons", relationship=relationship, patient_age=age)
        assert "record_safety" not in assess(given).flags

    @pytest.mark.parametrize("relationship", CONNECTED)
    def test_not_when_not_indicated_even_if_personally_connected(self, relationship):
        assert "record_safety" not in assess(answers(relationship=relationship)).flags

    def test_tracking_never_leaves_a_case_not_indicated(self):
        assert assess(answers("risk_tech")).stalking == "possible"
        assert assess(answers(behaviours=["monitoring"])).stalking == "possible"


class TestMissingAnswers:
    """Missing yes/no = no; missing unwanted, repeated, fixated = unsure; missing relationship or
    age = unknown; missing behaviours = none. The result lists the sections not answered."""

    @pytest.mark.parametrize("item", YES_NO)
    @pytest.mark.parametrize("make", LEVELS.values(), ids=describe)
    def test_missing_yes_no_is_no(self, item, make):
        assert outcome(assess(without(make(), item))) == outcome(assess(make(**{item: "no"})))

    @pytest.mark.parametrize("item", ["unwanted", "repeated", "fixated"])
    @pytest.mark.parametrize("make", LEVELS.values(), ids=describe)
    def test_missing_pattern_answer_is_unsure(self, item, make):
        assert outcome(assess(without(make(), item))) == outcome(assess(make(**{item: "unsure"})))

    @pytest.mark.parametrize(
        "item,context",
        [
            ("relationship", {"patient_age": "18_plus"}),
            ("relationship", {"patient_age": "16_17"}),
            ("patient_age", {"relationship": "stranger"}),
            ("patient_age", {"relationship": "current_partner"}),
        ],
    )
    @pytest.mark.parametrize("make", LEVELS.values(), ids=describe)
    def test_missing_relationship_or_age_is_unknown(self, item, context, make):
        full = make(**context)
        assert outcome(assess(without(full, item))) == outcome(assess({**full, item: "unknown"}))

    @pytest.mark.parametrize("make", LEVELS.values(), ids=describe)
    def test_missing_behaviours_is_none(self, make):
        full = make(behaviours=["threats", "monitoring"])
        assert outcome(assess(without(full, "behaviours"))) == outcome(
            assess({**full, "behaviours": []})
        )

    @pytest.mark.parametrize(
        "section,item",
        [(section, item) for section, items in rules.SECTIONS.items() for item in items],
    )
    def test_a_missing_answer_names_its_section(self, section, item):
        result = assess(without(indicated(), item))
        assert result.unanswered == (section,)
        assert rules.SECTION_WORDS[section].lower() in said(result, "notes")

    def test_sections_not_answered_are_listed_in_page_order(self):
        result = assess(without(indicated(), "self_harm_thoughts", "relationship", "patient_age"))
        assert result.unanswered == ("age", "relationship", "self_harm")
        assert assess({}).unanswered == tuple(rules.SECTIONS)

    @pytest.mark.parametrize(
        "given",
        [answers(), possible(), indicated(), indicated(*TALLY, *SERIOUS_HARM, *OTHER_YES_NO)],
        ids=describe,
    )
    def test_fully_answered_has_nothing_unanswered(self, given):
        result = assess(given)
        assert result.unanswered == ()
        assert "underestimated" not in said(result, "notes")

    @pytest.mark.parametrize(
        "section,full",
        [
            pytest.param("safety", answers("immediate_danger"), id="safety"),
            pytest.param("age", possible(patient_age="16_17"), id="age"),
            pytest.param("pattern", indicated(), id="pattern"),
            pytest.param("relationship", possible(relationship="family"), id="relationship"),
            pytest.param("behaviours", answers(behaviours=["threats"]), id="behaviours"),
            pytest.param("risk_indicators", answers("risk_threats_violence"), id="risk_indicators"),
            pytest.param("more_risk", answers("risk_weapons"), id="more_risk"),
        ],
    )
    def test_a_missing_section_that_lowers_concern_says_it_may_be_underestimated(
        self, section, full
    ):
        """Each of these answer sets loses concern when its section is left out."""
        order = ["standard", "raised", "high"]
        missing = assess(without(full, *rules.SECTIONS[section]))
        assert order.index(missing.concern) < order.index(assess(full).concern)
        assert section in missing.unanswered
        assert "concern may be underestimated" in said(missing, "notes")

    def test_nothing_answered(self):
        result = assess({})
        assert result.unanswered == tuple(rules.SECTIONS)
        assert "concern may be underestimated" in said(result, "notes")

    def test_emergency_alone(self):
        result = assess({"immediate_danger": "yes"})
        assert "emergency" in result.flags and result.concern == "high"
        assert set(rules.SECTIONS) - {"safety"} <= set(result.unanswered)
        assert "concern may be underestimated" in said(result, "notes")


class TestBadInput:
    """An unknown id, value or behaviour, a non-list behaviours value, a non-mapping: ValueError."""

    @pytest.mark.parametrize("item", ["made_up", "risk_weapon", "Unwanted", "ptsd_sleep", 1])
    def test_unknown_id(self, item):
        with pytest.raises(ValueError):
            assess({**answers(), item: "yes"})

    @pytest.mark.parametrize(
        "item,value",
        [
            ("unwanted", "maybe"),
            ("unwanted", "Yes"),
            ("unwanted", ""),
            ("unwanted", True),
            ("fixated", "sometimes"),
            ("repeated", "twice"),
            ("repeated", "yes"),
            ("patient_age", "15"),
            ("patient_age", 15),
            ("patient_age", "16-17"),
            ("relationship", "partner"),
            ("relationship", "ex-partner"),
            ("risk_weapons", "unsure"),
            ("risk_weapons", True),
            ("immediate_danger", "y"),
            ("ptsd_guilt", 1),
        ],
    )
    def test_unknown_value(self, item, value):
        with pytest.raises(ValueError):
            assess({**answers(), item: value})

    @pytest.mark.parametrize(
        "behaviours", [["flying"], ["following", "stalking"], [None], ["yes"]], ids=describe
    )
    def test_unknown_behaviour(self, behaviours):
        with pytest.raises(ValueError):
            assess(answers(behaviours=behaviours))

    @pytest.mark.parametrize("value", ["following", "", 1, True, {"following": True}], ids=describe)
    def test_behaviours_not_a_list(self, value):
        with pytest.raises(ValueError):
            assess({**answers(), "behaviours": value})

    @pytest.mark.parametrize(
        "value", [["unwanted"], [("unwanted", "yes")], "unwanted=yes", None, 42], ids=describe
    )
    def test_not_a_mapping(self, value):
        with pytest.raises(ValueError):
            assess(value)


class TestReasons:
    """Every level and flag carries its reasons, listing every answer that raised it."""

    @pytest.mark.parametrize(
        "given",
        [
            pytest.param(answers(), id="clear"),
            pytest.param(possible(), id="possible"),
            pytest.param(indicated(), id="indicated"),
            pytest.param(answers(behaviours=["gifts"]), id="disagree"),
            pytest.param(answers(*PLAIN[:5]), id="high by tally"),
            pytest.param({}, id="nothing answered"),
            pytest.param({"immediate_danger": "yes"}, id="danger only"),
            pytest.param(
                indicated(
                    *SAFETY,
                    "perpetrator_has_record_access",
                    "self_harm_thoughts",
                    "trauma_gate",
                    *PTSD,
                    "risk_pregnancy",
                    relationship="family",
                    patient_age="16_17",
                ),
                id="every flag",
            ),
        ],
    )
    def test_every_level_and_flag_has_reasons(self, given):
        result = assess(given)
        for key in ("stalking", "concern", *result.flags):
            assert result.reasons[key], key
            assert all(isinstance(r, str) and r.strip() for r in result.reasons[key])

    def test_every_flag_can_be_raised_at_once(self):
        given = indicated(
            *SAFETY,
            "self_harm_thoughts",
            "trauma_gate",
            *PTSD,
            "risk_pregnancy",
            relationship="family",
        )
        assert assess(given).flags == FLAGS

    def test_indicated_names_every_behaviour(self):
        result = assess(indicated(behaviours=BEHAVIOURS))
        for behaviour in BEHAVIOURS:
            assert rules.BEHAVIOUR_WORDS[behaviour].lower() in said(result, "stalking")
        assert "behaviour(s)" not in said(result)

    def test_possible_names_every_answer_that_raised_it(self):
        ticked = ("risk_frightened", "risk_breach", "risk_weapons", "clinician_concern_high")
        result = assess(answers(*ticked, behaviours=["gifts", "watching"]))
        text = said(result, "stalking")
        for item in ticked:
            assert words(item) in text
        for behaviour in ("gifts", "watching"):
            assert rules.BEHAVIOUR_WORDS[behaviour].lower() in text

    @pytest.mark.parametrize("make", LEVELS.values(), ids=describe)
    def test_four_risk_indicators_all_appear_in_the_concern_reasons(self, make):
        four = ("risk_frightened", "risk_frequent_visits", "risk_substance_misuse", "risk_tech")
        result = assess(make(*four))
        assert result.concern == "raised"
        for item in four:
            assert words(item) in said(result, "concern")

    def test_high_by_tally_names_every_item_including_twins_ticked_as_behaviours(self):
        result = assess(answers(*PLAIN[:3], behaviours=["property", "monitoring"]))
        assert result.concern == "high"
        for item in (*PLAIN[:3], "risk_property_damage", "risk_tech"):
            assert words(item) in said(result, "concern")

    def test_every_serious_harm_answer_appears_in_the_high_concern_reasons(self):
        result = assess(indicated(*SERIOUS_HARM))
        for item in SERIOUS_HARM:
            assert words(item) in said(result, "concern")

    @pytest.mark.parametrize("item", SERIOUS_HARM)
    def test_a_serious_harm_answer_alone_appears_in_the_reasons(self, item):
        result = assess(answers(item))
        assert words(item) in said(result, "concern")
        assert words(item) in said(result, "stalking")

    @pytest.mark.parametrize(
        "given,expected",
        [
            *[(possible(relationship=rel), rules.RELATIONSHIP_WORDS[rel]) for rel in CONNECTED],
            *[(possible(patient_age=age), rules.AGE_WORDS[age]) for age in YOUNG],
            (answers(behaviours=["threats"]), "threat"),
            (indicated(), "indicated"),
        ],
        ids=describe,
    )
    def test_raised_concern_says_why(self, given, expected):
        result = assess(given)
        assert result.concern == "raised"
        assert expected.lower() in said(result, "concern")

    @pytest.mark.parametrize(
        "flag,given,expected",
        [
            ("emergency", answers("immediate_danger"), [words("immediate_danger")]),
            ("unsafe_home", answers("unsafe_to_go_home"), [words("unsafe_to_go_home")]),
            ("urgent_mental_health", answers("self_harm_thoughts"), [words("self_harm_thoughts")]),
            ("ptsd_assessment", answers("trauma_gate", *PTSD[:4]), ["4"]),
            (
                "safeguarding",
                possible(
                    "children_or_adults_at_risk",
                    "risk_pregnancy",
                    patient_age="16_17",
                    relationship="ex_partner",
                ),
                [
                    words("children_or_adults_at_risk"),
                    rules.AGE_WORDS["16_17"],
                    words("risk_pregnancy"),
                ],
            ),
            *[
                ("domestic_abuse", possible(relationship=rel), [rules.RELATIONSHIP_WORDS[rel]])
                for rel in CONNECTED
            ],
            (
                "record_safety",
                possible(
                    "perpetrator_has_record_access",
                    "risk_tech",
                    relationship="family",
                    patient_age="16_17",
                ),
                [
                    words("perpetrator_has_record_access"),
                    words("risk_tech"),
                    rules.RELATIONSHIP_WORDS["family"],
                    rules.AGE_WORDS["16_17"],
                ],
            ),
        ],
        ids=describe,
    )
    def test_each_flag_names_every_answer_that_raised_it(self, flag, given, expected):
        result = assess(given)
        assert flag in result.flags
        for text in expected:
            assert text.lower() in said(result, flag)

    def test_monitoring_is_named_in_the_record_safety_reasons(self):
        text = said(assess(answers(behaviours=["monitoring"])), "record_safety")
        assert rules.BEHAVIOUR_WORDS["monitoring"].lower() in text or words("risk_tech") in text

    def test_unknown_age_says_the_act_applies_from_16(self):
        result = assess(indicated(relationship="family", patient_age="unknown"))
        assert "16" in said(result, "domestic_abuse")

    @pytest.mark.parametrize(
        "given",
        [
            possible(relationship="current_partner"),
            indicated(relationship="current_partner"),
            indicated("risk_pregnancy", "risk_weapons", relationship="current_partner"),
            possible(relationship="current_partner", patient_age="16_17"),
            indicated(relationship="current_partner", patient_age="under_16"),
        ],
        ids=describe,
    )
    def test_a_current_partner_is_never_called_an_ex_partner(self, given):
        text = said(assess(given))
        assert "current partner" in text
        assert "ex-partner" not in text and "ex partner" not in text


class TestPtsdQuestionsRequired:
    """Required when stalking is indicated or possible, never in danger now or unsafe at home."""

    @pytest.mark.parametrize("level", ["indicated", "possible"])
    @pytest.mark.parametrize("danger", ["immediate_danger", "unsafe_to_go_home"])
    def test_never_in_danger(self, level, danger):
        given = LEVELS[level](danger)
        assert rules.ptsd_questions_required(assess(given).stalking, given) is False

    def test_never_with_danger_now_and_nothing_else_answered(self):
        given = {"immediate_danger": "yes"}
        assert rules.ptsd_questions_required(assess(given).stalking, given) is False

    @pytest.mark.parametrize(
        "given",
        [indicated(), possible(), answers(behaviours=["gifts"]), answers("risk_breach")],
        ids=describe,
    )
    def test_required_when_stalking_is_found_otherwise(self, given):
        assert rules.ptsd_questions_required(assess(given).stalking, given) is True

    @pytest.mark.parametrize(
        "given", [answers(), answers(relationship="current_partner")], ids=describe
    )
    def test_not_required_when_not_indicated(self, given):
        result = assess(given)
        assert result.stalking == "not_indicated"
        assert rules.ptsd_questions_required(result.stalking, given) is False


class TestCasesFromTheIssue:
    """The cases in issue 13's "Why"."""

    STRANGER_CASE = indicated(behaviours=["following", "threats", "property"])

    def test_stranger_follows_threatens_damages_property_with_the_risk_list_all_no(self):
        result = assess(self.STRANGER_CASE)
        assert (result.stalking, result.concern) == ("indicated", "raised")

    def test_stranger_follows_threatens_damages_property_with_the_risk_list_unanswered(self):
        result = assess(without(self.STRANGER_CASE, *SDASH, *MORE_RISK))
        assert (result.stalking, result.concern) == ("indicated", "raised")
        assert {"risk_indicators", "more_risk"} <= set(result.unanswered)
        assert "concern may be underestimated" in said(result, "notes")

    def test_stranger_who_threatens_with_threatened_violence_yes_is_high(self):
        result = assess({**self.STRANGER_CASE, "risk_threats_violence": "yes"})
        assert (result.stalking, result.concern) == ("indicated", "high")

    def test_not_unwanted_with_four_risk_indicators_is_possible(self):
        four = (
            "risk_frightened",
            "risk_previous_harassment",
            "risk_frequent_visits",
            "risk_breach",
        )
        result = assess(answers(*four))
        assert (result.stalking, result.concern) == ("possible", "raised")
        assert any(disagree(reason) for reason in result.reasons["stalking"])
        for item in four:
            assert words(item) in said(result, "stalking")

    def test_fifteen_year_old_followed_by_a_stranger(self):
        result = assess(indicated(patient_age="under_16"))
        assert result.stalking == "indicated"
        assert {"safeguarding", "record_safety"} <= result.flags
        assert "domestic_abuse" not in result.flags

    def test_under_16_followed_by_a_current_partner(self):
        result = assess(indicated(patient_age="under_16", relationship="current_partner"))
        assert {"safeguarding", "record_safety"} <= result.flags
        assert "domestic_abuse" not in result.flags

    def test_someone_dated_once_is_domestic_abuse(self):
        """`ex_partner` includes anyone the patient has had an intimate relationship with."""
        assert "domestic_abuse" in assess(possible(relationship="ex_partner")).flags

    def test_danger_now_with_nothing_else_answered_gives_a_result(self):
        given = {"immediate_danger": "yes"}
        result = assess(given)
        assert "emergency" in result.flags
        assert not rules.ptsd_questions_required(result.stalking, given)
