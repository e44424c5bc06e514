import datetime
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from screening import rules
from screening.models import Outcome, Screening

NEW = reverse("screening:new")


def form_data(**overrides):
    """Return a complete checklist submission: an ex-partner, stalking indicated, high concern."""
    data = {
        "submission": str(uuid.uuid4()),
        "immediate_danger": "no",
        "unsafe_to_go_home": "no",
        "patient_age": "18_plus",
        "unwanted": "yes",
        "repeated": "two_or_more",
        "fixated": "yes",
        "relationship": "ex_partner",
        "behaviours": ["following", "contact"],
        "risk_threats_violence": "yes",
        "risks": ["risk_frightened"],
        "more_risks": ["none"],
        "children_or_adults_at_risk": "yes",
        "perpetrator_has_record_access": "no",
        "trauma_gate": "yes",
        "ptsd_intrusion": "yes",
        "ptsd_avoidance": "yes",
        "ptsd_on_guard": "yes",
        "ptsd_numb": "no",
        "ptsd_guilt": "no",
        "self_harm_thoughts": "no",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def screening(clinician_client):
    clinician_client.post(NEW, form_data())
    return Screening.objects.get()


@pytest.mark.django_db
class TestChecklist:
    def test_valid_submission_stores_coded_result_and_shows_it(self, clinician_client, clinician):
        response = clinician_client.post(NEW, form_data())
        screening = Screening.objects.get()
        assert response["Location"] == screening.get_absolute_url()
        assert screening.stalking == "indicated"
        assert screening.concern == "high"  # threats of violence
        assert screening.flags == {
            "ptsd_assessment",
            "safeguarding",
            "domestic_abuse",
            "record_safety",
        }
        assert screening.unanswered == []
        assert screening.rules_version == rules.RULES_VERSION
        assert screening.icb_id == "QWO" and screening.practice == clinician.practice
        assert screening.answers["risk_frightened"] == "yes"
        assert screening.answers["risk_loitering"] == "no"

    def test_no_field_can_carry_patient_identifiers_or_free_text(self, clinician_client):
        clinician_client.post(
            NEW,
            form_data(
                patient_name="Jane Doe", nhs_number="9434765919", notes="lives at 1 High Street"
            ),
        )
        screening = Screening.objects.get()
        stored = str(screening.__dict__)
        for secret in ("Jane", "9434765919", "High Street"):
            assert secret not in stored
        text_fields = [
            f.name
            for f in Screening._meta.fields
            if f.get_internal_type() in ("CharField", "TextField")
        ]
        assert set(text_fields) <= {"rules_version", "stalking", "concern"}
        outcome_text = [
            f.name
            for f in Outcome._meta.fields
            if f.get_internal_type() in ("CharField", "TextField")
        ]
        assert set(outcome_text) <= {"referred_service_name", "referred_service_type"}

    def test_missing_answers_keep_what_was_given_and_show_the_error_summary(self, clinician_client):
        response = clinician_client.post(
            NEW, form_data(relationship=None, immediate_danger=None, ptsd_numb=None)
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "nhsuk-error-summary" in html
        for anchor in ("id_relationship_0", "id_immediate_danger_0", "id_ptsd_numb_0"):
            assert f'href="#{anchor}"' in html
        assert 'value="following"' in html and "checked" in html
        assert not Screening.objects.exists()

    @pytest.mark.parametrize(
        "item",
        [
            "unwanted",
            "repeated",
            "fixated",
            "relationship",
            "immediate_danger",
            "children_or_adults_at_risk",
            "perpetrator_has_record_access",
            "self_harm_thoughts",
        ],
    )
    def test_each_safety_and_pattern_question_is_required(self, clinician_client, item):
        response = clinician_client.post(NEW, form_data(**{item: None}))
        assert response.status_code == 200
        assert f'href="#id_{item}_0"'.encode() in response.content
        assert not Screening.objects.exists()

    def test_ptsd_questions_required_when_stalking_possible(self, clinician_client):
        response = clinician_client.post(
            NEW,
            form_data(
                unwanted="unsure",
                trauma_gate=None,
                ptsd_intrusion=None,
                ptsd_avoidance=None,
                ptsd_on_guard=None,
                ptsd_numb=None,
                ptsd_guilt=None,
            ),
        )
        assert response.status_code == 200
        assert b'href="#id_trauma_gate_0"' in response.content
        assert not Screening.objects.exists()

    def test_ptsd_questions_optional_when_not_indicated(self, clinician_client):
        response = clinician_client.post(
            NEW,
            form_data(
                unwanted="no",
                behaviours=["none"],
                risk_threats_violence="no",
                risks=["none"],
                children_or_adults_at_risk="no",
                trauma_gate=None,
                ptsd_intrusion=None,
                ptsd_avoidance=None,
                ptsd_on_guard=None,
                ptsd_numb=None,
                ptsd_guilt=None,
            ),
        )
        assert response.status_code == 302
        assert Screening.objects.get().stalking == "not_indicated"

    @pytest.mark.parametrize(
        "field,value",
        [
            ("unwanted", "definitely"),
            ("relationship", "<script>"),
            ("behaviours", "flying"),
            ("risks", "risk_made_up"),
            ("immediate_danger", "maybe"),
            ("submission", "not-a-uuid"),
            ("trauma_gate", "\x00"),
        ],
    )
    def test_tampered_values_are_form_errors_not_500s(self, clinician_client, field, value):
        response = clinician_client.post(NEW, form_data(**{field: value}))
        assert response.status_code == 200
        assert b"nhsuk-error-summary" in response.content
        assert not Screening.objects.exists()

    def test_double_submit_creates_one_screening(self, clinician_client):
        data = form_data()
        first = clinician_client.post(NEW, data)
        second = clinician_client.post(NEW, data)
        assert first["Location"] == second["Location"]
        assert Screening.objects.count() == 1


@pytest.mark.django_db
class TestPrivacy:
    @pytest.mark.parametrize(
        "persona", ["other_practice_clinician", "icb_admin", "other_icb_admin", "site_admin"]
    )
    def test_nobody_else_can_open_a_screening(self, role_clients, screening, persona):
        client = role_clients(persona)
        for url in (
            screening.get_absolute_url(),
            reverse("screening:support_sheet", args=[screening.pk]),
        ):
            assert client.get(url).status_code in (403, 404)
        assert client.post(
            reverse("screening:outcome", args=[screening.pk]), {"police_contacted": "on"}
        ).status_code in (403, 404)
        assert not Outcome.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, anonymous_client, screening):
        response = anonymous_client.get(screening.get_absolute_url())
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_admins_cannot_screen(self, icb_admin_client):
        assert icb_admin_client.get(NEW).status_code == 403

    def test_purge_deletes_only_screenings_past_retention(
        self, screening, clinician_client, settings
    ):
        clinician_client.post(NEW, form_data())
        Screening.objects.filter(pk=screening.pk).update(
            created_at=timezone.now()
            - datetime.timedelta(days=settings.SCREENING_RETENTION_DAYS + 1)
        )
        call_command("purge_screenings")
        assert Screening.objects.count() == 1
        assert not Screening.objects.filter(pk=screening.pk).exists()


@pytest.mark.django_db
class TestResult:
    def test_result_shows_reasons_actions_services_and_summary(self, clinician_client, screening):
        html = clinician_client.get(screening.get_absolute_url()).content.decode()
        assert "Stalking indicated: high concern" in html
        assert "Arrange a PTSD assessment" in html
        assert "National Stalking Helpline" in html
        assert f"Rules version {rules.RULES_VERSION}" in html
        assert "Summary for the clinical record" in html
        assert "nhsuk-card--care--emergency" not in html

    def test_emergency_card_comes_first(self, clinician_client):
        clinician_client.post(NEW, form_data(immediate_danger="yes"))
        html = clinician_client.get(Screening.objects.get().get_absolute_url()).content.decode()
        main = html[html.index('id="maincontent"') :]
        assert main.index("nhsuk-card--care--emergency") < main.index("<h1")
        assert "Call 999 now" in main

    def test_outcome_is_recorded_once_and_updated(self, clinician_client, screening):
        url = reverse("screening:outcome", args=[screening.pk])
        clinician_client.post(url, {"helpline_given": "on", "follow_up_booked": "on"})
        clinician_client.post(url, {"helpline_given": "on", "police_contacted": "on"})
        outcome = Outcome.objects.get()
        assert outcome.helpline_given and outcome.police_contacted
        assert not outcome.follow_up_booked

    def test_a_simultaneous_second_save_updates_the_first_not_a_500(
        self, clinician_client, screening, monkeypatch
    ):
        """Issue 14, point 3: the losing request read "no outcome yet" before the winner's row
        existed, then inserts after it: it must update that row, not hit the unique index."""
        from screening import services

        url = reverse("screening:outcome", args=[screening.pk])
        assert clinician_client.post(url, {"helpline_given": "on"}).status_code == 302
        monkeypatch.setattr(services, "outcome_for", lambda s: Outcome(screening=s))

        second = clinician_client.post(url, {"helpline_given": "on", "police_contacted": "on"})

        assert second.status_code == 302
        assert second["Location"] == screening.get_absolute_url()
        outcome = Outcome.objects.get()
        assert outcome.helpline_given and outcome.police_contacted

    def test_bad_service_choice_is_a_form_error(self, clinician_client, screening):
        url = reverse("screening:outcome", args=[screening.pk])
        response = clinician_client.post(
            url, {"referred_specialist": "on", "referred_service": "999999"}
        )
        assert response.status_code == 200
        assert b"nhsuk-error-summary" in response.content
        assert not Outcome.objects.exists()

    def test_support_sheet_pdf(self, clinician_client, screening):
        response = clinician_client.get(reverse("screening:support_sheet", args=[screening.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_result_page_query_count_is_fixed(
    clinician_client, screening, django_assert_max_num_queries
):
    from referrals.services import seed_load

    seed_load(examples=True, update_existing=True)
    with django_assert_max_num_queries(12):
        response = clinician_client.get(screening.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.django_db
def test_viewing_a_screening_is_audited_without_its_answers(clinician_client, screening):
    from core.models import AuditAction, AuditEvent

    clinician_client.get(screening.get_absolute_url())
    event = AuditEvent.objects.get(action=AuditAction.SCREENING_VIEWED)
    assert event.target == f"screening {screening.pk}"
    stored = f"{event.detail} {event.target}"
    for value in ("yes", "ex_partner", "indicated", "high"):
        assert value not in stored
