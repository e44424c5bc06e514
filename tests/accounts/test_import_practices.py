import pytest
from django.core.management import CommandError, call_command

from accounts.models import Practice

HEADER = "ods_code,name,postcode,icb_ods_code\n"


def run(tmp_path, text, capsys=None):
    path = tmp_path / "practices.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_practices", str(path))


@pytest.mark.django_db
class TestImportPractices:
    def test_good_file_creates_and_updates(self, tmp_path, practice, capsys):
        run(
            tmp_path,
            HEADER + "A11111,Alpha Surgery Renamed,ls1 1aa,QWO\nD12345,Delta Practice,L1 8JQ,qyg\n",
        )
        assert Practice.objects.get(ods_code="A11111").name == "Alpha Surgery Renamed"
        delta = Practice.objects.get(ods_code="D12345")
        assert delta.icb_id == "QYG"
        assert delta.postcode == "L1 8JQ"
        assert "Imported 1 new and 1 updated" in capsys.readouterr().out

    def test_bad_rows_are_reported_by_line_and_nothing_is_imported(self, tmp_path, icbs, capsys):
        text = (
            HEADER
            + "\n".join(
                [
                    "D12345,Delta Practice,L1 8JQ,QYG",  # line 2: fine
                    "BAD,Echo Practice,L1 8JQ,QYG",  # line 3: bad code
                    "F12345,,L1 8JQ,QYG",  # line 4: no name
                    "G12345,Golf Practice,NOT A POSTCODE,QYG",  # line 5
                    "H12345,Hotel Practice,L1 8JQ,XXX",  # line 6: unknown ICB
                    "J12345,Juliet Practice,L1 8JQ,QMJ",  # line 7: closed ICB
                    "D12345,Delta Again,L1 8JQ,QYG",  # line 8: duplicate
                    "K12345,Kilo,L1 8JQ,QYG,extra",  # line 9: too many values
                ]
            )
            + "\n"
        )
        with pytest.raises(CommandError, match="Nothing imported: 7 problem"):
            run(tmp_path, text)
        err = capsys.readouterr().err
        for line in range(3, 10):
            assert f"Line {line}:" in err
        assert "Line 2:" not in err
        assert "closed on 31 March 2026" in err
        assert "first on line 2" in err
        assert not Practice.objects.filter(ods_code="D12345").exists()

    def test_wrong_header_is_refused(self, tmp_path, icbs, capsys):
        with pytest.raises(CommandError):
            run(tmp_path, "code,name\nD12345,Delta\n")
        assert "Line 1: the header must name the columns" in capsys.readouterr().err

    def test_empty_and_missing_files(self, tmp_path, icbs):
        with pytest.raises(CommandError):
            run(tmp_path, HEADER)
        with pytest.raises(CommandError, match="Could not read"):
            call_command("import_practices", str(tmp_path / "missing.csv"))

    def test_file_with_byte_order_mark_and_crlf(self, tmp_path, icbs):
        run(tmp_path, "\ufeff" + HEADER.replace("\n", "\r\n") + "D12345,Delta,L1 8JQ,QYG\r\n")
        assert Practice.objects.filter(ods_code="D12345").exists()
