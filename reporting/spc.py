"""XmR statistical process control (SPC) charts in the manner of NHS England's "Making Data Count".

An XmR chart asks one question of a monthly series: is this month's value just the usual
month-to-month noise ("common cause"), or is something different going on ("special cause")?

How the numbers are worked out
- Mean: the average of every shown month.
- Moving range: the difference (ignoring sign) between one month and the month before. It is
  only taken between two neighbouring months that are both shown; no range spans a gap.
- Process limits: mean ± 2.66 × the average moving range (2.66 is 3 ÷ 1.128, so the limits sit
  about three sigma from the mean). Every measure on this dashboard is a count or a rate, which
  cannot go below zero, so a lower limit that works out below zero is shown as 0.
- Outliers are not screened out of the moving ranges, as in the Making Data Count Excel tools.
  Limits are calculated over all shown months; they are not "locked" after the first 12, and
  there is no rebasing.

The four special cause rules (each marks every point it involves)
1. A single point outside the process limits.
2. A shift: 7 or more months in a row all above, or all below, the mean. A month exactly on the
   mean breaks the run.
3. A trend: 7 or more months in a row each higher (or each lower) than the one before. Two equal
   months break the trend.
4. Two out of three: in any 3 months in a row, all on the same side of the mean, at least two
   are close to a limit (more than two thirds of the way from the mean to it, but not beyond it).
   Those close months are marked.

Suppressed or missing months (None) are left out of every calculation and drawn as a gap. A gap
also breaks a shift, a trend or a two-out-of-three window: the months either side of it are not
treated as consecutive.

Where a point meets more than one rule, its direction (higher or lower) is taken from the first
of: outside the limits, trend, two out of three, shift. A higher signal is improving when higher
is better ("up"), concerning when lower is better ("down"), and just "variation" for "neither".

Sources, and which number comes from where
- NHSRplotthedots, the NHS-R Community package that implements the Making Data Count XmR
  chart (github.com/nhs-r-community/NHSRplotthedots, release 0.2.2, 2025):
  R/ptd_spc_standard.R gives the 2.66 multiplier and "close to limits" as 2 × (2.66 / 3) ×
  the average moving range; R/ptd_calculate_point_type.R gives the 7-point shift, the 7-point
  trend, the two-in-three rule (all three on one side of the mean, two close to but inside a
  limit) and the order of precedence above; vignettes/deviations.Rmd says the Excel tools do not
  screen outliers; vignettes/number-of-points-required.Rmd gives 12 points as the minimum.
- That package still draws "trial limits" below 12 points; here no limits are drawn at all.
- Not found: the Making Data Count guides' own wording of the rule lengths could not be read in
  the sources searched, so the numbers above rest on NHSRplotthedots.
"""

import math
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import Literal

from django.utils.safestring import SafeString

from reporting.charts import BLUE, GREY, TEXT, _short, _svg

LIMIT_MULTIPLIER = 2.66  # 3 sigma, as a multiple of the average moving range
CLOSE_FRACTION = 2 / 3  # "close to a limit": beyond two sigma
SHIFT_LENGTH = 7
TREND_LENGTH = 7
MINIMUM_POINTS = 12

ORANGE, PURPLE = "#ed8b00", "#330072"

IMPROVING = "Special cause improving"
CONCERNING = "Special cause concerning"
NEUTRAL = "Special cause variation"
COMMON = "Common cause"
NOT_ENOUGH = f"Not enough months to show variation (at least {MINIMUM_POINTS} needed)"
NOT_ENOUGH_CONSECUTIVE = "Not enough consecutive months to show variation"

Kind = Literal["common", "improving", "concerning", "neutral", "not assessed", "not shown"]
_VARIATION = {
    "common": COMMON,
    "improving": IMPROVING,
    "concerning": CONCERNING,
    "neutral": NEUTRAL,
}


@dataclass(frozen=True)
class PointSignal:
    """One month: which rules it triggers, which way, and what that means."""

    value: float | None
    kind: Kind
    outside_limits: bool = False
    shift: bool = False
    trend: bool = False
    two_of_three: bool = False
    direction: Literal["higher", "lower"] | None = None

    @property
    def special_cause(self) -> bool:
        return self.kind in ("improving", "concerning", "neutral")

    @property
    def rules(self) -> tuple[str, ...]:
        """Return the rules this month triggers, in words."""
        names = (
            (self.outside_limits, "outside the process limits"),
            (self.shift, f"a run of {SHIFT_LENGTH} or more on one side of the mean"),
            (self.trend, f"a trend of {TREND_LENGTH} or more rising or falling"),
            (self.two_of_three, "two out of three close to a process limit"),
        )
        return tuple(name for hit, name in names if hit)


