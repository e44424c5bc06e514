"""import_practices reading the NHS ODS epraccur file (27 columns, no header) and the practice CSV.

The epraccur files here are made by the tests in the published shape: every field quoted, names
and addresses with commas, dates as YYYYMMDD, CRLF line ends, GP and non-GP rows, every status.
"""

import csv
import datetime
import importlib.util
import io
import time
import uuid
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import epraccur
from accounts.forms import PracticeCodeField, ProfileForm
from accounts.models import ICB, Practice
from accounts.reference import ICB_FILE, SUB_ICB_FILE, load_sub_icb_locations
from accounts.services import practices_import
from reporting.scope import Scope
from reporting.selectors import screening_figures
from screening.models import Screening
from screening.services import screening_create
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
SIMPLE_HEADER = "ods_code,name,postcode,icb_ods_code\n"


def row(
    code,
    name,
    postcode="LS1 1AA",
    *,
    status="A",
    setting="4",
    commissioner="15F",
    opened="19740401",
    closed="",
    address=("THE HEALTH CENTRE", "1 HIGH STREET, WEST END", "LEEDS", "WEST YORKSHIRE", ""),
):
    """Return the 27 fields of one epraccur row, laid out as the ODS publishes them."""
    fields = [
        code,
        name,
        "Y63",  # national grouping
        "QWO",  # high level health geography
        *address,  # address lines 1 to 5
        postcode,
        opened,
        closed,
        status,
        "B",  # organisation sub-type
        commissioner,
        opened,  # join provider/purchaser date
        closed,  # left provider/purchaser date
        "0113 496 0000",
        "",
        "",
        "",
        "0",  # amended record indicator
        "",
        commissioner,  # provider/purchaser
        "",
        setting,
        "",
    ]
    assert len(fields) == epraccur.COLUMN_COUNT
    return fields


