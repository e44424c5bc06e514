"""Statistical disclosure control: small counts are never shown, nor can they be worked out.

Pure functions, no database. The rules (documented in docs/reporting.md):

1. Primary suppression: any count of people or screenings from 1 to 4 is shown as
   "fewer than 5". Zero is shown: it identifies nobody.
2. Rates: a rate is shown only when its numerator and denominator are both shown and are not
   small (a suppressed count's rate would reveal it).
3. Secondary suppression: in a group of counts that add up to a total shown elsewhere, if
   exactly one count is suppressed it could be recovered by subtraction, so the next smallest
   count in the group is hidden too ("suppressed").
"""

from dataclasses import dataclass

THRESHOLD = 5
FEWER_THAN = f"fewer than {THRESHOLD}"
HIDDEN = "suppressed"


@dataclass(frozen=True)
class Count:
    """A count as it may be shown: `value` is None when it must not be."""

    value: int | None
    display: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Rate:
    value: float | None  # a percentage
    display: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


def is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


def count(n: int) -> Count:
    """Return the count, or "fewer than 5" for 1 to 4."""
    return Count(None, FEWER_THAN) if is_small(n) else Count(n, f"{n:,}")


def group(values: list[int]) -> list[Count]:
    """Return a group of counts that add to a known total, with secondary suppression.

    If exactly one count is small, the next smallest (largest gap to recover it) is hidden too.
    """
    cells = [count(v) for v in values]
    suppressed = [i for i, c in enumerate(cells) if c.suppressed]
    if len(suppressed) == 1:
        candidates = sorted((v, i) for i, v in enumerate(values) if i not in suppressed)
        if candidates:
            _, index = candidates[0]
            cells[index] = Count(None, HIDDEN)
    return cells


def rate(numerator: int | Count, denominator: int | Count) -> Rate:
    """Return numerator / denominator as a percentage, or suppressed if either is hidden."""
    num = (
        numerator.value
        if isinstance(numerator, Count)
        else (None if is_small(numerator) else numerator)
    )
    den = (
        denominator.value
        if isinstance(denominator, Count)
        else (None if is_small(denominator) else denominator)
    )
    if num is None or den is None:
        return Rate(None, "suppressed")
    if den == 0:
        return Rate(None, "no data")
    pct = 100 * num / den
    return Rate(pct, f"{pct:.0f}%")
