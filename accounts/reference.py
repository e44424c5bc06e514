"""Load reference data (the ICBs and their sub-ICB locations) shipped with the project."""

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ICB_FILE = DATA / "icbs.csv"
SUB_ICB_FILE = DATA / "sub_icb_locations.csv"


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def load_icbs(icb_model, path: Path = ICB_FILE) -> int:
    """Create or update every ICB in the reference file; return how many rows were loaded.

    Takes the model class so a data migration can pass its historical model.
    """
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        icb_model.objects.update_or_create(
            ods_code=row["ods_code"],
            defaults={
                "ons_code": row["ons_code"],
                "name": row["name"],
                "region": row["region"],
                "valid_from": _date(row["valid_from"]),
                "valid_to": _date(row["valid_to"]),
                "change_note": row["change_note"],
            },
        )
    # Successors in a second pass: a successor may appear later in the file.
    for row in rows:
        if row["successor_ods_code"]:
            icb_model.objects.filter(ods_code=row["ods_code"]).update(
                successor_id=row["successor_ods_code"]
            )
    return len(rows)


@dataclass(frozen=True)
class SubICBLocation:
    """A sub-ICB location (a former CCG, e.g. 15F Leeds) and the ICB it was in for a time."""

    code: str
    name: str
    icb_ods_code: str
    valid_from: datetime.date
    valid_to: datetime.date | None

    def covers(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class SubICBLocations:
    """The sub-ICB location table, to find which ICB a location belonged to on a day."""

    def __init__(self, locations):
        self._by_code: dict[str, list[SubICBLocation]] = defaultdict(list)
        for location in sorted(locations, key=lambda loc: loc.valid_from):
            self._by_code[location.code].append(location)

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def on(self, code: str, day: datetime.date) -> SubICBLocation | None:
        """Return the location's row in force on the day, or None if none is."""
        return next((loc for loc in self._by_code.get(code, ()) if loc.covers(day)), None)

    def last(self, code: str) -> SubICBLocation | None:
        """Return the location's latest row (the one that began last)."""
        rows = self._by_code.get(code)
        return rows[-1] if rows else None


def load_sub_icb_locations(path: Path = SUB_ICB_FILE) -> SubICBLocations:
    """Read the sub-ICB location table (see accounts/data/README.md)."""
    with path.open(newline="", encoding="utf-8") as fh:
        return SubICBLocations(
            SubICBLocation(
                code=row["sicbl_code"],
                name=row["sicbl_name"],
                icb_ods_code=row["icb_ods_code"],
                valid_from=_date(row["valid_from"]),
                valid_to=_date(row["valid_to"]),
            )
            for row in csv.DictReader(fh)
        )