@dataclass(frozen=True)
class SPCResult:
    """The mean, limits and per-month signals of an XmR chart, and the latest month's variation."""

    improvement: str
    points: tuple[PointSignal, ...]
    variation: str
    limits_calculated: bool
    mean: float | None = None
    mean_moving_range: float | None = None
    upper_limit: float | None = None
    lower_limit: float | None = None
    lower_limit_clamped: bool = False  # the calculated lower limit was below 0

    @property
    def latest_index(self) -> int | None:
        """Return the position of the latest shown month, which the variation describes."""
        shown = [i for i, p in enumerate(self.points) if p.value is not None]
        return shown[-1] if shown else None


def xmr(points: list[float | None], *, improvement: str) -> SPCResult:
    """Return the XmR analysis of monthly values, oldest first.

    None means the month is not shown (for example suppressed to protect small numbers): it is
    excluded from the mean and the moving ranges, drawn as a gap, and it breaks any run, trend or
    two-out-of-three window. `improvement` is "up", "down" or "neither".
    """
    if improvement not in ("up", "down", "neither"):
        raise ValueError(f"improvement must be 'up', 'down' or 'neither', not {improvement!r}")
    values = [None if v is None else float(v) for v in points]
    shown = [v for v in values if v is not None]
    ranges = [abs(b - a) for a, b in pairwise(values) if a is not None and b is not None]
    if len(shown) < MINIMUM_POINTS or not ranges:
        return SPCResult(
            improvement=improvement,
            points=tuple(
                PointSignal(v, "not shown" if v is None else "not assessed") for v in values
            ),
            variation=NOT_ENOUGH if len(shown) < MINIMUM_POINTS else NOT_ENOUGH_CONSECUTIVE,
            limits_calculated=False,
        )

    mean = sum(shown) / len(shown)
    mean_range = sum(ranges) / len(ranges)
    upper = mean + LIMIT_MULTIPLIER * mean_range
    calculated_lower = mean - LIMIT_MULTIPLIER * mean_range
    lower = max(calculated_lower, 0.0)
    close = CLOSE_FRACTION * LIMIT_MULTIPLIER * mean_range

    n = len(values)
    outside, shift, trend, two = ([False] * n for _ in range(4))
    shift_dir, trend_dir, two_dir = ([None] * n for _ in range(3))
    for segment in _segments(values):
        seg = [values[i] for i in segment]
        sides = [(v > mean) - (v < mean) for v in seg]
        for start, end in _runs(sides, SHIFT_LENGTH):
            for i in segment[start:end]:
                shift[i], shift_dir[i] = True, _word(sides[start])
        steps = [0] + [(b > a) - (b < a) for a, b in pairwise(seg)]
        # A trend of 7 points is 6 steps the same way; a point may end one trend and start the
        # next, in which case the later trend gives its direction (as NHSRplotthedots does).
        for start, end in _runs(steps[1:], TREND_LENGTH - 1):
            for i in segment[start : end + 1]:
                trend[i], trend_dir[i] = True, _word(steps[start + 1])
        near = [abs(v - mean) > close and lower <= v <= upper for v in seg]
        for k in range(len(seg) - 2):
            window = range(k, k + 3)
            if abs(sum(sides[j] for j in window)) == 3 and sum(near[j] for j in window) >= 2:
                for j in window:
                    if near[j]:
                        two[segment[j]], two_dir[segment[j]] = True, _word(sides[j])

    signals = []
    for i, v in enumerate(values):
        if v is None:
            signals.append(PointSignal(None, "not shown"))
            continue
        outside[i] = v > upper or v < lower
        side = _word((v > mean) - (v < mean))
        direction = (side if outside[i] else None) or trend_dir[i] or two_dir[i] or shift_dir[i]
        signals.append(
            PointSignal(
                v,
                _kind(direction, improvement),
                outside_limits=outside[i],
                shift=shift[i],
                trend=trend[i],
                two_of_three=two[i],
                direction=direction,
            )
        )
    latest = [s for s in signals if s.value is not None][-1]
    return SPCResult(
        improvement=improvement,
        points=tuple(signals),
        variation=_VARIATION[latest.kind],
        limits_calculated=True,
        mean=mean,
        mean_moving_range=mean_range,
        upper_limit=upper,
        lower_limit=lower,
        lower_limit_clamped=calculated_lower < 0,
    )