def epraccur_text(rows) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def run(tmp_path, content, name="epraccur.csv"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    call_command("import_practices", str(path))


@pytest.mark.django_db
class TestEpraccur:
    def test_realistic_file_imports_only_gp_practices_into_current_boards(
        self, tmp_path, practice, clinician, capsys
    ):
        text = epraccur_text(
            [
                row("B86001", "BURLEY PARK MEDICAL CENTRE", "LS4 2JT"),  # Leeds, 15F: QWO
                # A merged board's SICBL (Norfolk and Waveney, 26A): the board of 2026.
                row("D82001", "DR SMITH, JONES & PARTNERS", "NR1 1AA", commissioner="26A"),
                # A split board's SICBL: North East Essex (06T) went to Essex.
                row("F81001", "COLCHESTER, NORTH SURGERY", "CO1 1AA", commissioner="06T"),
                row("B86002", "OLD MILL SURGERY", status="C", closed="20250930"),  # unknown
                row("A11111", "ALPHA SURGERY", status="C", closed="20260630"),  # ours: closes
                row("B86003", "DORMANT SURGERY", status="D"),
                row("B86004", "PROPOSED SURGERY", status="P", opened="20270101"),
                # Not GP practices: out of hours, and a prison whose commissioner is a hub.
                row("Y01234", "LEEDS OUT OF HOURS, CITY", setting="2"),
                row("Y05678", "HMP LEEDS HEALTHCARE", setting="25", commissioner="13Q"),
            ]
        )
        run(tmp_path, text + "\r\n")

        out = capsys.readouterr().out
        assert "Imported 3 new and 1 updated practices (from epraccur layout)" in out
        assert "1 marked closed" in out
        assert (
            "Skipped 5 rows: 1 closed practices not known here, 1 dormant (status D) or "
            "retired (B), 2 not GP practices (prescribing setting other than 4), 1 proposed"
        ) in out
        imported = {p.ods_code: p for p in Practice.objects.all()}
        assert set(imported) == {"A11111", "B86001", "D82001", "F81001"}
        assert imported["B86001"].icb_id == "QWO"
        assert imported["B86001"].postcode == "LS4 2JT"
        assert imported["D82001"].name == "DR SMITH, JONES & PARTNERS"
        assert imported["D82001"].icb_id == "T6Y0W"  # Norfolk and Suffolk, not closed QMM
        assert imported["F81001"].icb_id == "D7T5G"
        assert all(p.closed_on is None for code, p in imported.items() if code != "A11111")
        # The closed practice is kept, closed, with its people.
        assert imported["A11111"].closed_on == datetime.date(2026, 6, 30)
        clinician.refresh_from_db()
        assert clinician.practice_id == practice.pk

    def test_byte_order_mark_and_lf_line_ends(self, tmp_path, icbs):
        text = "\ufeff" + epraccur_text([row("B86001", "BURLEY PARK")]).replace("\r\n", "\n")
        run(tmp_path, text)
        assert Practice.objects.get(ods_code="B86001").icb_id == "QWO"

    def test_a_merged_boards_sicbl_maps_by_the_day(self, icbs):
        text = epraccur_text([row("D82001", "NORWICH SURGERY", "NR1 1AA", commissioner="26A")])

        before = practices_import(text=text, on=datetime.date(2026, 3, 31))
        assert before.ok, before.errors
        assert Practice.objects.get(ods_code="D82001").icb_id == "QMM"

        after = practices_import(text=text, on=datetime.date(2026, 4, 1))
        assert (after.updated, after.unchanged) == (1, 0)
        assert Practice.objects.get(ods_code="D82001").icb_id == "T6Y0W"

    def test_a_board_closed_with_a_successor_gives_the_current_board(self, icbs):
        # A table row ending later than the board did still lands on the board of today.
        ICB.objects.filter(pk="QWO").update(valid_to=datetime.date(2026, 5, 31), successor_id="QOQ")
        result = practices_import(text=epraccur_text([row("B86001", "LEEDS SURGERY")]))
        assert result.ok, result.errors
        assert Practice.objects.get(ods_code="B86001").icb_id == "QOQ"

    def test_closed_practice_is_marked_not_deleted_and_reopens(self, tmp_path, clinician):
        run(
            tmp_path, epraccur_text([row("A11111", "ALPHA SURGERY", closed="20261130", status="C")])
        )
        practice = Practice.objects.get(ods_code="A11111")
        assert practice.closed_on == datetime.date(2026, 11, 30)
        assert practice.members.get() == clinician

        run(tmp_path, epraccur_text([row("A11111", "ALPHA SURGERY")]))
        assert Practice.objects.get(ods_code="A11111").closed_on is None

    def test_closed_practice_refused_at_sign_up_but_kept_by_its_members(self, clinician):
        Practice.objects.filter(ods_code="A11111").update(closed_on=datetime.date(2026, 6, 30))
        with pytest.raises(Exception, match="closed on 30 June 2026") as caught:
            PracticeCodeField().clean("a11111")
        assert caught.value.code == "closed_practice"

        form = ProfileForm(
            instance=clinician,
            data={"full_name": "Alice", "professional_role": "gp", "practice": "A11111"},
        )
        assert form.is_valid(), form.errors

    def test_bad_rows_are_reported_by_line_and_nothing_is_imported(
        self, tmp_path, practice, capsys
    ):
        good = row("B86001", "GOOD SURGERY")
        short = row("B86009", "SHORT ROW")[:-1]
        rows = [
            good,  # line 1: fine
            short,  # 2: 26 columns
            row("", "NO CODE SURGERY"),  # 3
            row("B86010", ""),  # 4: no name
            row("B86011", "UNKNOWN SICBL", commissioner="ZZZ"),  # 5
            row("B86012", "BAD DATE", opened="1974-04-01"),  # 6
            row("B86013", "IMPOSSIBLE DATE", opened="20230231"),  # 7
            row("B86014", "CLOSED BEFORE OPEN", status="C", opened="20200101", closed="20190101"),
            row("B86015", "CLOSED, NO DATE", status="C"),  # 9
            row("B86016", "ODD STATUS", status="X"),  # 10
            row("B86017", "FRIMLEY SURGERY", "GU15 1AA", commissioner="D4U1Y"),  # 11: split
            row("B86018", "NO POSTCODE", "NOT A POSTCODE"),  # 12
            row("B86001", "GOOD AGAIN"),  # 13: duplicate
            row("A11111", "ALPHA SURGERY", status="C", closed="20260630"),  # 14: fine
        ]
        with pytest.raises(CommandError, match="Nothing imported: 12 problem"):
            run(tmp_path, epraccur_text(rows))

        err = capsys.readouterr().err
        reported = {int(line.split(":")[0].removeprefix("Line ")) for line in err.splitlines()}
        assert reported == set(range(2, 14))
        assert "Line 2: 26 values where an ODS epraccur row has 27" in err
        assert "Line 3: organisation code (column 1) is empty" in err
        assert "Line 4: name (column 2) is empty" in err
        assert "Line 5: commissioner (column 15) 'ZZZ' is not a sub-ICB location" in err
        assert "Line 6: open date (column 11) '1974-04-01' is not a date as YYYYMMDD" in err
        assert "Line 7: open date (column 11) '20230231'" in err
        assert "close date 20190101 is before open date 20200101" in err
        assert "Line 9: the practice is closed (status C) but has no close date" in err
        assert "Line 10: status code (column 13) 'X' is not A (active)" in err
        assert "Line 11: sub-ICB location D4U1Y (Frimley) was in NHS Frimley" in err
        assert "split between boards" in err
        assert "Line 12: postcode (column 10) 'NOT A POSTCODE'" in err
        assert "Line 13: ODS code B86001 appears again (first on line 1)" in err
        assert list(Practice.objects.values_list("ods_code", "closed_on")) == [("A11111", None)]

    def test_a_file_that_is_not_utf8_is_refused_by_line(self, tmp_path, icbs, capsys):
        text = epraccur_text(
            [row("B86001", "GOOD SURGERY"), row("B86002", "CAFÉ SURGERY"), row("B86003", "OK")]
        )
        with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
            run(tmp_path, text.encode("cp1252"))
        err = capsys.readouterr().err
        assert "Line 2: not UTF-8 text (byte 0xC9 at character 14)" in err
        assert "save the file as UTF-8" in err
        assert not Practice.objects.exists()

        run(tmp_path, text.encode("utf-8"))  # the same names in UTF-8 are fine
        assert Practice.objects.get(ods_code="B86002").name == "CAFÉ SURGERY"

    def test_a_moved_practice_keeps_its_history_in_reports(self, tmp_path, clinician):
        earlier = clinician.practice
        assert earlier.icb_id == "QWO"
        october = screening_create(
            clinician=clinician, answers={"unwanted": "yes"}, submission_id=uuid.uuid4()
        )
        Screening.objects.filter(pk=october.pk).update(
            created_at=datetime.datetime(2026, 10, 15, 12, tzinfo=datetime.UTC)
        )

        # ODS now has the practice under Vale of York (03Q), in Humber and North Yorkshire.
        run(
            tmp_path, epraccur_text([row("A11111", "ALPHA SURGERY", "YO1 7HH", commissioner="03Q")])
        )
        clinician.refresh_from_db()
        assert clinician.practice.icb_id == "QOQ"
        after = screening_create(
            clinician=clinician, answers={"unwanted": "yes"}, submission_id=uuid.uuid4()
        )

        def total(code, start, end):
            scope = Scope(icb=ICB.objects.get(pk=code), start=start, end=end)
            return screening_figures(scope)["total"]

        oct_1, oct_31 = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)
        assert total("QWO", oct_1, oct_31) == 1  # October still counts for West Yorkshire
        assert total("QOQ", oct_1, oct_31) == 0
        assert Screening.objects.get(pk=october.pk).icb_id == "QWO"
        assert after.icb_id == "QOQ"  # what happens after the move counts for the new board

    def test_six_and_a_half_thousand_practices_import_in_under_ten_seconds(self, tmp_path, icbs):
        """One query reads the practices held; the writes are batched."""
        sicbls = [
            code
            for code in sorted(load_sub_icb_locations()._by_code)
            if code != "D4U1Y"  # split: no board today
        ]
        rows = [
            row(f"Z{n:05d}", f"PRACTICE {n}, SOMEWHERE", "LS1 1AA", commissioner=sicbls[n % 105])
            for n in range(6500)
        ]
        rows += [row(f"Y{n:05d}", f"CLINIC {n}", setting="9") for n in range(300)]
        text = epraccur_text(rows)
        timings, counts = {}, {}
        for label, content in [("create", text), ("update", text.replace("PRACTICE", "SURGERY"))]:
            path = tmp_path / f"{label}.csv"
            path.write_text(content, encoding="utf-8", newline="")
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                call_command("import_practices", str(path), stdout=io.StringIO())
                timings[label] = time.perf_counter() - started
            # Batched writes, never a query per practice (SQLite's 999-parameter limit makes
            # batches of about 200 rows there; PostgreSQL takes 1,000 or 500 at a time).
            counts[label] = len(queries)
            assert len(queries) < 100, f"{label}: {len(queries)} queries"
        print(f"epraccur 6,500 practices on {connection.vendor}: {timings}, queries {counts}")
        assert Practice.objects.count() == 6500
        assert Practice.objects.filter(name__startswith="SURGERY").count() == 6500
        assert max(timings.values()) < 10, timings


