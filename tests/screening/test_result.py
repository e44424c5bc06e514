"""The result page under rules 2026.2: cards in order, actions by level, a safe record."""

import re
import uuid

import pytest
from django.urls import reverse

from screening import rules
from screening.models import Screening
from tests.screening.test_views import form_data

NEW = reverse("screening:new")
pytestmark = pytest.mark.django_db


def _result(client, **answers) -> tuple[Screening, str]:
    """Submit the checklist with these overrides and return the screening and its page."""
    response = client.post(NEW, form_data(**answers))
    assert response.status_code == 302, response.content.decode()[:2000]
    screening = Screening.objects.get(submission_id=response.wsgi_request.POST["submission"])
    html = client.get(screening.get_absolute_url()).content.decode()
    return screening, html[html.index('id="maincontent"') :]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


STRANGER_FOLLOWS_THREATENS_DAMAGES = {
    "relationship": "stranger",
    "behaviours": ["following", "threats", "property"],
    "risk_threats_violence": "no",
    "risks": ["none"],
    "more_risks": ["none"],
    "children_or_adults_at_risk": "no",
}


class TestOrder:
    def test_emergency_then_mental_health_then_unsafe_home_then_the_heading(self, clinician_client):
        _, html = _result(
            clinician_client,
            immediate_danger="yes",
            unsafe_to_go_home="yes",
            self_harm_thoughts="yes",
        )
        positions = [
            html.index('id="action-emergency"'),
            html.index('id="action-urgent_mental_health"'),
            html.index('id="action-unsafe_home"'),
            html.index("<h1"),
        ]
        assert positions == sorted(positions)

    def test_emergency_card_wording_states_the_silent_solution_plainly(self, clinician_client):
        _, html = _result(clinician_client, immediate_danger="yes")
        card = _text(html[html.index('id="action-emergency"') : html.index("<h1")])
        assert "Call 999 now" in card
        assert "press 55" in card and "mobiles only" in card
        assert "does not tell the police where the caller is" in card
        assert "landline" in card and "stay on the line" in card
        assert "practice's own phone" in card

    def test_unsafe_home_card_gives_the_same_day_routes(self, clinician_client):
        _, html = _result(clinician_client, unsafe_to_go_home="yes")
        card = _text(html[html.index('id="action-unsafe_home"') : html.index("<h1")])
        for route in (
            "101",
            "IDVA",
            "0808 2000 247",
            "Men's Advice Line",
            "Galop",
            "refuge",
            "homelessness",
        ):
            assert route in card

    def test_emergency_alone_says_what_was_not_answered(self, clinician_client):
        clinician_client.post(NEW, {"submission": str(uuid.uuid4()), "immediate_danger": "yes"})
        screening = Screening.objects.get()
        html = _text(clinician_client.get(screening.get_absolute_url()).content.decode())
        assert "Not answered: safety now; the patient's age; the pattern" in html
        assert "concern may be underestimated" in html


