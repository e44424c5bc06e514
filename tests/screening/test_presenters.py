"""The result presenter decides how each card looks and what the headings say; the templates
only lay that out."""

import pytest

from screening.models import Screening
from screening.presenters import ScreeningResultPresenter, SupportSheetPresenter, _card
from tests.screening.test_result import _result


@pytest.mark.parametrize(
    "key,care,classes,prefix",
    [
        (
            "emergency",
            True,
            "nhsuk-card nhsuk-card--care nhsuk-card--care--emergency",
            "Immediate action required: ",
        ),
        (
            "urgent_mental_health",
            True,
            "nhsuk-card nhsuk-card--care nhsuk-card--care--urgent",
            "Urgent: ",
        ),
        ("unsafe_home", True, "nhsuk-card nhsuk-card--care nhsuk-card--care--urgent", "Urgent: "),
        ("concern_high_domestic", False, "nhsuk-card nhsuk-card--warning", ""),
        ("stalking_indicated", False, "nhsuk-card", ""),
    ],
)
def test_each_action_gets_its_card(key, care, classes, prefix):
    card = _card(key, {"title": "Title", "steps": ["Step"]})
    assert (card["care_card"], card["card_classes"], card["hidden_prefix"]) == (
        care,
        classes,
        prefix,
    )
    assert card["key"] == key and card["title"] == "Title"


def test_without_an_icb_the_headings_name_no_area():
    screening = Screening(icb=None, stalking="possible", concern="raised")
    assert ScreeningResultPresenter(screening).refer_heading == "Where to refer"
    sheet = SupportSheetPresenter(screening, [])
    assert sheet.intro == "You do not have to cope alone. These services can help:"
    assert sheet.title == "Useful contacts"


@pytest.mark.django_db
class TestWithAScreening:
    def test_headings_name_the_screenings_icb(self, clinician_client):
        screening, html = _result(clinician_client)
        name = screening.icb.short_name
        assert ScreeningResultPresenter(screening).refer_heading == f"Where to refer in {name}"
        assert f"<h2>Where to refer in {name}</h2>" in html
        assert SupportSheetPresenter(screening, []).intro.endswith(f"help in {name}:")

    def test_the_emergency_card_comes_first_as_a_care_card(self, clinician_client):
        screening, html = _result(
            clinician_client, immediate_danger="yes", self_harm_thoughts="yes"
        )
        result = ScreeningResultPresenter(screening)
        assert [a["key"] for a in result.urgent_actions] == ["emergency", "urgent_mental_health"]
        assert result.emergency
        assert (
            '<div class="nhsuk-card nhsuk-card--care nhsuk-card--care--emergency" '
            'id="action-emergency">' in html
        )
        assert not any(a["care_card"] for a in result.actions)

    def test_the_list_row_says_whether_an_outcome_was_recorded(self, clinician_client):
        from screening.services import outcome_for, outcome_save

        screening, _ = _result(clinician_client)
        assert not ScreeningResultPresenter(screening).outcome_recorded
        outcome = outcome_for(screening)
        outcome.helpline_given = True
        outcome_save(screening=screening, outcome=outcome)
        screening = Screening.objects.select_related("outcome").get(pk=screening.pk)
        assert ScreeningResultPresenter(screening).outcome_recorded
        assert not ScreeningResultPresenter(screening).emergency
