"""Load reference data (the ICBs) shipped with the project."""

import csv
import datetime
from pathlib import Path

ICB_FILE = Path(__file__).resolve().parent / "data" / "icbs.csv"


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
