"""The checklist form under rules 2026.2: safety first, and unanswered is never read as no."""

import uuid

import pytest
from django.urls import reverse

from screening.forms import REQUIRED
from screening.models import Screening
from tests.screening.test_views import form_data

NEW = reverse("screening:new")
pytestmark = pytest.mark.django_db


def _errors(response) -> str:
    assert response.status_code == 200, "expected the form again, with errors"
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    return html


class TestEmergencyFirst:
    def test_danger_now_alone_gives_the_result(self, clinician_client):
        response = clinician_client.post(
            NEW, {"submission": str(uuid.uuid4()), "immediate_danger": "yes"}
        )
        screening = Screening.objects.get()
        assert response["Location"] == screening.get_absolute_url()
        assert screening.flag_emergency and screening.concern == "high"
        assert screening.unanswered == [
            "safety",
            "age",
            "pattern",
            "relationship",
            "behaviours",
            "risk_indicators",
            "more_risk",
            "ptsd",
            "self_harm",
        ]

    def test_danger_now_is_not_held_back_by_bad_or_conflicting_answers(self, clinician_client):
        response = clinician_client.post(
            NEW,
            {
                "immediate_danger": "yes",
                "submission": "not-a-uuid",
                "relationship": "<script>",
                "behaviours": ["following", "none"],
                "risks": ["risk_made_up"],
            },
        )
        assert response.status_code == 302
        screening = Screening.objects.get()
        assert screening.answers["behaviours"] == ["following"]
        assert "relationship" in screening.unanswered
        assert "risk_indicators" in screening.unanswered

    def test_danger_now_must_itself_be_answered(self, clinician_client):
        html = _errors(clinician_client.post(NEW, form_data(immediate_danger=None)))
        assert 'href="#id_immediate_danger_0"' in html
        assert "Select whether the patient is in danger now" in html

    def test_danger_now_comes_first_on_the_page_then_unsafe_home_then_age(self, clinician_client):
        html = clinician_client.get(NEW).content.decode()
        form = html[html.index("<form") :]
        order = [
            form.index('name="immediate_danger"'),
            form.index('name="unsafe_to_go_home"'),
            form.index('name="patient_age"'),
            form.index('name="unwanted"'),
            form.index('name="behaviours"'),
        ]
        assert order == sorted(order)
        # A submit button straight after "Safety now", before the age band.
        assert form.index("Danger now: see what to do") < form.index('name="patient_age"')

    def test_unsafe_at_home_does_not_require_the_ptsd_screen(self, clinician_client):
        data = form_data(unsafe_to_go_home="yes", trauma_gate=None)
        for item in ("ptsd_intrusion", "ptsd_avoidance", "ptsd_on_guard", "ptsd_numb"):
            data.pop(item)
        data.pop("ptsd_guilt")
        response = clinician_client.post(NEW, data)
        assert response.status_code == 302
        screening = Screening.objects.get()
        assert "unsafe_home" in screening.flags
        assert screening.unanswered == ["ptsd"]

    def test_otherwise_the_ptsd_screen_is_required_when_stalking_is_possible(
        self, clinician_client
    ):
        data = form_data(trauma_gate=None)
        html = _errors(clinician_client.post(NEW, data))
        assert 'href="#id_trauma_gate_0"' in html
        assert not Screening.objects.exists()


