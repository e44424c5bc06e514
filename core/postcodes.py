"""UK postcodes: one normal form and one shape check for every place that takes a postcode."""

import re

# Outward code, space, inward code. The shape only: it does not prove the postcode exists.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")


def normalise_postcode(value: str) -> str:
    """Return a postcode in capitals with one space before the inward code."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def is_postcode(value: str) -> bool:
    """Return True when the (normalised) value has the shape of a UK postcode."""
    return bool(POSTCODE.match(value))
