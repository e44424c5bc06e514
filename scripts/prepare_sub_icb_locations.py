#!/usr/bin/env python3
"""Write accounts/data/sub_icb_locations.csv: each sub-ICB location (SICBL) and its ICB over time.

    python scripts/prepare_sub_icb_locations.py          # rewrite the CSV
    python scripts/prepare_sub_icb_locations.py --check  # exit 1 if the CSV is out of date

Why this list is written out here rather than taken from a package
------------------------------------------------------------------
The only registry package found that claims a CCG-to-ICB mapping is geolintr 1.0.1 on PyPI
(MIT licence, github.com/eritrouib/geolintr). Its `geolintr/codes.py` holds eight "sample"
rows keyed by ONS E38 codes, not the ODS codes (such as 15F) that the epraccur commissioner
column carries, and at least three of its eight targets disagree with the ONS codes in
accounts/data/icbs.csv (it maps NHS Barking and Dagenham to E54000028, which is North Central
London, not North East London). It is not usable, so it is not used and not a dependency.
uk-gp-practices 0.2.0 (MIT) reads epraccur but carries no SICBL data. No other PyPI or npm
package found carries the list.

So the 106 sub-ICB locations of 1 July 2022 are listed below by hand, each with the ICB it was
placed in when ICBs were established. They are the 106 clinical commissioning groups of April
2021, which became sub-ICB locations with the same ODS codes. The list was checked against:

- a public NHS England (NHS Digital) Mental Health Bulletin notebook, found with the search
  tool, that hard-codes "ccg mapping 2021": every 2021 CCG ODS code with its STP/ICB ODS code
  (for example 15F, NHS Leeds CCG, QWO); all 106 codes and ICB codes below agree with it,
  except Bassetlaw (below);
- the ICB ODS codes in accounts/data/icbs.csv (every ICB code below is one of its 42 boards).

One deliberate difference from that 2021 table: Bassetlaw (02Q) was in the South Yorkshire and
Bassetlaw STP (QF7) but was placed in NHS Nottingham and Nottinghamshire ICB (QT1) from
1 July 2022. Boundary moves of single places at that date (Glossop to Derbyshire, West
Birmingham to Birmingham and Solihull) moved practices between SICBLs, not SICBLs between
boards, so they need nothing here: epraccur names each practice's SICBL.

The 1 April 2026 reorganisation comes from accounts/data/icbs.csv (itself from
shared/data/icb_changes_2026.csv): a SICBL of a board that merged whole into one new board maps
to that board from 2026-04-01. For the three boards that split, SPLITS below says where each
SICBL went and why. Frimley has a single SICBL (D4U1Y) for an area split three ways, so it has
no board after 31 March 2026 and practices under it must be placed another way.

Changes to SICBLs after 1 July 2022 other than the 2026 reorganisation are not in this table.
The importer refuses a file naming a SICBL it does not know, so a gap shows up as a clear error
rather than a practice in the wrong ICB.
"""

import argparse
import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICB_FILE = ROOT / "accounts" / "data" / "icbs.csv"
OUTPUT = ROOT / "accounts" / "data" / "sub_icb_locations.csv"

ESTABLISHED = "2022-07-01"
REORGANISED = "2026-04-01"
LAST_DAY_BEFORE = "2026-03-31"