@pytest.mark.django_db
class TestSimpleCsvStillWorks:
    def test_practice_csv_creates_and_updates_and_leaves_closing_alone(
        self, tmp_path, practice, capsys
    ):
        Practice.objects.filter(pk=practice.pk).update(closed_on=datetime.date(2026, 6, 30))
        run(
            tmp_path,
            SIMPLE_HEADER + "A11111,Alpha Surgery Renamed,ls1 1aa,QWO\nD12345,Delta,L1 8JQ,qyg\n",
            name="practices.csv",
        )
        assert "Imported 1 new and 1 updated practices (from simple layout)" in (
            capsys.readouterr().out
        )
        alpha = Practice.objects.get(ods_code="A11111")
        assert (alpha.name, alpha.closed_on) == (
            "Alpha Surgery Renamed",
            datetime.date(2026, 6, 30),
        )
        assert Practice.objects.get(ods_code="D12345").icb_id == "QYG"

    def test_unchanged_practices_are_counted_not_rewritten(self, tmp_path, practice, capsys):
        run(tmp_path, SIMPLE_HEADER + "A11111,Alpha Surgery,LS1 1AA,QWO\n", name="same.csv")
        assert "Imported 0 new and 0 updated practices; 1 unchanged" in capsys.readouterr().out


class TestParse:
    """The layout reader alone: no database."""

    def test_reads_the_columns_it_uses(self):
        record, problems = epraccur.parse(row("b86001", " BURLEY ", "LS4 2JT", commissioner="15f"))
        assert problems == []
        assert record == epraccur.Record(
            ods_code="B86001",
            name="BURLEY",
            postcode="LS4 2JT",
            open_date=datetime.date(1974, 4, 1),
            close_date=None,
            status=epraccur.Status.ACTIVE,
            commissioner="15F",
            prescribing_setting=4,
        )
        assert record.is_gp_practice

    @pytest.mark.parametrize(
        ("change", "problem"),
        [
            ({"setting": ""}, "prescribing setting (column 26) '' is not a number"),
            ({"status": ""}, "status code (column 13) '' is not A (active)"),
            ({"closed": "2026"}, "close date (column 12) '2026' is not a date"),
            ({"opened": "20261301"}, "open date (column 11) '20261301' is not a date"),
        ],
    )
    def test_reports_what_is_wrong(self, change, problem):
        record, problems = epraccur.parse(row("B86001", "SURGERY", **change))
        assert record is None
        assert any(p.startswith(problem) for p in problems), problems