class TestUnansweredIsNotNo:
    @pytest.mark.parametrize("item", sorted(REQUIRED))
    def test_each_required_question(self, clinician_client, item):
        html = _errors(clinician_client.post(NEW, form_data(**{item: None})))
        assert f'href="#id_{item}_0"' in html
        assert REQUIRED[item].replace("'", "&#x27;") in html
        assert not Screening.objects.exists()

    def test_threats_ticked_needs_the_threatened_violence_question(self, clinician_client):
        html = _errors(
            clinician_client.post(
                NEW, form_data(behaviours=["threats"], risk_threats_violence=None)
            )
        )
        assert "You ticked &#x27;Threatening them&#x27;" in html

    @pytest.mark.parametrize("group", ["behaviours", "risks", "more_risks"])
    def test_none_of_these_with_another_choice_is_an_error(self, clinician_client, group):
        first = {
            "behaviours": "following",
            "risks": "risk_frightened",
            "more_risks": "risk_escalation",
        }[group]
        html = _errors(clinician_client.post(NEW, form_data(**{group: [first, "none"]})))
        assert "not both" in html
        assert not Screening.objects.exists()

    def test_none_of_these_answers_every_item_no(self, clinician_client):
        clinician_client.post(NEW, form_data(more_risks=["none"]))
        answers = Screening.objects.get().answers
        assert answers["risk_weapons"] == "no" and answers["risk_escalation"] == "no"

    def test_each_group_renders_an_exclusive_none_choice(self, clinician_client):
        html = clinician_client.get(NEW).content.decode()
        for group in ("behaviours", "risks", "more_risks"):
            assert f'name="{group}" type="checkbox" value="none" data-behaviour="exclusive"' in html
        assert html.count('class="nhsuk-checkboxes__divider">or</div>') == 3

    def test_gate_no_leaves_the_five_items_out(self, clinician_client):
        clinician_client.post(NEW, form_data(trauma_gate="no", ptsd_numb="yes", ptsd_guilt="yes"))
        screening = Screening.objects.get()
        assert screening.ptsd_count == 0
        assert "ptsd_assessment" not in screening.flags
        assert any("PTSD was not screened" in n for n in screening.reasons["notes"])

    def test_gate_yes_requires_every_item(self, clinician_client):
        html = _errors(clinician_client.post(NEW, form_data(ptsd_numb=None)))
        assert 'href="#id_ptsd_numb_0"' in html

    def test_the_ptsd_screen_uses_the_pc_ptsd_5_wording_with_attribution(self, clinician_client):
        html = clinician_client.get(NEW).content.decode()
        assert "Have you ever experienced this kind of event?" in html
        assert "unusually or especially frightening, horrible, or traumatic" in html
        assert "Been constantly on guard, watchful, or easily startled?" in html
        assert "Prins" in html and "National Center for PTSD" in html

    def test_record_access_question_names_the_ways_in(self, clinician_client):
        html = clinician_client.get(NEW).content.decode()
        for way in ("online or proxy access", "shared phone", "work in healthcare"):
            assert way in html


class TestChecklistFile:
    """checklist.yaml and the rules change together: a mismatch refuses to load."""

    @pytest.fixture
    def edited(self, tmp_path, monkeypatch):
        import yaml

        from screening import checklist as module

        original = yaml.safe_load(module.CHECKLIST_FILE.read_text(encoding="utf-8"))

        def write(change):
            data = yaml.safe_load(yaml.safe_dump(original))
            change(data)
            path = tmp_path / "checklist.yaml"
            path.write_text(yaml.safe_dump(data), encoding="utf-8")
            monkeypatch.setattr(module, "CHECKLIST_FILE", path)
            module.checklist.cache_clear()
            return module.checklist

        yield write
        module.checklist.cache_clear()

    def test_the_real_file_loads(self, edited):
        assert edited(lambda data: None)()["version"] == "2026.2"

    @pytest.mark.parametrize(
        "change,message",
        [
            (lambda d: d.update(version="2026.1"), "version"),
            (lambda d: d["questions"].pop("unsafe_to_go_home"), "unsafe_to_go_home"),
            (lambda d: d["questions"]["more_risks"]["choices"].pop("risk_weapons"), "more_risks"),
            (lambda d: d["questions"]["risks"].pop("none"), "None of these"),
            (lambda d: d["questions"]["patient_age"]["choices"].pop("16_17"), "patient_age"),
            (lambda d: d["actions"].pop("unsafe_home"), "unsafe_home"),
        ],
    )
    def test_a_mismatch_refuses_to_load(self, edited, change, message):
        load = edited(change)
        with pytest.raises(ValueError, match=message):
            load()
