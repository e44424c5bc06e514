"""XmR charts: limits, the four special cause rules at their boundaries, gaps and the SVG.

Most series start with a noisy baseline that alternates 1, 9 (or 9, 1): it makes the process
limits wide, so that the pattern under test triggers its own rule and no other.
"""

import re
import xml.etree.ElementTree as ET

import pytest

from reporting import spc

SVG = "{http://www.w3.org/2000/svg}"
NOISE = [9, 1, 9, 1, 9, 1]  # ends below the mean
NOISE_ENDING_HIGH = [1, 9, 1, 9, 1, 9]


def flags(result, rule):
    return [getattr(p, rule) for p in result.points]


def test_mean_moving_range_and_limits_by_hand():
    # Mean 14; every moving range is 2; limits 14 ± 2.66 × 2 = 8.68 and 19.32.
    result = spc.xmr([12, 14, 16, 14] * 3, improvement="up")
    assert result.limits_calculated
    assert result.mean == pytest.approx(14)
    assert result.mean_moving_range == pytest.approx(2)
    assert result.upper_limit == pytest.approx(19.32)
    assert result.lower_limit == pytest.approx(8.68)
    assert not result.lower_limit_clamped
    assert result.variation == spc.COMMON
    assert not any(p.special_cause for p in result.points)


def test_lower_limit_is_clamped_at_zero():
    # Mean 4, moving range 2: the calculated lower limit, 4 - 5.32, is below zero.
    result = spc.xmr([2, 4, 6, 4] * 3, improvement="down")
    assert result.lower_limit == 0
    assert result.lower_limit_clamped
    assert result.upper_limit == pytest.approx(9.32)


def test_gaps_are_left_out_of_the_mean_and_the_moving_ranges():
    # Shown: 12 values, mean 14. Ranges only where neighbours are both shown: |14-12|, |14-16|
    # then none across either gap, then eight ranges of 2 in the run after: all are 2.
    values = [12, 14, 16, None, 14, None, 12, 14, 16, 14, 12, 14, 16, 14]
    result = spc.xmr(values, improvement="up")
    assert result.mean == pytest.approx(14)
    assert result.mean_moving_range == pytest.approx(2)
    assert result.points[3].kind == "not shown"
    assert result.points[3].value is None


def test_a_jump_across_a_gap_is_not_a_moving_range():
    with_gap = spc.xmr([10, 12] * 3 + [None] + [30, 32] * 3, improvement="up")
    assert with_gap.mean_moving_range == pytest.approx(2)  # the 12 -> 30 jump is not counted


@pytest.mark.parametrize("run, triggered", [(6, False), (7, True)])
def test_shift_needs_seven_points_on_one_side_of_the_mean(run, triggered):
    result = spc.xmr(NOISE + [6] * run, improvement="up")
    assert result.mean < 6
    assert flags(result, "shift") == [False] * 6 + [triggered] * run
    assert not any(flags(result, "trend") + flags(result, "outside_limits"))
    assert not any(flags(result, "two_of_three"))


def test_a_point_on_the_mean_breaks_a_shift():
    unbroken = spc.xmr([6] * 7 + [4] * 7, improvement="up")
    assert flags(unbroken, "shift") == [True] * 14
    # Mean 5 exactly: the 5 in the middle of the sixes is neither above nor below it.
    broken = spc.xmr([6, 6, 6, 5, 6, 6, 6] + [4] * 6 + [5], improvement="up")
    assert broken.mean == 5
    assert not any(flags(broken, "shift"))


def test_a_gap_breaks_a_shift():
    result = spc.xmr(NOISE + [6, 6, 6, None, 6, 6, 6, 6], improvement="up")
    assert not any(flags(result, "shift"))


@pytest.mark.parametrize(
    "trend, triggered", [([2, 3, 4, 5, 6, 7], False), ([2, 3, 4, 5, 6, 7, 8], True)]
)
def test_trend_needs_seven_points_each_higher_than_the_last(trend, triggered):
    result = spc.xmr(NOISE_ENDING_HIGH + trend, improvement="up")
    assert flags(result, "trend") == [False] * 6 + [triggered] * len(trend)
    assert not any(flags(result, "shift") + flags(result, "outside_limits"))
    if triggered:
        assert {result.points[i].direction for i in range(6, 13)} == {"higher"}