def _segments(values: list[float | None]) -> list[list[int]]:
    """Return the indices of each stretch of consecutive shown months."""
    segments, current = [], []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(i)
    return segments + [current] if current else segments


def _runs(signs: list[int], length: int) -> list[tuple[int, int]]:
    """Return (start, end) of each run of at least `length` equal, non-zero signs."""
    runs, start = [], 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs[start] != 0 and i - start >= length:
                runs.append((start, i))
            start = i
    return runs


def _word(sign: int) -> Literal["higher", "lower"] | None:
    return "higher" if sign > 0 else "lower" if sign < 0 else None


def _kind(direction: str | None, improvement: str) -> Kind:
    if direction is None:
        return "common"
    if improvement == "neither":
        return "neutral"
    return "improving" if (direction == "higher") == (improvement == "up") else "concerning"


# Chart geometry at the native size, in px.
WIDTH, LEFT, RIGHT, TOP, PLOT_HEIGHT, LABEL_SPACE, LEGEND_ROW = 640, 72, 500, 34, 220, 76, 20
MARKER = 6


def spc_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    displays: list[str],
    result: SPCResult,
    *,
    y_label: str,
    months_per_label: int | None = None,
) -> SafeString:
    """Return an accessible SVG XmR chart: points, mean, process limits and a legend.

    `labels` are the month names and `displays` the values as shown in the table (for example
    "fewer than 5" for a suppressed month), one per point of `result`. Month labels are thinned
    from the latest backwards so that they never overlap, or to one in `months_per_label`.
    """
    if not len(labels) == len(displays) == len(result.points):
        raise ValueError("labels, displays and result.points must be the same length")
    values = [p.value for p in result.points]
    shown = [v for v in values if v is not None]
    limits = [result.upper_limit] if result.limits_calculated else []
    top, step = _scale(max(shown + limits + [1.0]))
    bottom = TOP + PLOT_HEIGHT

    def x(i: int) -> float:
        return LEFT + (RIGHT - LEFT) * (i / (len(values) - 1) if len(values) > 1 else 0.5)

    def y(v: float) -> float:
        return bottom - PLOT_HEIGHT * v / top

    headline = f"Latest month: {result.variation}" if result.limits_calculated else result.variation
    parts = [_text(8, 18, headline, weight="bold")]
    for n in range(round(top / step) + 1):
        tick = n * step
        parts.append(
            f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{RIGHT}" y2="{y(tick):.1f}" '
            f'stroke="#d8dde0"/>' + _text(LEFT - 6, y(tick) + 4, f"{tick:g}", anchor="end")
        )
    parts.append(
        f'<text transform="translate(16 {TOP + PLOT_HEIGHT / 2}) rotate(-90)" '
        f'text-anchor="middle" font-size="12" fill="{TEXT}">{escape(y_label)}</text>'
    )
    if result.limits_calculated:
        mean_y = y(result.mean)
        label_ys = (
            min(y(result.upper_limit), mean_y - 14),
            mean_y,
            max(y(result.lower_limit), mean_y + 14),
        )
        for value, name, dash, label_y in zip(
            (result.upper_limit, result.mean, result.lower_limit),
            ("Upper process limit", "Mean", "Lower process limit"),
            (' stroke-dasharray="6 4"', "", ' stroke-dasharray="6 4"'),
            label_ys,
            strict=True,
        ):
            parts.append(
                f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{RIGHT}" y2="{y(value):.1f}" '
                f'stroke="{TEXT}" stroke-width="1.5"{dash}/>' + _text(RIGHT + 8, label_y + 4, name)
            )
    for segment in _segments(values):
        if len(segment) > 1:
            coords = " ".join(f"{x(i):.1f},{y(values[i]):.1f}" for i in segment)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{GREY}" stroke-width="2"/>'
            )
    for i, point in enumerate(result.points):
        if point.value is not None:
            parts.append(_marker(point, x(i), y(point.value)))
    every = max(1, math.ceil(16 / ((RIGHT - LEFT) / max(len(labels) - 1, 1))))
    if months_per_label:
        every = max(every, months_per_label)
    for i, label in enumerate(labels):
        if (len(labels) - 1 - i) % every == 0:
            parts.append(
                f'<text transform="translate({x(i):.1f} {bottom + 14}) rotate(-45)" '
                f'text-anchor="end" font-size="12" fill="{TEXT}">{escape(_short(label, 12))}</text>'
            )
    legend = _legend(result.improvement)
    for row, (kind, words) in enumerate(legend):
        ly = bottom + LABEL_SPACE + row * LEGEND_ROW
        parts.append(_marker(PointSignal(1, kind, direction=_improving_side(result)), LEFT + 6, ly))
        parts.append(_text(LEFT + 18, ly + 4, words))
    height = bottom + LABEL_SPACE + LEGEND_ROW * len(legend)
    return _svg(
        chart_id, title, _describe(labels, displays, result, y_label), WIDTH, height, "".join(parts)
    )


