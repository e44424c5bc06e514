"""One field specification (issue 18): the model, the form and every import take the same
limits, so an imported entry can always be edited and checked again."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from referrals import fields, oruk, records
from referrals.fields import LOCATION, ORGANISATION, SERVICE
from referrals.forms import ServiceForm
from referrals.models import ChangeAction, Location, Organisation, Service, ServiceChange
from tests.referrals.factories import LocationFactory, ServiceFactory
from tests.referrals.helpers import form_data

pytestmark = pytest.mark.django_db

LIMITED = [spec for spec in fields.FIELDS if spec.max_length]
ASKED = [spec for spec in LIMITED if spec.label]
TODAY = datetime.date(2026, 11, 25)


def _text_of_length(spec: fields.Field, length: int) -> str:
    """Return a value of the field's kind, `length` characters long as stored."""
    if spec.kind == fields.EMAIL:
        return "a" * (length - 12) + "@example.org"
    if spec.kind == fields.URL:
        return "https://example.org/" + "a" * (length - 20)
    if spec.kind == fields.POSTCODE:
        return "A" * (length - 4) + " 1AA"
    return ("Line of text. " * length)[: length - 1] + "."


def _flat(**values) -> dict[str, str]:
    flat = {
        "id": "7e1d1b38-8bd1-4f1c-9a4b-5f2d3b1f0a11",
        "name": "Calder Valley Stalking Advocacy",
        "description": "Advocacy for people being stalked.",
        "service_type": "stalking_advocacy",
        "organisation_id": "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c55",
        "organisation_name": "Calder Support",
        "referral_route": "both",
        "phone": "0113 496 0500",
        "area": "QWO",
        "last_modified": "2026-01-05T10:00:00.000Z",
    }
    flat.update(values)
    return flat


class TestEveryLimitIsTheSpecs:
    def test_the_form(self, icb_admin, site_admin, wy_service):
        form = ServiceForm(user=icb_admin, icbs=[], service=wy_service)
        for spec in fields.ON_FORM:
            field = form.fields[spec.form_name]
            assert (field.label, field.required) == (spec.label, spec.required), spec.name
            assert getattr(field, "max_length", None) == spec.max_length, spec.name
            if spec.max_length:
                assert field.widget.attrs["maxlength"] == str(spec.max_length), spec.name
        # The form asks for nothing the specification does not cover, but where to list it.
        asked = {spec.form_name for spec in fields.ON_FORM}
        assert set(form.fields) - asked == {"checked"}
        site_admin_form = ServiceForm(user=site_admin, icbs=[])
        assert set(site_admin_form.fields) - asked == {"area", "area_icbs", "submission"}

    @pytest.mark.parametrize("spec", ASKED, ids=lambda spec: spec.name)
    def test_the_form_takes_the_limit_and_no_more(self, icb_admin, wy_service, spec):
        for length, too_long in ((spec.max_length, False), (spec.max_length + 1, True)):
            data = form_data(**{spec.form_name: _text_of_length(spec, length)})
            form = ServiceForm(data, user=icb_admin, icbs=[], service=wy_service)
            form.is_valid()
            codes = [e.code for e in form.errors.as_data().get(spec.form_name, [])]
            assert ("max_length" in codes) == too_long, (spec.name, length, codes)

    @pytest.mark.parametrize("spec", LIMITED, ids=lambda spec: spec.name)
    def test_the_import_takes_the_limit_and_no_more(self, icbs, spec):
        message = f"{spec.name} is longer than {spec.max_length} characters"
        for length, too_long in ((spec.max_length, False), (spec.max_length + 1, True)):
            flat = _flat(**{spec.name: _text_of_length(spec, length)})
            _, problems = records.check_flat(flat, icb_codes={"QWO"}, today=TODAY)
            assert (message in problems) == too_long, (spec.name, length, problems)

    def test_the_model(self):
        model_for = {SERVICE: Service, ORGANISATION: Organisation, LOCATION: Location}
        for spec in LIMITED:
            column = model_for[spec.owner]._meta.get_field(spec.attr)
            if isinstance(column, models.TextField):
                assert column.max_length is None, spec.name  # no column size to disagree
            else:
                assert column.max_length == spec.max_length, spec.name

    def test_the_csv_columns_keep_their_order(self):
        header = records.rows_to_csv([]).strip()
        assert header == ",".join(fields.COLUMNS)
        assert header.startswith("id,name,description,service_type,organisation_id,")
        assert header.endswith(
            ",last_verified_on,verification_note,status,retired_at,last_modified"
        )

    def test_each_oruk_path_holds_the_fields_value(self, icb_admin, icbs):
        service = ServiceFactory(
            minimum_age=16,
            maximum_age=25,
            eligibility="Adults",
            referral_instructions="Use the form",
            phone_notes="Press 1",
            email="calder@example.org",
            website="https://example.org",
            opening_hours="Weekdays",
            verification_note="Check the hours",
            retired_at=timezone.now(),
            verified_by=icb_admin,
            organisation__description="Support",
            organisation__website="https://example.org/org",
            organisation__email="org@example.org",
        )
        LocationFactory(service=service)
        service = Service.objects.get(pk=service.pk)
        document = oruk.service_full(service)
        path = re.compile(r"[a-z_0-9]+(\[0\])?(\.[a-z_0-9]+(\[0\])?)*")
        paths = [spec for spec in fields.FIELDS if path.fullmatch(spec.oruk)]
        # The rest are notes: taxonomy terms, and who checked (never published).
        notes = {spec.name for spec in fields.FIELDS} - {spec.name for spec in paths}
        assert notes == {"service_type", "gender", "referral_route", "area", "verified_by"}
        for spec in paths:
            value = document
            for part in spec.oruk.split("."):
                key, _, index = part.partition("[")
                value = value[key][0] if index else value[key]
            expected = records.cell(service, spec)
            if spec.kind == fields.AGE:
                expected = int(expected)
            assert value == expected, spec.name


