"""Statistical disclosure control: small counts are never shown, nor can they be worked out.

Pure functions, no database. The rules follow NHS England's published practice for small
numbers in management information (suppress 1 to 7, round the rest to the nearest 5; see
docs/reporting.md) and are applied the same way in the page, the CSV and the PDF:

1. Primary suppression: a count of people or screenings from 1 to 7 is shown as "fewer than 8".
   Zero is shown as 0, except inside a group that is itself hidden (a 0 there would say
   something about a handful of people), where it is hidden too.
2. Rounding: every other count is rounded to the nearest 5. This goes further than "below ICB
   level": ICB totals for nested periods (a quarter and two of its months) would otherwise give
   the third month exactly by subtraction.
3. Rates are computed from the rounded figures, and are not shown when their numerator or
   denominator is hidden.
4. Secondary suppression: in a group of counts that add up to a total shown elsewhere, a hidden
   count must not be derivable from the total and the other cells. Each hidden cell's possible
   values are worked out from the ranges the shown figures stand for; while any hidden cell is
   pinned to a single value, the smallest shown cell that is not zero is hidden too. A zero is
   never chosen: hiding it would protect nothing (and the readers would know why).
"""

from dataclasses import dataclass

THRESHOLD = 8
ROUND_TO = 5
FEWER_THAN = f"fewer than {THRESHOLD}"
HIDDEN = "hidden"
NOT_SHOWN = "not shown"
UNBOUNDED = 10**12

EXPLANATION = (
    f"To protect privacy, counts from 1 to {THRESHOLD - 1} are shown as “{FEWER_THAN}”, every "
    f"other count is rounded to the nearest {ROUND_TO}, and a figure that would let a small "
    f"number be worked out is “{HIDDEN}”. Percentages are worked out from the rounded counts."
)


@dataclass(frozen=True)
class Count:
    """A count as it may be shown: `value` is the rounded figure, or None when hidden."""

    value: int | None
    display: str

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def bounds(self) -> tuple[int, int]:
        """Return the range of true counts this display stands for, as a reader could work out."""
        if self.display == FEWER_THAN:
            return (1, THRESHOLD - 1)
        if self.value is None:  # hidden by secondary suppression: a shown count, so 8 or more
            return (THRESHOLD, UNBOUNDED)
        if self.value == 0:
            return (0, 0)
        half = ROUND_TO // 2
        return (max(THRESHOLD, self.value - half), self.value + half)


@dataclass(frozen=True)
class Rate:
    value: float | None  # a percentage
    display: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


def is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


def rounded(n: int) -> int:
    """Return n rounded to the nearest 5 (halves upwards, though whole numbers have none)."""
    return ROUND_TO * ((2 * n + ROUND_TO) // (2 * ROUND_TO))


def count(n: int, *, within: Count | None = None) -> Count:
    """Return the count as it may be shown.

    `within` is the group the count is part of (for example the assessments arranged within the
    screenings that recommended one): when that group is hidden, so is this count, even a 0.
    """
    if within is not None and within.suppressed:
        return Count(None, HIDDEN)
    if is_small(n):
        return Count(None, FEWER_THAN)
    value = rounded(n)
    return Count(value, f"{value:,}")


def _pinned(cells: list[Count], total: Count) -> bool:
    """Return True if some hidden cell has only one value consistent with what is shown."""
    bounds = [c.bounds for c in cells]
    low_total, high_total = total.bounds
    low_sum = sum(lo for lo, _ in bounds)
    high_sum = sum(hi for _, hi in bounds)
    for cell, (lo, hi) in zip(cells, bounds, strict=True):
        if not cell.suppressed:
            continue
        least = max(lo, low_total - (high_sum - hi))
        most = min(hi, high_total - (low_sum - lo))
        if least >= most:
            return True
    return False


def protect(values: list[int], *, total: int | None = None) -> tuple[list[Count], Count]:
    """Return a group of counts that add to a total, and the total, with secondary suppression.

    `total` defaults to the sum of the values (when the group covers all of it). In the rare
    case where hiding every shown cell still leaves a small one pinned (the total at the top of
    its rounding range and the cells at the bottom of theirs), the total is hidden as well.
    """
    cells = [count(v) for v in values]
    shown_total = count(sum(values) if total is None else total)
    while any(c.suppressed for c in cells) and _pinned(cells, shown_total):
        candidates = sorted(
            (v, i)
            for i, (v, c) in enumerate(zip(values, cells, strict=True))
            if not c.suppressed and v > 0
        )
        if not candidates:
            shown_total = Count(None, HIDDEN)
            break
        _, index = candidates[0]
        cells[index] = Count(None, HIDDEN)
    return cells, shown_total


def group(values: list[int], *, total: int | None = None) -> list[Count]:
    """Return the cells of `protect()`; use `protect()` where the total is shown too."""
    return protect(values, total=total)[0]


def _shown(part: int | Count) -> int | None:
    return part.value if isinstance(part, Count) else count(part).value


def rate(numerator: int | Count, denominator: int | Count) -> Rate:
    """Return numerator / denominator as a percentage of the rounded figures, or not shown."""
    num, den = _shown(numerator), _shown(denominator)
    if den is None:
        return Rate(None, NOT_SHOWN)
    if den == 0:
        return Rate(None, "no data")
    if num is None:
        return Rate(None, NOT_SHOWN)
    pct = 100 * num / den
    return Rate(pct, f"{pct:.0f}%")


def shown_percent(r: Rate) -> int | None:
    """Return the whole percentage a rate is shown as ("75%" gives 75), or None if not shown."""
    return int(r.display.rstrip("%")) if r.value is not None else None


def row_rates(numerators: list[int], denominators: list[int]) -> list[Rate]:
    """Return each row's rate as a table of those rows shows it.

    Each column is protected as one group (`protect`, as the table does), then each row's rate
    is worked out from its shown cells. Anything decided from these rates (how many practices
    are fully trained, say) tells a reader nothing the table does not.
    """
    nums, _ = protect(numerators)
    dens, _ = protect(denominators)
    return [rate(n, d) for n, d in zip(nums, dens, strict=True)]