def _scale(highest: float) -> tuple[float, float]:
    """Return a round top for the y axis and a round step between its gridlines."""
    raw = highest * 1.1 / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(highest * 1.05 / step), step


def _improving_side(result: SPCResult) -> Literal["higher", "lower"]:
    return "lower" if result.improvement == "down" else "higher"


def _marker(point: PointSignal, cx: float, cy: float) -> str:
    """Return a point's marker: its shape, not only its colour, says what kind it is."""
    r = MARKER
    if point.kind == "concerning":
        return (
            f'<rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r}" height="{2 * r}" '
            f'fill="{ORANGE}"/>'
        )
    if point.kind == "neutral":
        return (
            f'<polygon points="{cx:.1f},{cy - r - 1:.1f} {cx + r + 1:.1f},{cy:.1f} '
            f'{cx:.1f},{cy + r + 1:.1f} {cx - r - 1:.1f},{cy:.1f}" fill="{PURPLE}"/>'
        )
    if point.kind == "improving":
        tip = -1 if point.direction == "higher" else 1  # the triangle points the better way
        return (
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r + 1}" fill="{BLUE}"/>'
            f'<polygon points="{cx:.1f},{cy + tip * 4:.1f} {cx - 3.5:.1f},{cy - tip * 2.5:.1f} '
            f'{cx + 3.5:.1f},{cy - tip * 2.5:.1f}" fill="#ffffff"/>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r - 1}" fill="{GREY}"/>'


def _legend(improvement: str) -> list[tuple[Kind, str]]:
    if improvement == "neither":
        return [
            ("common", "Grey circle: common cause"),
            ("neutral", "Purple diamond: special cause variation"),
        ]
    way = "up" if improvement == "up" else "down"
    return [
        ("common", "Grey circle: common cause"),
        ("improving", f"Blue circle with {way} triangle: special cause improving"),
        ("concerning", "Orange square: special cause concerning"),
    ]


def _describe(labels: list[str], displays: list[str], result: SPCResult, y_label: str) -> str:
    """Return the chart in words: every number it shows, and what it means."""
    if result.limits_calculated:
        lower = _number(result.lower_limit)
        if result.lower_limit_clamped:
            lower += " (the calculated limit is below zero, so 0 is shown)"
        summary = (
            f"Mean {_number(result.mean)}, upper process limit {_number(result.upper_limit)}, "
            f"lower process limit {lower}."
        )
    else:
        summary = "No mean or process limits are shown."
    months = []
    for label, display, point in zip(labels, displays, result.points, strict=True):
        text = f"{label}: {display}"
        if point.special_cause:
            what = _VARIATION[point.kind].lower()
            text += f" ({what}, {point.direction}: {', '.join(point.rules)})"
        months.append(text)
    conclusion = f"{result.variation}."
    if result.limits_calculated:
        conclusion = f"Latest month ({labels[result.latest_index]}): {conclusion}"
    return f"{y_label} by month. {summary} {'; '.join(months) or 'No data'}. {conclusion}"


def _number(value: float) -> str:
    return f"{value:,.1f}"


def _text(
    tx: float, ty: float, words: str, *, anchor: str = "start", weight: str = "normal"
) -> str:
    return (
        f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" font-size="12" '
        f'font-weight="{weight}" fill="{TEXT}">{escape(words)}</text>'
    )