# (SICBL ODS code, the area it covers as its former CCG was named, ICB on 1 July 2022)
SUB_ICB_LOCATIONS_2022 = [
    ("00L", "Northumberland", "QHM"),
    ("00N", "South Tyneside", "QHM"),
    ("00P", "Sunderland", "QHM"),
    ("01H", "North Cumbria", "QHM"),
    ("13T", "Newcastle Gateshead", "QHM"),
    ("16C", "Tees Valley", "QHM"),
    ("84H", "County Durham", "QHM"),
    ("99C", "North Tyneside", "QHM"),
    ("02Y", "East Riding of Yorkshire", "QOQ"),
    ("03F", "Hull", "QOQ"),
    ("03H", "North East Lincolnshire", "QOQ"),
    ("03K", "North Lincolnshire", "QOQ"),
    ("03Q", "Vale of York", "QOQ"),
    ("42D", "North Yorkshire", "QOQ"),
    ("02T", "Calderdale", "QWO"),
    ("03R", "Wakefield", "QWO"),
    ("15F", "Leeds", "QWO"),
    ("36J", "Bradford District and Craven", "QWO"),
    ("X2C4Y", "Kirklees", "QWO"),
    ("02P", "Barnsley", "QF7"),
    ("02X", "Doncaster", "QF7"),
    ("03L", "Rotherham", "QF7"),
    ("03N", "Sheffield", "QF7"),
    ("02Q", "Bassetlaw", "QT1"),
    ("52R", "Nottingham and Nottinghamshire", "QT1"),
    ("01F", "Halton", "QYG"),
    ("01J", "Knowsley", "QYG"),
    ("01T", "South Sefton", "QYG"),
    ("01V", "Southport and Formby", "QYG"),
    ("01X", "St Helens", "QYG"),
    ("02E", "Warrington", "QYG"),
    ("12F", "Wirral", "QYG"),
    ("27D", "Cheshire", "QYG"),
    ("99A", "Liverpool", "QYG"),
    ("00Q", "Blackburn with Darwen", "QE1"),
    ("00R", "Blackpool", "QE1"),
    ("00X", "Chorley and South Ribble", "QE1"),
    ("01A", "East Lancashire", "QE1"),
    ("01E", "Greater Preston", "QE1"),
    ("01K", "Morecambe Bay", "QE1"),
    ("02G", "West Lancashire", "QE1"),
    ("02M", "Fylde and Wyre", "QE1"),
    ("00T", "Bolton", "QOP"),
    ("00V", "Bury", "QOP"),
    ("00Y", "Oldham", "QOP"),
    ("01D", "Heywood, Middleton and Rochdale", "QOP"),
    ("01G", "Salford", "QOP"),
    ("01W", "Stockport", "QOP"),
    ("01Y", "Tameside and Glossop", "QOP"),
    ("02A", "Trafford", "QOP"),
    ("02H", "Wigan Borough", "QOP"),
    ("14L", "Manchester", "QOP"),
    ("04Y", "Cannock Chase", "QNC"),
    ("05D", "East Staffordshire", "QNC"),
    ("05G", "North Staffordshire", "QNC"),
    ("05Q", "South East Staffordshire and Seisdon Peninsula", "QNC"),
    ("05V", "Stafford and Surrounds", "QNC"),
    ("05W", "Stoke on Trent", "QNC"),
    ("M2L0M", "Shropshire, Telford and Wrekin", "QOC"),
    ("71E", "Lincolnshire", "QJM"),
    ("03W", "East Leicestershire and Rutland", "QK1"),
    ("04C", "Leicester City", "QK1"),
    ("04V", "West Leicestershire", "QK1"),
    ("B2M3M", "Coventry and Warwickshire", "QWU"),
    ("18C", "Herefordshire and Worcestershire", "QGH"),
    ("15E", "Birmingham and Solihull", "QHL"),
    ("15M", "Derby and Derbyshire", "QJ2"),
    ("78H", "Northamptonshire", "QPM"),
    ("D2P2L", "Black Country", "QUA"),
    ("26A", "Norfolk and Waveney", "QMM"),
    ("06L", "Ipswich and East Suffolk", "QJG"),
    ("06T", "North East Essex", "QJG"),
    ("07K", "West Suffolk", "QJG"),
    ("M1J4Y", "Bedfordshire, Luton and Milton Keynes", "QHG"),
    ("06K", "East and North Hertfordshire", "QM7"),
    ("06N", "Herts Valleys", "QM7"),
    ("07H", "West Essex", "QM7"),
    ("06Q", "Mid Essex", "QH8"),
    ("07G", "Thurrock", "QH8"),
    ("99E", "Basildon and Brentwood", "QH8"),
    ("99F", "Castle Point and Rochford", "QH8"),
    ("99G", "Southend", "QH8"),
    ("06H", "Cambridgeshire and Peterborough", "QUE"),
    ("W2U3Z", "North West London", "QRV"),
    ("93C", "North Central London", "QMJ"),
    ("A3A8R", "North East London", "QMF"),
    ("72Q", "South East London", "QKK"),
    ("36L", "South West London", "QWE"),
    ("91Q", "Kent and Medway", "QKS"),
    ("D4U1Y", "Frimley", "QNQ"),
    ("10R", "Portsmouth", "QRL"),
    ("D9Y0V", "Hampshire, Southampton and Isle of Wight", "QRL"),
    ("10Q", "Oxfordshire", "QU9"),
    ("14Y", "Buckinghamshire", "QU9"),
    ("15A", "Berkshire West", "QU9"),
    ("92A", "Surrey Heartlands", "QXU"),
    ("09D", "Brighton and Hove", "QNX"),
    ("70F", "West Sussex", "QNX"),
    ("97R", "East Sussex", "QNX"),
    ("11N", "Cornwall and the Isles of Scilly", "QT6"),
    ("15N", "Devon", "QJK"),
    ("11X", "Somerset", "QSL"),
    ("15C", "Bristol, North Somerset and South Gloucestershire", "QUY"),
    ("92G", "Bath and North East Somerset, Swindon and Wiltshire", "QOX"),
    ("11J", "Dorset", "QVV"),
    ("11M", "Gloucestershire", "QR1"),
]