def test_a_falling_trend_is_lower_and_equal_values_or_a_gap_break_it():
    falling = spc.xmr(NOISE + [8, 7, 6, 5, 4, 3, 2], improvement="down")
    assert flags(falling, "trend")[6:] == [True] * 7
    assert falling.points[-1].direction == "lower"
    assert falling.variation == spc.IMPROVING
    flat = spc.xmr(NOISE + [8, 7, 6, 6, 5, 4, 3, 2], improvement="down")
    assert not any(flags(flat, "trend"))
    gap = spc.xmr(NOISE + [8, 7, 6, None, 5, 4, 3, 2], improvement="down")
    assert not any(flags(gap, "trend"))


def two_of_three(tail):
    """Return a 4, 6 baseline (mean about 5.5, upper limit about 12) followed by `tail`."""
    return [4, 6] * 8 + tail


def test_two_out_of_three_close_to_the_upper_limit():
    result = spc.xmr(two_of_three([10, 6, 10]), improvement="up")
    close = spc.CLOSE_FRACTION * (result.upper_limit - result.mean)
    assert result.mean + close < 10 < result.upper_limit  # close, but not outside
    assert result.mean < 6
    assert flags(result, "two_of_three")[-3:] == [True, False, True]
    assert not any(flags(result, "outside_limits"))
    assert result.variation == spc.IMPROVING


@pytest.mark.parametrize(
    "tail",
    [
        [6, 6, 10],  # only one of the three is close
        [10, 5, 10],  # the middle one is below the mean
        [10, None, 10],  # a gap: the two are not in three consecutive months
    ],
)
def test_two_out_of_three_not_triggered(tail):
    result = spc.xmr(two_of_three(tail), improvement="up")
    near = result.mean + spc.CLOSE_FRACTION * (result.upper_limit - result.mean)
    assert near < 10 < result.upper_limit  # each 10 is close to the limit
    assert 5 < result.mean < 6
    assert not any(flags(result, "two_of_three"))


def test_a_single_point_outside_the_limits():
    quiet = spc.xmr([12, 14, 16, 14] * 3, improvement="down")
    spike = spc.xmr([12, 14, 16, 14] * 3 + [40], improvement="down")
    assert spike.upper_limit < 40
    assert flags(spike, "outside_limits") == [False] * 12 + [True]
    assert spike.points[-1].rules == ("outside the process limits",)
    assert spike.variation == spc.CONCERNING
    assert not any(flags(quiet, "outside_limits"))


@pytest.mark.parametrize(
    "improvement, variation, kind",
    [
        ("up", spc.IMPROVING, "improving"),
        ("down", spc.CONCERNING, "concerning"),
        ("neither", spc.NEUTRAL, "neutral"),
    ],
)
def test_latest_month_is_classified_by_the_direction_of_improvement(improvement, variation, kind):
    result = spc.xmr(NOISE + [6] * 7, improvement=improvement)
    assert result.variation == variation
    assert result.points[-1].kind == kind
    assert result.points[-1].direction == "higher"


def test_a_low_shift_is_improving_when_lower_is_better():
    result = spc.xmr(NOISE_ENDING_HIGH + [4] * 7, improvement="down")
    assert result.points[-1].direction == "lower"
    assert result.variation == spc.IMPROVING


def test_latest_shown_month_is_classified_when_the_last_month_is_suppressed():
    result = spc.xmr(NOISE + [6] * 7 + [None], improvement="up")
    assert result.latest_index == 12
    assert result.variation == spc.IMPROVING


@pytest.mark.parametrize("values", [[5, 6] * 5 + [7], [5] * 11 + [None]])
def test_fewer_than_twelve_shown_months_have_no_limits(values):
    result = spc.xmr(values, improvement="up")
    assert not result.limits_calculated
    assert result.mean is None and result.upper_limit is None and result.lower_limit is None
    assert result.variation == "Not enough months to show variation (at least 12 needed)"
    assert not any(p.special_cause for p in result.points)


def test_twelve_months_with_no_two_consecutive_have_no_limits():
    result = spc.xmr([5, None] * 12, improvement="up")
    assert not result.limits_calculated
    assert result.variation == spc.NOT_ENOUGH_CONSECUTIVE


def test_improvement_must_be_up_down_or_neither():
    with pytest.raises(ValueError):
        spc.xmr([1] * 12, improvement="higher")