class TestActions:
    def test_stranger_who_follows_threatens_and_damages_property(self, clinician_client):
        screening, html = _result(clinician_client, **STRANGER_FOLLOWS_THREATENS_DAMAGES)
        assert screening.stalking == "indicated" and screening.concern == "raised"
        text = _text(html)
        assert "Keep the door open" not in text
        assert "National Stalking Helpline" in text and "log of every incident" in text
        assert "Book a follow-up" in text and "report it to the police" in text

    def test_same_stranger_with_violence_threatened_is_high_with_police_isac_and_paladin(
        self, clinician_client
    ):
        screening, html = _result(
            clinician_client,
            **{**STRANGER_FOLLOWS_THREATENS_DAMAGES, "risk_threats_violence": "yes"},
        )
        assert screening.concern == "high"
        card = _text(html[html.index('id="action-concern_high_other"') :])
        assert "stalking lead" in card and "ISAC" in card and "Paladin" in card
        assert "MARAC" not in _text(html[html.index("<h1") : html.index("Where to refer")])

    def test_current_partner_gets_the_domestic_abuse_route_and_marac_when_high(
        self, clinician_client
    ):
        screening, html = _result(clinician_client, relationship="current_partner")
        assert "domestic_abuse" in screening.flags and screening.concern == "high"
        text = _text(html)
        reasons = _text(html[html.index('<dl class="nhsuk-summary-list">') :].split("</dl>")[0])
        assert "current partner" in reasons and "ex-partner" not in reasons
        assert "IDVA" in text and "DASH" in text and "14 or more yes answers" in text
        assert "MARAC (multi-agency risk assessment conference)" in text

    def test_someone_dated_once_is_domestic_abuse(self, clinician_client):
        screening, _ = _result(clinician_client, relationship="ex_partner")
        assert "domestic_abuse" in screening.flags

    def test_fifteen_year_old_followed_by_a_stranger(self, clinician_client):
        screening, html = _result(
            clinician_client,
            patient_age="under_16",
            relationship="stranger",
            behaviours=["following"],
            risk_threats_violence="no",
            risks=["none"],
            children_or_adults_at_risk="no",
        )
        assert "safeguarding" in screening.flags
        assert "domestic_abuse" not in screening.flags
        text = _text(html)
        assert "child safeguarding procedure" in text and "Childline" in text
        assert "0800 1111" in text and "NSPCC" in text

    def test_under_16_with_a_partner_gets_child_protection_not_marac(self, clinician_client):
        screening, html = _result(
            clinician_client, patient_age="under_16", relationship="current_partner"
        )
        assert "domestic_abuse" not in screening.flags
        assert {"safeguarding", "record_safety"} <= screening.flags
        actions = _text(html[html.index("What to do") : html.index("Before you write")])
        assert "child protection" in actions
        assert "MARAC" not in actions and "IDVA" not in actions
        assert "MARAC (multi-agency" not in _text(html)

    def test_pregnancy_with_a_partner_prompts_the_midwife(self, clinician_client):
        screening, html = _result(
            clinician_client, relationship="current_partner", more_risks=["risk_pregnancy"]
        )
        assert "safeguarding" in screening.flags
        assert "midwife or health visitor" in _text(html)

    def test_strangulation_prompts_same_day_review_and_sarc(self, clinician_client):
        _, html = _result(clinician_client, more_risks=["risk_strangulation_sexual"])
        text = _text(html)
        assert "same-day medical review" in text and "sexual assault referral centre" in text

    def test_not_unwanted_with_four_risk_indicators_is_possible_and_says_so(self, clinician_client):
        screening, html = _result(
            clinician_client,
            unwanted="no",
            behaviours=["none"],
            risk_threats_violence="no",
            risks=[
                "risk_frightened",
                "risk_previous_harassment",
                "risk_frequent_visits",
                "risk_recruited_others",
            ],
            relationship="acquaintance",
            children_or_adults_at_risk="no",
        )
        assert screening.stalking == "possible"
        text = _text(html)
        assert "The answers disagree" in text and "Check this with the patient" in text
        for words in (
            "very frightened",
            "stalked or harassed someone before",
            "more than three times a week",
            "got others to help",
        ):
            assert words in text

    def test_not_indicated_keeps_the_door_open(self, clinician_client):
        screening, html = _result(
            clinician_client,
            unwanted="no",
            behaviours=["none"],
            risk_threats_violence="no",
            risks=["none"],
            relationship="colleague",
            children_or_adults_at_risk="no",
            trauma_gate="no",
        )
        assert screening.stalking == "not_indicated" and screening.concern == "standard"
        assert "Keep the door open" in _text(html)


class TestRecordSafety:
    @pytest.mark.parametrize("relationship", ["stranger", "ex_partner"])
    def test_every_result_says_how_to_keep_the_entry_out_of_the_online_record(
        self, clinician_client, relationship
    ):
        _, html = _result(clinician_client, relationship=relationship)
        guidance = html.index('id="record-guidance"')
        assert guidance < html.index('id="record-summary"')
        text = _text(html[guidance : html.index('id="record-summary"')])
        for words in (
            "16 and over",
            "own entry",
            "Letters, codes and appointments",
            "switch off",
            "read aloud",
        ):
            assert words in text

    def test_summary_opens_neutrally_and_carries_the_reference(self, clinician_client):
        screening, _ = _result(clinician_client)
        from screening.presenters import ScreeningResultPresenter

        summary = ScreeningResultPresenter(screening).record_summary
        first, *rest = summary.splitlines()
        assert "stalking" not in first.lower()
        assert screening.reference in first
        assert len(summary.splitlines()) <= 14
        assert "behaviour(s)" not in summary

    def test_summary_includes_outcomes_once_recorded(self, clinician_client):
        screening, _ = _result(clinician_client)
        clinician_client.post(
            reverse("screening:outcome", args=[screening.pk]), {"follow_up_booked": "on"}
        )
        html = clinician_client.get(screening.get_absolute_url()).content.decode()
        assert "Done: Follow-up booked." in html