class TestSubICBTable:
    """accounts/data/sub_icb_locations.csv against the ICBs and the 2026 changes."""

    def icbs(self):
        with ICB_FILE.open(newline="", encoding="utf-8") as fh:
            return {r["ods_code"]: r for r in csv.DictReader(fh)}

    def rows(self):
        with SUB_ICB_FILE.open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    def test_every_row_names_a_known_board_in_its_lifetime(self):
        icbs = self.icbs()
        for r in self.rows():
            board = icbs[r["icb_ods_code"]]
            assert board["valid_from"] <= r["valid_from"], r
            assert not board["valid_to"] or (r["valid_to"] and r["valid_to"] <= board["valid_to"])

    def test_106_locations_from_july_2022_without_gaps_or_overlaps(self):
        by_code = defaultdict(list)
        for r in self.rows():
            by_code[r["sicbl_code"]].append(r)
        assert len(by_code) == 106
        every_board = {r["icb_ods_code"] for r in self.rows() if r["valid_from"] == "2022-07-01"}
        assert len(every_board) == 42
        for code, spans in by_code.items():
            assert spans[0]["valid_from"] == "2022-07-01", code
            for earlier, later in zip(spans, spans[1:], strict=False):
                day_after = datetime.date.fromisoformat(earlier["valid_to"]) + datetime.timedelta(1)
                assert later["valid_from"] == day_after.isoformat(), code
            assert spans[-1]["valid_to"] == "" or code == "D4U1Y", code

    def test_wholly_merged_boards_map_to_their_successor_from_april_2026(self):
        icbs = self.icbs()
        table = load_sub_icb_locations()
        april = datetime.date(2026, 4, 1)
        for r in self.rows():
            successor = icbs[r["icb_ods_code"]]["successor_ods_code"]
            if successor:
                assert table.on(r["sicbl_code"], april).icb_ods_code == successor, r

    def test_the_split_boards_sicbls_go_where_the_changes_say(self):
        table = load_sub_icb_locations()
        april = datetime.date(2026, 4, 1)
        placed = {
            code: table.on(code, april) for code in ("06K", "06N", "07H", "06L", "07K", "06T")
        }
        assert {code: loc.icb_ods_code for code, loc in placed.items()} == {
            "06K": "S1Y5D",
            "06N": "S1Y5D",
            "07H": "D7T5G",
            "06L": "T6Y0W",
            "07K": "T6Y0W",
            "06T": "D7T5G",
        }
        assert table.on("D4U1Y", april) is None

    def test_the_csv_is_what_the_script_writes(self):
        path = ROOT / "scripts" / "prepare_sub_icb_locations.py"
        spec = importlib.util.spec_from_file_location("prepare_sub_icb_locations", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        assert script.main(["--check"]) == 0


def test_factory_practice_is_open(db, icbs):
    assert factories.PracticeFactory().closed_on is None
