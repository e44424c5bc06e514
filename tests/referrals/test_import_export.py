"""Export and import: ORUK JSON and CSV round-trip without loss; bad files import nothing."""

import copy
import io
import json
import re

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from referrals import oruk
from referrals.models import ChangeAction, Location, Organisation, Service, ServiceChange
from referrals.services import EXAMPLES_SEED, NATIONAL_SEED, directory_import_text, seed_load
from tests.referrals.factories import LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_directory(seeded, icb_admin):
    """The seed data plus entries that use every field and odd values."""
    shared = ServiceFactory(
        name="Pennine Advocacy",
        icbs=["QWO", "QYG"],
        minimum_age=16,
        maximum_age=25,
        gender="trans_non_binary",
        eligibility="Young people.\nLine two, with “curly quotes” and ü.",
        referral_instructions='=HYPERLINK("http://evil")',  # a spreadsheet formula
        phone="+44 113 496 0123",
        phone_notes="-press 1",
        email="pennine@example.org",
        website="https://example.org/pennine?x=1&y=2",
        opening_hours="@ all hours",
        verification_note="'quoted'",
        verified_by=icb_admin,
    )
    LocationFactory(service=shared, name="", postcode="")
    ServiceFactory(name="Retired Service", retired_at=timezone.now(), icbs=["QYG"])
    ServiceFactory(name="Old Board Service", icbs=["QMM"])  # an ICB closed in April 2026
    return Service.objects.count()


def _wipe():
    ServiceChange.objects.all().delete()
    Location.objects.all().delete()
    Service.objects.all().delete()
    Organisation.objects.all().delete()


def _export(fmt="json", *extra) -> str:
    out = io.StringIO()
    call_command("export_oruk", "--format", fmt, *extra, stdout=out)
    return out.getvalue()


def _import(path, *extra):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_oruk", str(path), *extra, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


class TestRoundTrip:
    def test_json_export_then_import_gives_an_identical_directory(self, full_directory, tmp_path):
        first = _export()
        document = json.loads(first)
        assert len(document) == full_directory
        path = tmp_path / "directory.json"
        path.write_text(first, encoding="utf-8")

        _wipe()
        ok, out, err = _import(path)
        assert ok, err
        assert f"Imported {full_directory} new" in out
        assert _export() == first

    def test_csv_export_then_import_gives_an_identical_directory(self, full_directory, tmp_path):
        json_before = _export()
        first = _export("csv")
        assert "'=HYPERLINK" in first  # defused for spreadsheets
        path = tmp_path / "directory.csv"
        path.write_text(first, encoding="utf-8")

        _wipe()
        ok, _, err = _import(path)
        assert ok, err
        assert _export("csv") == first
        assert _export() == json_before

    def test_windows_line_endings_in_a_csv_cell_import_as_unix_ones(self, seeded, tmp_path):
        first = _export("csv")
        helpline = Service.objects.get(name="National Stalking Helpline")
        path = tmp_path / "windows.csv"
        path.write_bytes(
            first.replace(helpline.description, "Line one.\r\nLine two.").encode("utf-8")
        )
        ok, out, err = _import(path)
        assert ok, err
        helpline.refresh_from_db()
        assert helpline.description == "Line one.\nLine two."

    def test_reimporting_the_same_file_changes_nothing(self, full_directory, tmp_path):
        path = tmp_path / "directory.json"
        path.write_text(_export(), encoding="utf-8")
        changes = ServiceChange.objects.count()
        modified = dict(Service.objects.values_list("id", "updated_at"))

        ok, out, _ = _import(path)
        assert ok
        assert f"({full_directory} unchanged)" in out
        assert ServiceChange.objects.count() == changes
        assert dict(Service.objects.values_list("id", "updated_at")) == modified

    def test_a_changed_record_is_updated_and_recorded(self, full_directory, tmp_path):
        document = json.loads(_export())
        target = next(s for s in document if s["name"] == "Samaritans")
        target["name"] = "Samaritans helpline"
        path = tmp_path / "directory.json"
        path.write_text(json.dumps(document), encoding="utf-8")

        ok, out, _ = _import(path)
        assert ok
        assert "0 new and 1 changed" in out
        change = ServiceChange.objects.filter(action=ChangeAction.IMPORTED).latest("changed_at")
        assert change.changed_by is None
        assert change.changed_by_name == "import_oruk directory.json"
        assert change.changes == [
            {"field": "Name", "before": "Samaritans", "after": "Samaritans helpline"}
        ]

    def test_a_page_from_the_api_imports_too(self, full_directory, client):
        page = {"contents": json.loads(_export())}
        _wipe()
        result = directory_import_text(text=json.dumps(page), fmt="json", source="test")
        assert result.ok, result.errors
        assert result.created == full_directory

    def test_export_can_leave_out_retired_services(self, full_directory):
        names = {s["name"] for s in json.loads(_export("json", "--current-only"))}
        assert "Retired Service" not in names
        assert len(names) == full_directory - 1

    def test_export_writes_a_file(self, full_directory, tmp_path):
        path = tmp_path / "out.json"
        call_command("export_oruk", "--output", str(path), stderr=io.StringIO())
        assert len(json.loads(path.read_text(encoding="utf-8"))) == full_directory

    def test_export_holds_no_personal_data(self, full_directory, icb_admin):
        text = _export() + _export("csv")
        assert icb_admin.email not in text
        assert icb_admin.full_name not in text