# The SICBLs of the three boards split on 1 April 2026, and the board each went to (None: the
# SICBL's area was itself divided, so no one board can be named). The changes name only boards
# ("Hertfordshire and West Essex (part)"); each SICBL is placed by the new boards' names: the
# Hertfordshire SICBLs join Central East, the Essex ones Essex, the Suffolk ones Norfolk and
# Suffolk. Frimley's one SICBL covers parts that went to three boards.
SPLITS = {
    "06K": "S1Y5D",  # East and North Hertfordshire -> NHS Central East ICB
    "06N": "S1Y5D",  # Herts Valleys -> NHS Central East ICB
    "07H": "D7T5G",  # West Essex -> NHS Essex ICB
    "06L": "T6Y0W",  # Ipswich and East Suffolk -> NHS Norfolk and Suffolk ICB
    "07K": "T6Y0W",  # West Suffolk -> NHS Norfolk and Suffolk ICB
    "06T": "D7T5G",  # North East Essex -> NHS Essex ICB
    "D4U1Y": None,  # Frimley -> Thames Valley, Surrey and Sussex, Hampshire and Isle of Wight
}

COLUMNS = ["sicbl_code", "sicbl_name", "icb_ods_code", "valid_from", "valid_to"]


def read_icbs(path: Path = ICB_FILE) -> dict[str, dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["ods_code"]: row for row in csv.DictReader(fh)}


def build_rows(icbs: dict[str, dict]) -> list[list[str]]:
    """Return the table's rows: one per SICBL and board it belonged to, in date order."""
    codes = [code for code, _, _ in SUB_ICB_LOCATIONS_2022]
    if len(set(codes)) != len(codes):
        raise ValueError("a SICBL code is listed twice")
    rows = []
    for code, name, icb_code in SUB_ICB_LOCATIONS_2022:
        icb = icbs[icb_code]  # KeyError: an ICB code that icbs.csv does not know
        if not icb["valid_to"]:
            rows.append([code, name, icb_code, ESTABLISHED, ""])
            continue
        if icb["valid_to"] != LAST_DAY_BEFORE:
            raise ValueError(f"{icb_code} closed on {icb['valid_to']}, not in the 2026 changes")
        rows.append([code, name, icb_code, ESTABLISHED, LAST_DAY_BEFORE])
        new_board = SPLITS[code] if code in SPLITS else icb["successor_ods_code"]
        if code not in SPLITS and not new_board:
            raise ValueError(f"{icb_code} was split; say where SICBL {code} went in SPLITS")
        if new_board:
            if icbs[new_board]["valid_from"] > REORGANISED or icbs[new_board]["valid_to"]:
                raise ValueError(f"{new_board} is not a board from {REORGANISED}")
            rows.append([code, name, new_board, REORGANISED, ""])
    return rows


def render(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the CSV is current")
    args = parser.parse_args(argv)
    text = render(build_rows(read_icbs()))
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"Wrote {text.count(chr(10)) - 1} rows to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