class TestServices:
    def test_cards_show_eligibility_and_phone_notes(self, clinician_client):
        _, html = _result(clinician_client, relationship="stranger")
        text = _text(html)
        assert "High-risk cases only" in text or "high-risk" in text.lower()
        assert "London service: press 2." in text

    def test_marac_only_for_personally_connected_high_concern(self, clinician_client):
        _, html = _result(
            clinician_client,
            relationship="current_partner",
            risk_threats_violence="no",
            risks=["none"],
            children_or_adults_at_risk="no",
        )
        assert "MARAC (multi-agency" not in html

    def test_support_sheet_is_neutral_at_the_top(self, clinician_client):
        from django.template.loader import render_to_string

        screening, _ = _result(clinician_client)
        from screening.presenters import SupportSheetPresenter
        from screening.support import support_services

        sheet = SupportSheetPresenter(screening, support_services(screening))
        html = render_to_string("screening/support_sheet.html", {"sheet": sheet})
        top = html[: html.index('class="service"')]
        assert "<h1>Useful contacts</h1>" in top
        assert f"These services can help in {screening.icb.short_name}:" in top
        assert "stalk" not in _text(top).lower()


class TestEarlierRules:
    def test_a_2026_1_screening_keeps_its_result(self, clinician_client, clinician):
        old = Screening.objects.create(
            clinician=clinician,
            practice=clinician.practice,
            icb=clinician.practice.icb,
            submission_id=uuid.uuid4(),
            answers={
                "unwanted": "yes",
                "repeated": "two_or_more",
                "fixated": "yes",
                "relationship": "ex_partner",
                "behaviours": ["following"],
                **dict.fromkeys(rules.RISK_INDICATORS, "no"),
                "clinician_concern_high": "no",
                "immediate_danger": "no",
                "children_or_adults_at_risk": "no",
                "perpetrator_has_record_access": "no",
                "trauma_gate": "no",
                **dict.fromkeys(rules.PTSD_ITEMS, "no"),
                "self_harm_thoughts": "no",
            },
            rules_version="2026.1",
            stalking="indicated",
            concern="standard",
            reasons={
                "stalking": ["The contact or behaviour is unwanted"],
                "concern": ["No risk indicator ticked"],
                "domestic_abuse": ["The person is an ex-partner"],
            },
            risk_count=0,
            ptsd_count=0,
            flag_domestic_abuse=True,
        )
        html = clinician_client.get(old.get_absolute_url()).content.decode()
        text = _text(html)
        assert "Stalking indicated: standard" in text  # as it was given, not re-assessed
        assert "made under earlier rules (version 2026.1)" in text
        assert "No risk indicator ticked" in text and "The person is an ex-partner" in text
        assert "Ex-partner or partner" in text  # the 2026.1 wording of that answer
        assert "Rules version 2026.1" in text
        old.refresh_from_db()
        assert old.rules_version == "2026.1" and old.concern == "standard"


class TestChildrenAtHighRisk:
    def test_under_16_at_high_risk_from_a_stranger_gets_child_protection(self, clinician_client):
        _, html = _result(clinician_client, patient_age="under_16", relationship="stranger")
        assert 'id="action-concern_high_child"' in html
        assert 'id="action-concern_high_other"' not in html

    def test_under_16_not_safe_at_home_gets_the_young_person_card(self, clinician_client):
        _, html = _result(
            clinician_client,
            patient_age="under_16",
            unwanted="no",
            behaviours=["none"],
            risk_threats_violence="no",
            risks=["none"],
            relationship="unknown",
            children_or_adults_at_risk="no",
            unsafe_to_go_home="yes",
        )
        text = _text(html)
        assert 'id="action-young_under_16"' in html
        assert "under 18, contact children's social care" in text
