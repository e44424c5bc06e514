import pytest

from reporting import disclosure as dc


@pytest.mark.parametrize(
    "n,display", [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (1234, "1,234")]
)
def test_count(n, display):
    assert dc.count(n).display == display
    assert dc.count(n).suppressed is (1 <= n <= 4)


def test_single_small_cell_forces_secondary_suppression_of_the_next_smallest():
    cells = dc.group([20, 3, 8, 50])
    assert [c.display for c in cells] == ["20", "fewer than 5", "suppressed", "50"]


def test_two_small_cells_need_no_secondary_suppression():
    cells = dc.group([20, 3, 2, 50])
    assert [c.display for c in cells] == ["20", "fewer than 5", "fewer than 5", "50"]


def test_no_small_cells_shows_everything():
    assert [c.display for c in dc.group([0, 5, 9])] == ["0", "5", "9"]


def test_rate_is_suppressed_when_either_part_is_small_or_hidden():
    assert dc.rate(3, 100).display == "suppressed"
    assert dc.rate(30, 4).display == "suppressed"
    assert dc.rate(dc.Count(None, dc.HIDDEN), 100).display == "suppressed"
    assert dc.rate(30, 40).display == "75%"
    assert dc.rate(0, 0).display == "no data"
