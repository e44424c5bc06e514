"""Adding, editing, checking, retiring and reinstating services, each change recorded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import rules
from referrals.models import ChangeAction, Organisation, Service, ServiceChange
from tests.referrals.factories import ServiceFactory
from tests.referrals.helpers import form_data

pytestmark = pytest.mark.django_db

ADD = reverse("referrals:service_add")


def edit_url(service):
    return reverse("referrals:service_edit", args=[service.pk])


class TestAdd:
    def test_icb_admin_adds_a_service_to_their_icb(self, icb_admin_client, icb_admin):
        response = icb_admin_client.post(
            ADD,
            form_data(
                location_name="Hope House",
                location_address="2 Mill Lane",
                location_town="Halifax",
                location_postcode="hx1 1aa",
                gender="women",
                maximum_age="25",
            ),
        )
        service = Service.objects.get()
        assert response.status_code == 302
        assert response["Location"] == service.get_absolute_url()
        assert service.name == "Calder Valley Stalking Advocacy"
        assert service.organisation.name == "Calder Support"
        assert [i.ods_code for i in service.area_icbs.all()] == ["QWO"]
        assert not service.is_national
        assert (service.minimum_age, service.maximum_age, service.gender) == (16, 25, "women")
        assert service.location.postcode == "HX1 1AA"
        # Adding counts as checking the details.
        assert service.last_verified_on == timezone.localdate()
        assert service.verified_by == icb_admin
        change = ServiceChange.objects.get()
        assert change.action == ChangeAction.CREATED
        assert change.changed_by == icb_admin
        assert change.changed_by_name == "Wendy Admin"
        assert {"field": "Phone", "before": "", "after": "0113 496 0500"} in change.changes

    def test_text_is_stored_with_unix_line_endings(self, icb_admin_client):
        icb_admin_client.post(
            ADD, form_data(description="  Line one.\r\nLine two.\r\n", website="example.org")
        )
        service = Service.objects.get()
        assert service.description == "Line one.\nLine two."
        assert service.website == "https://example.org"

    def test_reuses_an_organisation_whatever_the_case(self, icb_admin_client):
        existing = Organisation.objects.create(name="Calder Support")
        icb_admin_client.post(ADD, form_data(organisation="CALDER SUPPORT"))
        assert Service.objects.get().organisation == existing
        assert Organisation.objects.count() == 1

    def test_site_admin_adds_a_national_service(self, site_admin_client):
        response = site_admin_client.post(ADD, form_data(area="national"))
        assert response.status_code == 302
        service = Service.objects.get()
        assert service.is_national
        assert not service.area_icbs.exists()

    def test_site_admin_adds_a_service_for_several_icbs(self, site_admin_client):
        site_admin_client.post(ADD, form_data(area="icbs", area_icbs=["QWO", "QYG"]))
        assert sorted(i.ods_code for i in Service.objects.get().area_icbs.all()) == [
            "QWO",
            "QYG",
        ]

    def test_site_admin_form_offers_only_current_icbs(self, site_admin_client):
        html = site_admin_client.get(ADD).content.decode()
        assert 'value="QWO"' in html
        assert 'value="QMM"' not in html  # closed in April 2026

    def test_icb_admin_form_has_no_area_choice(self, icb_admin_client):
        html = icb_admin_client.get(ADD).content.decode()
        assert 'name="area"' not in html
        assert "listed for NHS West Yorkshire Integrated Care Board" in html


class TestValidation:
    @pytest.mark.parametrize(
        "overrides,field,message",
        [
            ({"name": ""}, "name", "Enter service name"),
            ({"organisation": ""}, "organisation", "Enter the organisation that runs the service"),
            ({"service_type": ""}, "service_type", "Select the type of service"),
            ({"service_type": "astrology"}, "service_type", "Select a valid choice"),
            ({"description": "  "}, "description", "Enter what the service does"),
            ({"referral_route": ""}, "referral_route", "Select how people get to the service"),
            ({"minimum_age": "sixteen"}, "minimum_age", "must be a whole number"),
            ({"minimum_age": "-1"}, "minimum_age", "must be 0 or more"),
            ({"maximum_age": "999"}, "maximum_age", "must be 120 or less"),
            (
                {"minimum_age": "30", "maximum_age": "20"},
                "maximum_age",
                "Oldest age must be the same as or more than youngest age",
            ),
            ({"phone": "call us"}, "phone", rules.PHONE_ERROR),
            ({"phone": "12345"}, "phone", rules.PHONE_ERROR),  # issue 14, point 10
            ({"phone": "0906 123 4567"}, "phone", "cost callers more"),
            ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
            ({"website": "javascript:alert(1)"}, "website", "Enter a web address"),
            ({"website": "ftp://example.org/file"}, "website", "Enter a web address"),
            (
                {"phone": "", "email": "", "website": "", "referral_instructions": ""},
                "phone",
                "Enter at least one way to reach the service",
            ),
            ({"location_town": "Leeds"}, "location_address", "Enter the address line"),
            (
                {"location_address": "1 Road", "location_town": "Leeds", "location_postcode": "X"},
                "location_postcode",
                "Enter a full UK postcode",
            ),
            ({"name": "x" * 201}, "name", "must be 200 characters or fewer"),
            ({"name": "Null\x00byte"}, "name", "Null characters are not allowed"),
        ],
    )
    def test_bad_input_shows_summary_and_inline_error(
        self, icb_admin_client, overrides, field, message
    ):
        response = icb_admin_client.post(ADD, form_data(**overrides))
        html = response.content.decode()
        assert response.status_code == 200
        assert "nhsuk-error-summary" in html
        assert message in html
        assert f'id="id_{field}' in html
        assert f'href="#id_{field}' in html
        assert html.count(message) >= 2  # in the summary and beside the field
        assert not Service.objects.exists()

    def test_site_admin_must_choose_icbs_for_a_local_service(self, site_admin_client):
        response = site_admin_client.post(ADD, form_data(area="icbs"))
        assert "Select at least one ICB area" in response.content.decode()
        assert not Service.objects.exists()

    def test_national_with_icbs_is_contradictory(self, site_admin_client):
        response = site_admin_client.post(ADD, form_data(area="national", area_icbs=["QWO"]))
        assert "A national service has no ICB areas" in response.content.decode()
        assert not Service.objects.exists()

    def test_site_admin_must_say_where(self, site_admin_client):
        response = site_admin_client.post(ADD, form_data())
        assert "Select where the service is available" in response.content.decode()

    def test_site_admin_cannot_pick_a_closed_icb(self, site_admin_client):
        response = site_admin_client.post(ADD, form_data(area="icbs", area_icbs=["QMM"]))
        assert "Select ICBs from the list" in response.content.decode()
        assert not Service.objects.exists()


class TestEdit:
    def test_edit_records_who_when_and_each_change(self, icb_admin_client, icb_admin, wy_service):
        old_phone = wy_service.phone_display
        assert old_phone == "0113 496 0999"
        response = icb_admin_client.post(
            edit_url(wy_service),
            form_data(name=wy_service.name, phone="0113 496 0777", opening_hours="Mondays"),
        )
        assert response.status_code == 302
        wy_service.refresh_from_db()
        assert wy_service.phone == "+441134960777"
        change = ServiceChange.objects.get(service=wy_service)
        assert change.action == ChangeAction.UPDATED
        assert change.changed_by == icb_admin
        assert {"field": "Phone", "before": old_phone, "after": "0113 496 0777"} in change.changes
        assert {"field": "Opening hours", "before": "", "after": "Mondays"} in change.changes
        assert "Name" not in {c["field"] for c in change.changes}

        html = icb_admin_client.get(wy_service.get_absolute_url()).content.decode()
        assert "Change history" in html
        assert "Wendy Admin" in html
        assert f"was “{old_phone}”, now “0113 496 0777”" in html

    def test_saving_without_changes_records_nothing(self, icb_admin_client, wy_service):
        from referrals.forms import ServiceForm

        initial = ServiceForm.initial_for(wy_service)
        data = {k: ("" if v is None else v) for k, v in initial.items() if k != "area_icbs"}
        data.pop("area")
        before = wy_service.updated_at
        icb_admin_client.post(edit_url(wy_service), data)
        assert not ServiceChange.objects.exists()
        wy_service.refresh_from_db()
        assert wy_service.updated_at == before

    def test_ticking_checked_records_a_check(self, icb_admin_client, icb_admin, icbs):
        service = ServiceFactory(
            name="Calder Valley Stalking Advocacy",
            last_verified_on=datetime.date(2024, 1, 1),
            verified_by=None,
        )
        icb_admin_client.post(edit_url(service), form_data(name=service.name, checked="on"))
        service.refresh_from_db()
        assert service.last_verified_on == timezone.localdate()
        assert service.verified_by == icb_admin

    def test_edit_form_is_prefilled(self, icb_admin_client, wy_service):
        html = icb_admin_client.get(edit_url(wy_service)).content.decode()
        assert f'value="{wy_service.name}"' in html
        assert "I have checked these details with the service today" in html

    def test_invalid_edit_changes_nothing(self, icb_admin_client, wy_service):
        response = icb_admin_client.post(edit_url(wy_service), form_data(name=""))
        assert "nhsuk-error-summary" in response.content.decode()
        wy_service.refresh_from_db()
        assert wy_service.name == "Leeds Stalking Advocacy"
        assert not ServiceChange.objects.exists()

    def test_removing_the_location(self, site_admin_client, icbs):
        from tests.referrals.factories import LocationFactory

        location = LocationFactory()
        service = location.service
        site_admin_client.post(
            edit_url(service), form_data(name=service.name, area="icbs", area_icbs=["QWO"])
        )
        service.refresh_from_db()
        assert service.location_or_none is None
        change = ServiceChange.objects.get()
        assert {"field": "Location", "before": location.one_line, "after": ""} in change.changes

    def test_site_admin_keeps_a_closed_icb_already_listed(self, site_admin_client, icbs):
        service = ServiceFactory(icbs=["QMM"])
        html = site_admin_client.get(edit_url(service)).content.decode()
        assert 'value="QMM"' in html
        response = site_admin_client.post(
            edit_url(service), form_data(name=service.name, area="icbs", area_icbs=["QMM"])
        )
        assert response.status_code == 302


class TestCheckRetireReinstate:
    def test_mark_as_checked_today(self, icb_admin_client, icb_admin, icbs):
        service = ServiceFactory(last_verified_on=None)
        response = icb_admin_client.post(reverse("referrals:service_verify", args=[service.pk]))
        assert response.status_code == 302
        service.refresh_from_db()
        assert service.last_verified_on == timezone.localdate()
        assert service.verified_by == icb_admin
        change = ServiceChange.objects.get()
        assert change.action == ChangeAction.VERIFIED
        assert change.changes[0]["field"] == "Last checked"

    def test_checking_twice_in_a_day_records_once(self, icb_admin_client, icbs):
        service = ServiceFactory(last_verified_on=None)
        url = reverse("referrals:service_verify", args=[service.pk])
        icb_admin_client.post(url)
        service.refresh_from_db()
        modified = service.updated_at
        icb_admin_client.post(url)
        service.refresh_from_db()
        assert ServiceChange.objects.count() == 1
        assert service.updated_at == modified

    def test_retire_asks_then_retires_and_keeps_history(self, icb_admin_client, wy_service):
        url = reverse("referrals:service_retire", args=[wy_service.pk])
        assert "Retire this service?" in icb_admin_client.get(url).content.decode()
        wy_service.refresh_from_db()
        assert wy_service.retired_at is None  # asking changed nothing

        response = icb_admin_client.post(url)
        assert response.status_code == 302
        wy_service.refresh_from_db()
        assert wy_service.retired_at is not None
        change = ServiceChange.objects.get()
        assert change.action == ChangeAction.RETIRED
        assert {"field": "Status", "before": "Current", "after": "Retired"} in change.changes
        # Gone from the directory, still on the manage list.
        directory = icb_admin_client.get(reverse("referrals:directory")).content.decode()
        assert f'id="service-{wy_service.pk}"' not in directory
        assert wy_service.name in icb_admin_client.get(reverse("referrals:manage")).content.decode()

    def test_retiring_twice_changes_nothing_more(self, icb_admin_client, wy_service):
        url = reverse("referrals:service_retire", args=[wy_service.pk])
        icb_admin_client.post(url)
        icb_admin_client.post(url)
        assert ServiceChange.objects.count() == 1

    def test_reinstate(self, icb_admin_client, wy_service):
        wy_service.retired_at = timezone.now()
        wy_service.save()
        icb_admin_client.post(reverse("referrals:service_reinstate", args=[wy_service.pk]))
        wy_service.refresh_from_db()
        assert wy_service.retired_at is None
        assert ServiceChange.objects.get().action == ChangeAction.REINSTATED

    @pytest.mark.parametrize(
        "url_name", ["referrals:service_verify", "referrals:service_reinstate"]
    )
    def test_state_changes_need_post(self, icb_admin_client, wy_service, url_name):
        response = icb_admin_client.get(reverse(url_name, args=[wy_service.pk]))
        assert response.status_code == 405


class TestCoverage:
    def test_lists_icbs_without_a_current_local_stalking_service(self, site_admin_client, seeded):
        html = site_admin_client.get(reverse("referrals:coverage")).content.decode()
        assert "North East and North Cumbria ICB" in html
        # The demo ICBs have example ISACs; national services do not count.
        gaps = html.split("Entries to check")[0]
        assert "West Yorkshire ICB" not in gaps
        assert "Cheshire and Merseyside ICB" not in gaps
        assert "34 ICBs with no specialist stalking service" in html

    def test_a_retired_stalking_service_leaves_a_gap(self, site_admin_client, seeded):
        Service.objects.filter(area_icbs="QWO", service_type="stalking_advocacy").update(
            retired_at=timezone.now()
        )
        html = site_admin_client.get(reverse("referrals:coverage")).content.decode()
        assert "35 ICBs with no specialist stalking service" in html

    def test_lists_entries_due_for_checking_scoped_to_the_admin(self, icb_admin_client, seeded):
        html = icb_admin_client.get(reverse("referrals:coverage")).content.decode()
        due = html.split("Entries to check", 1)[1]
        assert "Example West Yorkshire Talking Therapies" in due  # checked June 2025
        assert "Example West Yorkshire Stalking Advocacy" not in due  # checked recently
        assert "National Stalking Helpline" not in due  # a site admin's to check
        assert "Example Cheshire and Merseyside" not in due

    def test_site_admin_sees_every_entry_due(self, site_admin_client, seeded):
        due = site_admin_client.get(reverse("referrals:coverage")).content.decode()
        due = due.split("Entries to check", 1)[1]
        assert "National Stalking Helpline" in due
        assert "Check before go-live: phone number and opening hours" in due

    def test_coverage_query_count_is_fixed(
        self, site_admin_client, seeded, django_assert_num_queries
    ):
        # Session, user, savepoint pair, the ICBs with counts, the due services, their ICBs.
        with django_assert_num_queries(7):
            site_admin_client.get(reverse("referrals:coverage"))


def test_manage_list_query_count_is_fixed(site_admin_client, seeded, django_assert_num_queries):
    for n in range(10):
        ServiceFactory(name=f"More {n}", icbs=["QWO", "QYG"])
    # Session, user, savepoint pair, the services with organisations, their ICBs.
    with django_assert_num_queries(6):
        response = site_admin_client.get(reverse("referrals:manage"))
    assert response.status_code == 200