def _long_description() -> str:
    """Return a 5,000-character description in paragraphs, the most an import takes."""
    paragraph = ("Advocacy for people being stalked, by phone and in person. " * 20)[:999]
    text = "\n".join([paragraph] * 5) + "."
    assert len(text) == fields.limit("description") == 5000
    return text


def _import_file(tmp_path, fmt: str, description: str):
    service_id = "0d9e6b8e-0f8c-4b8a-8a57-2d9d7f1b1c22"
    if fmt == "csv":
        row = _flat(id=service_id, description=description, last_verified_on="2025-01-06")
        text = records.rows_to_csv([row])
    else:
        terms = [
            oruk.Term(oruk.SERVICE_TYPES, "stalking_advocacy", ""),
            oruk.Term(oruk.REFERRAL_ROUTES, "both", ""),
            oruk.Term(oruk.AREAS, "QWO", ""),
        ]
        text = json.dumps(
            [
                {
                    "id": service_id,
                    "name": "Calder Valley Stalking Advocacy",
                    "description": description,
                    "url": "https://example.org/calder",
                    "status": "active",
                    "assured_date": "2025-01-06",
                    "organization": {
                        "id": "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c55",
                        "name": "Calder Support",
                        "description": "",
                    },
                    "attributes": [{"taxonomy_term_id": term.id} for term in terms],
                }
            ]
        )
    path = tmp_path / f"directory.{fmt}"
    path.write_text(text, encoding="utf-8")
    return path, service_id


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_imported_entry_at_the_limit_can_be_edited_and_checked_again(
    tmp_path, icbs, icb_admin, icb_admin_client, fmt
):
    description = _long_description()
    path, service_id = _import_file(tmp_path, fmt, description)
    call_command("import_oruk", str(path))
    service = Service.objects.get(pk=service_id)
    assert service.description == description

    edit_url = reverse("referrals:service_edit", args=[service.pk])
    assert 'maxlength="5000"' in icb_admin_client.get(edit_url).content.decode()
    data = {k: v for k, v in ServiceForm.initial_for(service).items() if k != "area_icbs"}
    data.pop("area")
    # As a browser sends it: the textarea's line breaks as CRLF, one character more each.
    data["description"] = description.replace("\n", "\r\n")
    data["opening_hours"] = "Weekdays, 9am to 5pm"
    response = icb_admin_client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()
    service.refresh_from_db()
    assert service.description == description
    assert service.opening_hours == "Weekdays, 9am to 5pm"
    assert service.last_verified_on == datetime.date(2025, 1, 6)

    response = icb_admin_client.post(reverse("referrals:service_verify", args=[service.pk]))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.last_verified_on == timezone.localdate()
    assert service.verified_by == icb_admin
    actions = list(ServiceChange.objects.filter(service=service).values_list("action", flat=True))
    assert actions == [ChangeAction.VERIFIED, ChangeAction.UPDATED, ChangeAction.IMPORTED]


