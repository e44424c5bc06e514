"""Phone numbers (issue 14, point 10): checked and stored in one form on every way in, shown
in the national format on every way out, and never published as a link when not a number.
"""

import csv
import importlib
import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from referrals import rules
from referrals.models import Service
from referrals.services import directory_import_text
from tests.referrals.factories import OrganisationFactory, ServiceFactory
from tests.referrals.helpers import form_data

pytestmark = pytest.mark.django_db

ADD = reverse("referrals:service_add")
DIRECTORY = reverse("referrals:directory")


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _exported_csv() -> str:
    out = io.StringIO()
    call_command("export_oruk", "--format", "csv", stdout=out)
    return out.getvalue()


class TestTheForm:
    def test_the_pen_test_number_is_refused_beside_the_field(self, icb_admin_client):
        response = icb_admin_client.post(ADD, form_data(phone="12345"))
        html = response.content.decode()
        assert response.status_code == 200
        assert html.count(rules.PHONE_ERROR) == 2  # in the summary and beside the field
        assert 'href="#id_phone"' in html
        assert "tel:12345" not in html
        assert not Service.objects.exists()

    @pytest.mark.parametrize(
        "typed,stored,shown",
        [
            ("0808 2000 247", "+448082000247", "0808 200 0247"),
            ("+44 (0)113 496-0500", "+441134960500", "0113 496 0500"),
            ("116 123", "116123", "116 123"),
            ("999", "999", "999"),
        ],
    )
    def test_a_number_is_stored_in_one_form_and_shown_formatted(
        self, icb_admin_client, clinician_client, typed, stored, shown
    ):
        response = icb_admin_client.post(ADD, form_data(phone=typed))
        service = Service.objects.get()
        assert response.status_code == 302
        assert service.phone == stored
        page = icb_admin_client.get(service.get_absolute_url()).content.decode()
        assert f'<dd class="nhsuk-summary-list__value">{shown}</dd>' in page
        card = clinician_client.get(DIRECTORY).content.decode()
        assert f'<a href="tel:{stored}">{shown}</a>' in card
        edit = icb_admin_client.get(reverse("referrals:service_edit", args=[service.pk]))
        assert f'value="{shown}"' in edit.content.decode()


class TestEveryWayOut:
    @pytest.fixture
    def samaritans(self, icbs):
        return ServiceFactory(name="Samaritans", is_national=True, icbs=[], phone="116123")

    def test_the_api_gives_the_national_format(self, anonymous_client, samaritans):
        body = anonymous_client.get(f"/api/oruk/services/{samaritans.pk}").json()
        assert body["contacts"][0]["phones"][0]["number"] == "116 123"

    def test_the_json_and_csv_exports_give_the_national_format(self, samaritans):
        out = io.StringIO()
        call_command("export_oruk", stdout=out)
        assert json.loads(out.getvalue())[0]["contacts"][0]["phones"][0]["number"] == "116 123"
        assert _csv_rows(_exported_csv())[0]["phone"] == "116 123"

    def test_the_change_history_gives_the_national_format(self, icb_admin_client):
        icb_admin_client.post(ADD, form_data(phone="08082000247"))
        change = Service.objects.get().changes.get()
        assert {"field": "Phone", "before": "", "after": "0808 200 0247"} in change.changes


class TestAnOldUncheckedNumber:
    @pytest.fixture
    def old(self, icbs):
        return ServiceFactory(name="Old Entry", phone="12345")  # saved before numbers were checked

    def test_is_shown_as_typed_but_never_as_a_link(self, clinician_client, old):
        html = clinician_client.get(DIRECTORY).content.decode()
        assert "12345" in html
        assert "tel:12345" not in html
        assert old.phone_href == ""

    def test_must_be_corrected_when_the_entry_is_next_edited(self, icb_admin_client, old):
        url = reverse("referrals:service_edit", args=[old.pk])
        response = icb_admin_client.post(url, form_data(name=old.name, phone=old.phone))
        assert rules.PHONE_ERROR in response.content.decode()
        old.refresh_from_db()
        assert old.phone == "12345"


