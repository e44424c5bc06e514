"""The disclosure rules one by one (issue 16): fewer than 8, rounding to 5, secondary
suppression."""

import pytest

from reporting import disclosure as dc


@pytest.mark.parametrize(
    "n,display",
    [
        (0, "0"),
        (1, "fewer than 8"),
        (7, "fewer than 8"),
        (8, "10"),
        (12, "10"),
        (13, "15"),
        (1234, "1,235"),
    ],
)
def test_count_hides_1_to_7_and_rounds_the_rest_to_5(n, display):
    assert dc.count(n).display == display
    assert dc.count(n).suppressed is (1 <= n <= 7)


def test_a_zero_inside_a_hidden_group_is_hidden_too():
    few = dc.count(3)
    assert dc.count(0, within=few).display == dc.HIDDEN
    assert dc.count(0, within=dc.count(20)).display == "0"


@pytest.mark.parametrize("values", [[3, 0, 10], [1, 1, 10]])
def test_the_reported_zero_suppression_attack_recovers_nothing(values):
    """[3, 0, 10] once showed 'fewer than 5', 'suppressed', '10' and a total of 13."""
    cells, total = dc.protect(values)
    assert cells[1].display == ("0" if values[1] == 0 else "fewer than 8")  # a zero stays a zero
    low, high = total.bounds
    others = [c.bounds for c in cells[1:]]
    # The first cell could be anything from 1 to 7 that the total and the others allow.
    least = max(1, low - sum(hi for _, hi in others))
    most = min(7, high - sum(lo for lo, _ in others))
    assert least < most


def test_secondary_suppression_never_picks_a_zero():
    cells = dc.group([8, 8, 1, 0])
    assert cells[3].display == "0"
    assert all(c.display != "0" for c in cells[:3])


def test_when_hiding_every_cell_is_not_enough_the_total_is_hidden():
    # 8 + 8 + 1 = 17, shown as 15 (13 to 17); two cells of at least 8 leave the third at most 1.
    cells, total = dc.protect([8, 8, 1])
    assert [c.display for c in cells] == [dc.HIDDEN, dc.HIDDEN, "fewer than 8"]
    assert total.display == dc.HIDDEN


def test_no_small_cells_shows_everything_rounded():
    assert [c.display for c in dc.group([0, 9, 13])] == ["0", "10", "15"]


def test_rates_use_the_rounded_figures_and_hide_with_their_parts():
    assert dc.rate(3, 100).display == "not shown"
    assert dc.rate(30, 4).display == "not shown"
    assert dc.rate(0, 4).display == "not shown"  # 0 of a handful says something about them
    assert dc.rate(0, 40).display == "0%"
    assert dc.rate(dc.Count(None, dc.HIDDEN), 100).display == "not shown"
    assert dc.rate(8, 13).display == "67%"  # 10 of 15, not 62% of the true figures
    assert dc.rate(0, 0).display == "no data"