# The chart


def chart(values, labels=None, improvement="up"):
    labels = labels or [f"Month {i + 1}" for i in range(len(values))]
    displays = ["fewer than 5" if v is None else f"{v:g}" for v in values]
    result = spc.xmr(values, improvement=improvement)
    svg = spc.spc_chart("spc", "Screenings by month", labels, displays, result, y_label="Count")
    return svg, ET.fromstring(str(svg)), displays  # noqa: S314 - our own markup


def test_svg_is_an_accessible_image_with_every_number_in_its_description():
    svg, root, displays = chart([12, 14, 16, 14] * 3 + [None, 40])
    assert root.tag == f"{SVG}svg"
    assert root.get("class") == "app-chart"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "spc-title spc-desc"
    assert root.find(f"{SVG}title").text == "Screenings by month"
    desc = root.find(f"{SVG}desc").text
    for display in displays:
        assert f": {display}" in desc
    assert "Mean 16.0" in desc  # (12 × 14 + 40) / 13; no moving range across the gap
    assert "upper process limit" in desc and "lower process limit" in desc
    assert "Latest month (Month 14): Special cause improving." in desc
    assert "Month 14: 40 (special cause improving, higher: outside the process limits)" in desc


def test_svg_labels_limits_and_legend_in_words():
    svg, root, _ = chart([12, 14, 16, 14] * 3 + [40], improvement="down")
    words = [t.text for t in root.iter(f"{SVG}text")]
    for label in ("Upper process limit", "Mean", "Lower process limit"):
        assert label in words
    assert "Grey circle: common cause" in words
    assert "Blue circle with down triangle: special cause improving" in words
    assert "Orange square: special cause concerning" in words
    assert root.findall(f"{SVG}rect")  # the concerning point and its legend key are squares
    assert [line.get("stroke-dasharray") for line in root.iter(f"{SVG}line")][-3:] == [
        "6 4",
        None,
        "6 4",
    ]


def test_svg_draws_a_gap_for_a_suppressed_month():
    _, root, _ = chart([12, 14, 16, 14] * 3 + [None, 14, 12])
    assert len(root.findall(f"{SVG}polyline")) == 2


def test_all_svg_text_is_at_least_12px():
    svg, root, _ = chart([12, 14, 16, 14] * 6)
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', str(svg))]
    assert sizes and min(sizes) >= 12
    assert all(t.get("font-size") for t in root.iter(f"{SVG}text"))
    assert root.get("width") == "640"


def test_svg_escapes_markup_in_labels():
    labels = ["<script>alert(1)</script>"] + [f"Month {i}" for i in range(11)]
    svg, root, _ = chart([12, 14, 16, 14] * 3, labels=labels)
    assert "<script>" not in str(svg)
    assert not root.findall(f".//{SVG}script")
    assert "<script>alert(1)</script>: 12" in root.find(f"{SVG}desc").text


def test_svg_with_too_few_months_says_so_and_draws_no_limits():
    svg, root, _ = chart([3, 4, 5])
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert spc.NOT_ENOUGH in words
    assert "Mean" not in words
    assert spc.NOT_ENOUGH in root.find(f"{SVG}desc").text


def test_chart_needs_one_label_and_display_per_point():
    result = spc.xmr([1] * 12, improvement="up")
    with pytest.raises(ValueError):
        spc.spc_chart("c", "t", ["Jan"], ["1"] * 12, result, y_label="Count")


def test_a_printed_chart_labels_one_month_in_three_ending_with_the_latest():
    values = [12, 14, 16, 14] * 3 + [15]
    labels = [f"Month {i}" for i in range(1, 14)]
    result = spc.xmr(values, improvement="up")
    displays = [str(v) for v in values]
    page = spc.spc_chart("a", "T", labels, displays, result, y_label="Count")
    printed = spc.spc_chart("b", "T", labels, displays, result, y_label="Count", months_per_label=3)

    def months(svg):
        root = ET.fromstring(str(svg))  # noqa: S314 - our own markup
        return [t.text for t in root.iter(f"{SVG}text") if t.text.startswith("Month")]

    assert months(page) == labels
    assert months(printed) == ["Month 1", "Month 4", "Month 7", "Month 10", "Month 13"]
    assert ET.fromstring(str(printed)).find(f"{SVG}desc").text.count("Month") >= 13  # noqa: S314