class TestImports:
    def test_a_csv_row_with_a_bad_number_is_reported_by_line(self, seeded):
        rows = _csv_rows(_exported_csv())
        rows[1]["phone"] = "12345"
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        result = directory_import_text(text=out.getvalue(), fmt="csv", source="test")
        assert result.errors == [f"Line 3: phone '12345' is not accepted: {rules.PHONE_ERROR}"]

    def test_an_oruk_record_with_a_bad_number_is_reported_by_record(self, seeded):
        out = io.StringIO()
        call_command("export_oruk", stdout=out)
        document = json.loads(out.getvalue())
        samaritans = next(s for s in document if s["name"] == "Samaritans")
        samaritans["contacts"][0]["phones"][0]["number"] = "0906 123 4567"
        result = directory_import_text(text=json.dumps(document), fmt="json", source="test")
        number = document.index(samaritans) + 1
        assert result.errors == [
            f"Record {number} ('Samaritans'): phone '0906 123 4567' is not accepted: "
            f"{rules.PHONE_COSTS_MORE_ERROR}"
        ]
        assert Service.objects.get(name="Samaritans").phone == "116123"

    def test_imported_numbers_are_stored_in_one_form(self, seeded):
        rows = _csv_rows(_exported_csv())
        rows[0]["phone"] = "+44 (0) 808 802 0300"
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        result = directory_import_text(text=out.getvalue(), fmt="csv", source="test")
        assert result.ok, result.errors
        assert Service.objects.get(pk=rows[0]["id"]).phone == "+448088020300"

    def test_the_seed_data_is_stored_in_one_form(self, seeded):
        phones = dict(Service.objects.values_list("name", "phone"))
        assert phones["National Domestic Abuse Helpline"] == "+448082000247"
        assert phones["Samaritans"] == "116123"
        assert phones["Police"] == "999"
        assert phones["Childline"] == "+448001111"
        assert phones["Example West Yorkshire Stalking Advocacy Service (ISAC)"] == "+441134960000"
        for phone in phones.values():
            assert not phone or rules.phone_number(phone) == phone

    def test_the_model_refuses_a_bad_number_whoever_saves_it(self, icbs):
        from django.core.exceptions import ValidationError

        service = ServiceFactory.build(organisation=OrganisationFactory(), phone="12345")
        with pytest.raises(ValidationError, match="Enter a UK phone number"):
            service.full_clean()
        service.phone = "0808 802 0300"
        service.full_clean()
        assert service.phone == "+448088020300"


class TestMigration:
    migration = importlib.import_module("referrals.migrations.0005_canonical_phone_numbers")

    def test_stores_existing_numbers_in_one_form_and_leaves_what_it_cannot_read(self, icbs):
        typed = {
            "Helpline": "0808 802 0300",
            "Samaritans": "116 123",
            "Police": "999",
            "Done already": "+442038664107",
            "Old typo": "12345",
            "Premium": "0906 123 4567",
            "No phone": "",
        }
        services = {
            name: ServiceFactory(name=name, phone=phone, email="a@example.org")
            for name, phone in typed.items()
        }
        before = {s.pk: s.updated_at for s in services.values()}

        self.migration.canonicalise(apps, None)
        stored = dict(Service.objects.values_list("name", "phone"))
        assert stored == {
            "Helpline": "+448088020300",
            "Samaritans": "116123",
            "Police": "999",
            "Done already": "+442038664107",
            "Old typo": "12345",
            "Premium": "0906 123 4567",
            "No phone": "",
        }
        assert dict(Service.objects.values_list("pk", "updated_at")) == before

        self.migration.as_people_read_them(apps, None)
        stored = dict(Service.objects.values_list("name", "phone"))
        assert stored["Helpline"] == "0808 802 0300"
        assert stored["Samaritans"] == "116 123"
        assert stored["Old typo"] == "12345"