def test_ticking_checked_saves_an_entry_at_the_limit(icb_admin, icb_admin_client, wy_service):
    wy_service.description = _long_description()
    wy_service.last_verified_on = datetime.date(2025, 1, 6)
    wy_service.save()
    data = form_data(name=wy_service.name, description=wy_service.description.replace("\n", "\r\n"))
    response = icb_admin_client.post(
        reverse("referrals:service_edit", args=[wy_service.pk]), {**data, "checked": "on"}
    )
    assert response.status_code == 302
    wy_service.refresh_from_db()
    assert wy_service.last_verified_on == timezone.localdate()


class TestANewPlainFieldNeedsOnlyItsEntry:
    """A new one-line or long text field is its entry in `fields.FIELDS` and a migration: the
    model gives it a column and the form a field in its section (issue 18)."""

    LANGUAGES = fields.Field(
        "languages",
        max_length=120,
        label="Languages spoken (optional)",
        hint="For example: Urdu and Polish",
        section="Contact details",
        stored="languages",
        history="Languages spoken",
        oruk="languages_spoken",
    )
    NOTES = fields.Field(
        "access_notes", fields.LONG_TEXT, max_length=900, stored="location.access_notes"
    )

    def _only(self, monkeypatch, by_owner):
        monkeypatch.setattr(fields, "plain_on", lambda owner: by_owner.get(owner, ()))
        monkeypatch.setitem(fields.BY_NAME, "languages", self.LANGUAGES)
        monkeypatch.setitem(fields.BY_NAME, "access_notes", self.NOTES)

    def test_the_model_gets_a_column_of_the_specs_size(self, monkeypatch):
        from referrals.models import add_plain_columns

        self._only(monkeypatch, {SERVICE: (self.LANGUAGES,), LOCATION: (self.NOTES,)})
        probe = type(
            "PlainColumnsProbe",
            (models.Model,),
            {
                "__module__": "referrals.models",
                "name": models.CharField(max_length=10),
                "Meta": type("Meta", (), {"app_label": "referrals", "managed": False}),
            },
        )
        add_plain_columns(probe, SERVICE)
        add_plain_columns(probe, LOCATION)
        added = probe._meta.get_field("languages")
        assert isinstance(added, models.CharField) and added.max_length == 120 and added.blank
        assert isinstance(probe._meta.get_field("access_notes"), models.TextField)
        # A column the model writes out itself is left alone.
        self._only(monkeypatch, {SERVICE: (fields.BY_NAME["name"],)})
        add_plain_columns(probe, SERVICE)
        assert probe._meta.get_field("name").max_length == 10

    def test_the_form_asks_for_it_in_its_section_with_the_specs_limit(self, monkeypatch, icb_admin):
        from referrals import forms as service_forms

        self._only(monkeypatch, {SERVICE: (self.LANGUAGES, fields.BY_NAME["name"])})

        class Form(ServiceForm):
            pass

        Form.base_fields = dict(ServiceForm.base_fields)
        service_forms._add_plain_fields(Form)
        assert Form.added == (self.LANGUAGES,)  # "name" is on the form already
        form = Form(data=form_data(languages="x" * 121), user=icb_admin, icbs=[])
        assert form.errors["languages"] == [
            "Languages spoken (optional) must be 120 characters or fewer"
        ]
        assert form.fields["languages"].help_text == "For example: Urdu and Polish"
        contact = next(
            item
            for item in form.helper.layout.fields
            if getattr(item, "legend", "") == "Contact details"
        )
        assert "languages" in contact.fields

    def test_today_every_plain_field_is_a_column_and_on_the_form(self):
        for owner, model in ((SERVICE, Service), (LOCATION, Location)):
            for spec in fields.plain_on(owner):
                column = model._meta.get_field(spec.attr)
                if spec.kind == fields.TEXT:
                    assert column.max_length == spec.max_length, spec.name
                if spec.label:
                    assert ServiceForm.base_fields[spec.form_name].max_length == spec.max_length
