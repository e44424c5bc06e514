"""The rule that maps a CIS2 role code to a role here (accounts.cis2.mapped_role), and the
check on an operator's CIS2_ROLE_MAP: pure functions, no database."""

import pytest

from accounts import cis2

DEFAULT_MAP = {
    "R8000": "gp",
    "R8001": "practice_nurse",
    "R8013": {"practice": "practice_staff", "icb": "icb_admin"},
    "S8000:G8000:R8001": "other_clinician",
    "R9999": "icb_admin",
}


@pytest.mark.parametrize(
    ("code", "organisation", "role"),
    [
        ("S8000:G8000:R8000", "practice", "gp"),
        ("R8000", "practice", "gp"),
        ("S0080:G0450:R8001", "practice", "practice_nurse"),  # by its job role, the R code
        ("S8000:G8000:R8001", "practice", "other_clinician"),  # the whole code wins
        ("S8000:G8000:R8013", "practice", "practice_staff"),
        ("S8000:G8000:R8013", "icb", "icb_admin"),
        ("R9999", "icb", "icb_admin"),
        ("R9999", "practice", None),  # an ICB role at a practice gives nothing
        ("S8000:G8000:R8000", "icb", None),  # a practice role at an ICB gives nothing
        ("S8000:G8000:R8015", "practice", None),  # not in the map
        ("", "practice", None),
    ],
)
def test_mapped_role(code, organisation, role):
    assert cis2.mapped_role(code, organisation, DEFAULT_MAP) == role


def test_a_map_naming_a_role_that_does_not_exist_is_reported():
    problems = cis2.role_map_problems(
        {"R8000": "doctor", "R8013": {"icb": "gp"}, "R1": {"surgery": "gp"}, "R8001": "gp"}
    )
    assert problems == [
        "R8000: 'doctor' is not a role here",
        "R8013: at an ICB the role must be icb_admin, not 'gp'",
        "R1: 'surgery' is not 'practice' or 'icb'",
    ]
    assert cis2.role_map_problems([]) == ["CIS2_ROLE_MAP must be a JSON object of role codes"]


def test_the_default_map_in_settings_is_valid(settings):
    assert cis2.role_map_problems(settings.CIS2_ROLE_MAP) == []