def _good_record(**changes) -> dict:
    """An ORUK service as export_oruk writes it (one of the national seed entries)."""
    record = copy.deepcopy(
        next(s for s in json.loads(_export()) if s["name"] == "National Stalking Helpline")
    )
    record.update(changes)
    return record


def _write(tmp_path, document, name="bad.json") -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), "utf-8")
    return path


class TestMalformedFiles:
    @pytest.fixture(autouse=True)
    def _directory(self, seeded):
        self.before = _export()

    def assert_nothing_imported(self):
        assert _export() == self.before

    @pytest.mark.parametrize(
        "text,message",
        [
            ("{", "The file is not valid JSON: Expecting property name"),
            ("", "The file is not valid JSON"),
            ('{"services": []}', "must hold a list of services"),
            ("[]", "There are no services in the file"),
            ("[1, null]", "Record 1: is not a JSON object"),
        ],
    )
    def test_unreadable_files(self, tmp_path, text, message):
        ok, _, err = _import(_write(tmp_path, text))
        assert not ok
        assert message in err
        assert "Nothing imported" in err
        self.assert_nothing_imported()

    def test_every_problem_in_every_record_is_reported_and_nothing_imported(self, tmp_path):
        good = _good_record(id="7e1d1b38-8bd1-4f1c-9a4b-5f2d3b1f0a11", name="New good service")
        missing = {"description": "No id, name, organisation, type, area, status or url"}
        unknown_icb = _good_record(
            id="0d9e6b8e-0f8c-4b8a-8a57-2d9d7f1b1c22",
            name="Somewhere unknown",
            attributes=[a for a in good["attributes"] if a["taxonomy_term"]["code"] != "national"]
            + [
                {
                    "id": "x",
                    "taxonomy_term_id": "not-a-known-term",
                    "taxonomy_term": {"code": "ZZZ99", "taxonomy_id": oruk.AREAS.id},
                }
            ],
        )
        duplicate = _good_record(id="7e1d1b38-8bd1-4f1c-9a4b-5f2d3b1f0a11", name="Same id again")
        wrong_types = _good_record(
            id="3c4f2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a33",
            name="Bad values",
            minimum_age="sixteen",
            email="nope",
            url="ftp://example.org",
        )
        document = [good, missing, unknown_icb, duplicate, wrong_types]
        ok, _, err = _import(_write(tmp_path, document))
        assert not ok
        lines = err.splitlines()
        for expected in [
            "Record 2: status is missing (Open Referral UK requires it)",
            "Record 2: url is missing (Open Referral UK requires it)",
            "Record 2: id is missing",
            "Record 2: name is missing",
            "Record 2: service type is missing",
            "Record 2: organisation id is missing",
            "Record 2: organisation name is missing",
            "Record 2: referral route is missing",
            "Record 2: there is no phone, email, website or referral instructions",
            "Record 2: area is missing: give 'national' or the ODS codes of ICBs",
            "Record 3 ('Somewhere unknown'): unknown ICB code(s): ZZZ99",
            "Record 4 ('Same id again'): id 7e1d1b38-8bd1-4f1c-9a4b-5f2d3b1f0a11 appears "
            "again (first in Record 1 ('New good service'))",
            "Record 5 ('Bad values'): minimum age 'sixteen' is not an age from 0 to 120",
            "Record 5 ('Bad values'): email 'nope' is not an email address",
            "Record 5 ('Bad values'): website 'ftp://example.org' is not a web address",
        ]:
            assert expected in lines, f"{expected!r} not in {lines}"
        assert not [line for line in lines if line.startswith("Record 1 ")]  # the good one
        assert "Nothing imported: 15 problem(s)" in err
        self.assert_nothing_imported()
        assert not Service.objects.filter(name="New good service").exists()

    @pytest.mark.parametrize(
        "changes,message",
        [
            ({"id": "123"}, "id '123' is not a UUID"),
            ({"id": 5}, "id must be text"),
            ({"status": "sleeping"}, "status 'sleeping' is not one of active, inactive, defunct"),
            ({"minimum_age": 30, "maximum_age": 20}, "minimum age 30 is above maximum age 20"),
            ({"minimum_age": True}, "minimum_age must be a number"),
            ({"minimum_age": 16.5}, "minimum_age 16.5 is not a whole number"),
            ({"assured_date": "2099-01-01"}, "last checked date 2099-01-01 is in the future"),
            ({"assured_date": "yesterday"}, "last checked date 'yesterday' is not a date"),
            ({"last_modified": "2026-01-01T10:00:00"}, "is not a date and time with a time zone"),
            ({"name": "x" * 201}, "name is longer than 200 characters"),
            ({"name": "Bad\u0000name"}, "name contains a NUL character"),
            ({"contacts": "0808"}, "contacts must be a list of objects"),
            ({"organization": "Suzy"}, "organization must be an object"),
            ({"attributes": []}, "service type is missing"),
            ({"x_spotting_stalking": []}, "x_spotting_stalking must be an object"),
        ],
    )
    def test_single_bad_values(self, tmp_path, changes, message):
        ok, _, err = _import(_write(tmp_path, [_good_record(**changes)]))
        assert not ok
        assert message in err
        self.assert_nothing_imported()

    def test_organisation_name_taken_by_another_id_imports_nothing(self, tmp_path):
        record = _good_record(id="5f0a4d2c-1b3e-4c5d-8e6f-7a8b9c0d1e44", name="Other")
        record["organization"] = {
            "id": "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c55",
            "name": "SAMARITANS",  # the seed's Samaritans has another id
            "description": "",
        }
        ok, _, err = _import(_write(tmp_path, [record]))
        assert not ok
        assert "organisation name 'SAMARITANS' already belongs to organisation" in err
        self.assert_nothing_imported()

    def test_bad_csv_rows_are_reported_by_line(self, tmp_path):
        lines = _export("csv").splitlines()
        header, row = lines[0], lines[1]
        bad = row.replace(",national,", ",ZZZ99,")
        path = tmp_path / "bad.csv"
        path.write_text("\r\n".join([header, row, bad, row + ",extra"]) + "\r\n", "utf-8")
        ok, _, err = _import(path)
        assert not ok
        assert re.search(r"Line 3: unknown ICB code\(s\): ZZZ99", err)
        assert re.search(r"Line 3: id \S+ appears again \(first in Line 2\)", err)
        assert "Line 4: too many values" in err
        self.assert_nothing_imported()

    def test_csv_with_wrong_header(self, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_text("name,colour\nA,blue\n", "utf-8")
        ok, _, err = _import(path)
        assert not ok
        assert "the header is missing the columns id, service_type, area" in err
        assert "unknown columns colour" in err

    def test_unreadable_path(self, tmp_path):
        ok, _, err = _import(tmp_path / "missing.json")
        assert not ok
        assert "Could not read" in err


class TestHostileFiles:
    """Files made to break the importer (issue 14, point 8) are bad files like any other:
    the usual "Nothing imported" error and exit status, never a traceback, nothing changed.
    """

    @pytest.fixture(autouse=True)
    def _directory(self, seeded):
        self.before = _export()

    def assert_refused(self, path, message):
        ok, out, err = _import(path)
        assert not ok
        assert message in err
        assert "Nothing imported: 1 problem(s)" in err
        assert _export() == self.before

    def test_deeply_nested_json(self, tmp_path):
        self.assert_refused(_write(tmp_path, "[" * 100_000), "it is nested too deeply")

    def test_deeply_nested_but_balanced_json(self, tmp_path):
        path = _write(tmp_path, "[" * 100_000 + "]" * 100_000, name="nested.txt")
        self.assert_refused(path, "it is nested too deeply")

    def test_a_number_too_long_to_read(self, tmp_path):
        self.assert_refused(_write(tmp_path, "[" + "9" * 5000 + "]"), "a number too long to read")

    def test_bytes_that_are_not_utf8(self, tmp_path):
        for name in ("latin1.json", "latin1.csv"):
            path = tmp_path / name
            path.write_bytes(_export("csv" if name.endswith("csv") else "json").encode() + b"\xff")
            self.assert_refused(path, "The file is not UTF-8 text: byte")
        path = tmp_path / "bom.json"
        path.write_bytes(b"\xef\xbb\xbf[\xff]")
        self.assert_refused(path, "The file is not UTF-8 text: byte 5 is 0xff.")

    def test_a_byte_order_mark_is_still_fine(self, tmp_path):
        path = tmp_path / "bom.json"
        path.write_bytes(b"\xef\xbb\xbf" + _export().encode())
        ok, out, err = _import(path)
        assert ok, err
        assert "(19 unchanged)" in out

    def test_a_file_over_the_size_limit(self, tmp_path):
        from referrals import services

        path = tmp_path / "huge.json"
        path.write_bytes(b" " * (services.MAX_IMPORT_BYTES + 1))
        self.assert_refused(path, "The file is larger than 20 MB")

    def test_too_many_records(self, tmp_path, monkeypatch):
        from referrals import records

        monkeypatch.setattr(records, "MAX_RECORDS", 3)
        self.assert_refused(_write(tmp_path, "[1, 2, 3, 4]"), "more than 3 services")
        header, row = _export("csv").splitlines()[:2]
        path = tmp_path / "many.csv"
        path.write_text("\r\n".join([header] + [row] * 4) + "\r\n", "utf-8")
        self.assert_refused(path, "more than 3 services")

    def test_a_lone_surrogate_is_reported_not_stored(self, tmp_path):
        record = _good_record(name="Bad \ud800 name")
        path = tmp_path / "surrogate.json"
        path.write_text(json.dumps([record]), "utf-8")  # json.dumps escapes it as \\ud800
        self.assert_refused(path, "name contains a character that is not valid Unicode text")

    def test_nested_lists_where_ids_belong_are_ignored(self, tmp_path):
        record = _good_record()
        nested = [[[[[[[[[[[]]]]]]]]]]]
        for attribute in record["attributes"]:
            attribute["taxonomy_term_id"] = nested
            attribute["taxonomy_term"]["taxonomy_id"] = nested
        ok, _, err = _import(_write(tmp_path, [record]))
        assert not ok
        assert "service type is missing" in err
        assert _export() == self.before

    def test_deeply_nested_seed_data(self, tmp_path, monkeypatch):
        from referrals import services

        path = tmp_path / "national.yaml"
        path.write_text("[" * 100_000, "utf-8")
        monkeypatch.setattr(services, "NATIONAL_SEED", path)
        result = seed_load()
        assert result.errors == ["national.yaml is not valid seed data: it is nested too deeply"]

    def test_nested_values_in_seed_data(self, tmp_path, monkeypatch):
        from referrals import services

        path = tmp_path / "national.yaml"
        path.write_text("- name: [[1, 2]]\n  description: {a: b}\n", "utf-8")
        monkeypatch.setattr(services, "NATIONAL_SEED", path)
        result = seed_load()
        assert result.errors == [
            "national.yaml, Entry 1: name, description: give text or a list of values, not a "
            "nested list or mapping"
        ]


class TestSeedData:
    def test_loading_twice_keeps_curators_edits(self, icbs):
        first = seed_load(examples=True)
        assert first.ok and first.created == 19
        Service.objects.filter(name="Samaritans").update(phone_notes="Edited by an admin")
        again = seed_load(examples=True)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 19)
        assert Service.objects.get(name="Samaritans").phone_notes == "Edited by an admin"

    def test_update_overwrites(self, seeded):
        Service.objects.filter(name="Samaritans").update(phone_notes="Edited by an admin")
        result = seed_load(examples=True, update_existing=True)
        assert result.updated == 1
        assert Service.objects.get(name="Samaritans").phone_notes == ""

    def test_national_entries_are_marked_for_checking_and_not_claimed_as_checked(self, icbs):
        seed_load()
        national = Service.objects.all()
        assert national.count() == 13
        for service in national:
            assert service.is_national
            assert service.verification_note.startswith("Check before go-live")
            assert service.last_verified_on is None
            assert not service.is_example

    def test_examples_are_clearly_not_real(self, icbs):
        entries = yaml.safe_load(EXAMPLES_SEED.read_text(encoding="utf-8"))
        for entry in entries:
            assert entry["name"].startswith("Example "), entry["name"]
            assert "not a real service" in entry["description"]
            assert "(demo, not real)" in entry["organisation_name"]
            phone = entry.get("phone", "")
            assert not phone or re.match(r"^(0113|0151) 496 0\d{3}$", phone), phone
            for key in ("email", "website", "organisation_website"):
                assert not entry.get(key) or "example.org" in entry[key]
            assert entry["area"] in ("QWO", "QYG")

    def test_national_contacts_match_the_facts(self, icbs):
        entries = {e["name"]: e for e in yaml.safe_load(NATIONAL_SEED.read_text("utf-8"))}
        assert entries["National Stalking Helpline"]["phone"] == "0808 802 0300"
        assert entries["Paladin National Stalking Advocacy Service"]["phone"] == "020 3866 4107"
        assert entries["Victim Support"]["phone"] == "0808 168 9111"
        assert entries["National Domestic Abuse Helpline"]["phone"] == "0808 2000 247"
        assert "0808 801 0327" in entries["National Domestic Abuse Helpline"]["phone_notes"]
        assert entries["Samaritans"]["phone"] == "116 123"
        assert entries["NHS 111 mental health option"]["phone"] == "111"
        assert entries["Police"]["phone"] == "999"
        assert entries["Men's Advice Line"]["phone"] == "0808 801 0327"
        assert entries["Galop"]["phone"] == "0800 999 5428"
        assert entries["Childline"]["phone"] == "0800 1111"
        assert entries["NSPCC Helpline"]["phone"] == "0808 800 5000"

    def test_national_wording_agrees_with_the_domestic_abuse_act_and_facts(self, icbs):
        entries = {e["name"]: e for e in yaml.safe_load(NATIONAL_SEED.read_text("utf-8"))}
        marac = entries["MARAC (multi-agency risk assessment conference)"]
        assert marac["service_type"] == "marac"
        assert "personally connected" in marac["eligibility"]
        assert "16 or over" in marac["eligibility"]
        assert "child protection" in marac["eligibility"]
        assert "14 or more" in marac["referral_instructions"]
        paladin = entries["Paladin National Stalking Advocacy Service"]
        assert paladin["eligibility"].startswith("High-risk cases only")
        assert "16 to 25" not in paladin["eligibility"] + paladin.get("description", "")
        assert "if it applies" in paladin["referral_instructions"]
        assert "local domestic abuse service" in paladin["referral_instructions"]
        police = entries["Police"]["phone_notes"]
        assert "55 when" in police and "mobiles only" in police
        assert "does not tell the police where" in police and "landline" in police
        helpline = entries["National Domestic Abuse Helpline"]
        assert helpline["gender"] == "women" and "women" in helpline["description"]
        assert entries["Men's Advice Line"]["gender"] == "men"
        childline = entries["Childline"]
        assert (childline["service_type"], childline["maximum_age"]) == ("young_people", 18)
        nspcc = entries["NSPCC Helpline"]
        assert (nspcc["service_type"], nspcc["minimum_age"]) == ("young_people", 18)
        assert "24 hours" not in " ".join(str(v) for v in nspcc.values())

    def test_command_loads_national_services(self, icbs):
        out = io.StringIO()
        call_command("load_referrals", stdout=out)
        assert "13 added" in out.getvalue()

    def test_command_refuses_examples_when_debug_is_off(self, icbs):
        with pytest.raises(CommandError, match="not real services"):
            call_command("load_referrals", "--examples", stdout=io.StringIO())
        assert not Service.objects.exists()

    @override_settings(DEBUG=True)
    def test_command_loads_examples_when_debugging(self, icbs):
        call_command("load_referrals", "--examples", stdout=io.StringIO())
        assert Service.objects.filter(name__startswith="Example ").count() == 6
