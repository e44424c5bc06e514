"""The directory page and `services_for_icb`, the read the screening feature uses."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.models import ReferralRoute, ServiceType
from referrals.selectors import services_for_icb
from tests.factories import icb
from tests.referrals.factories import LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

URL = reverse("referrals:directory")


def _positions(html, *names):
    return [html.index(name) for name in names]


class TestDirectoryPage:
    def test_opens_on_the_clinicians_icb_with_local_then_national(self, clinician_client, seeded):
        response = clinician_client.get(URL)
        html = response.content.decode()
        assert response.status_code == 200
        assert '<option value="QWO" selected>' in html
        assert "Services in West Yorkshire ICB" in html
        local, national, helpline = _positions(
            html,
            "Example West Yorkshire Stalking Advocacy Service (ISAC)",
            "National services",
            "National Stalking Helpline",
        )
        assert local < national < helpline
        assert "Example Cheshire and Merseyside" not in html

    def test_other_icbs_directory_can_be_chosen(self, clinician_client, seeded):
        html = clinician_client.get(URL, {"icb": "QYG"}).content.decode()
        assert "Services in Cheshire and Merseyside ICB" in html
        assert "Example Cheshire and Merseyside Stalking Advocacy Service" in html
        assert "Example West Yorkshire" not in html
        assert "National Stalking Helpline" in html

    def test_filters_by_type(self, clinician_client, seeded):
        html = clinician_client.get(URL, {"icb": "QWO", "type": "mental_health"}).content.decode()
        assert "Example West Yorkshire Talking Therapies" in html
        assert "Samaritans" in html
        assert "Example West Yorkshire Stalking Advocacy" not in html
        assert "National Stalking Helpline" not in html

    def test_filters_to_marac_and_to_young_people(self, clinician_client, seeded):
        html = clinician_client.get(URL, {"icb": "QWO", "type": "marac"}).content.decode()
        assert '<option value="marac" selected>MARAC (high-risk domestic abuse)</option>' in html
        assert "MARAC (multi-agency risk assessment conference)" in html
        assert "Paladin National Stalking Advocacy Service" not in html
        html = clinician_client.get(URL, {"icb": "QWO", "type": "young_people"}).content.decode()
        assert '<option value="young_people" selected>Children and young people</option>' in html
        assert "Childline" in html and "NSPCC Helpline" in html
        assert "MARAC (multi-agency risk assessment conference)" not in html

    def test_filters_to_self_referral(self, clinician_client, seeded):
        html = clinician_client.get(URL, {"icb": "QWO", "self_referral": "on"}).content.decode()
        assert "Samaritans" in html
        assert "Example West Yorkshire Stalking Advocacy" in html  # self or professional
        assert "Paladin National Stalking Advocacy Service" not in html  # professional only
        # The type filter lists MARAC as a choice; the MARAC entry itself is professional only.
        assert "MARAC (multi-agency risk assessment conference)" not in html
        assert "Childline" in html

    def test_no_local_services_says_so(self, clinician_client, seeded):
        html = clinician_client.get(URL, {"icb": "QHM"}).content.decode()
        assert "No local services are listed for North East and North Cumbria ICB yet" in html
        assert "National Stalking Helpline" in html

    def test_card_shows_how_to_refer_and_contact(self, clinician_client, seeded):
        html = clinician_client.get(URL).content.decode()
        assert '<a href="tel:+448088020300">0808 802 0300</a>' in html
        assert '<a href="tel:116123">116 123</a>' in html  # Samaritans
        assert '<a href="tel:999">999</a>' in html
        assert "London service: press 2." in html
        assert "Professional referral only" in html
        assert "Complete Paladin&#x27;s own referral form" in html
        assert "1 Example Street" in html  # the example ISAC's location
        assert "women only" in html

    def test_examples_are_labelled_as_not_real(self, clinician_client, seeded):
        html = clinician_client.get(URL).content.decode()
        assert html.count("Example, not a real service") == 4  # the four QWO examples

    def test_stale_and_unchecked_entries_are_flagged(self, clinician_client, seeded):
        html = clinician_client.get(URL).content.decode()
        assert "Not checked for over 12 months (Checked 2 June 2025)" in html
        assert "Details not checked yet" in html  # the national seed, until someone checks
        # The curators' own note on what is left to check is theirs, not the clinicians'.
        assert "Check before go-live" not in html

    def test_retired_services_are_not_listed(self, clinician_client, wy_service):
        wy_service.retired_at = timezone.now()
        wy_service.save()
        assert wy_service.name not in clinician_client.get(URL).content.decode()

    @pytest.mark.parametrize(
        "params,message",
        [
            ({"icb": "ZZZ"}, "Select an ICB from the list"),
            ({"icb": "QMM"}, "Select an ICB from the list"),  # closed in April 2026
            ({"type": "astrology"}, "Select a type of service from the list"),
            ({"icb": "QWO\x00"}, "Select an ICB from the list"),
            ({"icb": "'; DROP TABLE referrals_service; --"}, "Select an ICB from the list"),
        ],
    )
    def test_bad_choices_show_the_error_summary_not_a_500(
        self, clinician_client, seeded, params, message
    ):
        response = clinician_client.get(URL, params)
        html = response.content.decode()
        assert response.status_code == 200
        assert "nhsuk-error-summary" in html
        assert message in html
        assert "<title>Error: " in html
        assert "nhsuk-error-message" in html  # inline, beside the field

    def test_site_admin_without_an_icb_sees_national_services_and_a_prompt(
        self, site_admin_client, seeded
    ):
        html = site_admin_client.get(URL).content.decode()
        assert "Choose an ICB to see its local services" in html
        assert "National Stalking Helpline" in html
        assert "Example West Yorkshire" not in html
        assert "Manage the directory" in html

    def test_clinicians_see_no_curation_links(self, clinician_client, seeded):
        assert reverse("referrals:manage") not in clinician_client.get(URL).content.decode()

    def test_works_as_a_plain_get_form(self, clinician_client, seeded):
        html = clinician_client.get(URL).content.decode()
        assert '<form method="get" novalidate>' in html
        assert "csrfmiddlewaretoken" not in html.split('<form method="get"')[1].split("</form>")[0]


def _add_services(count: int, *, start: int):
    for n in range(start, start + count):
        service = ServiceFactory(
            name=f"Local {n}",
            service_type=ServiceType.values[n % len(ServiceType.values)],
            icbs=["QWO", "QYG"] if n % 3 == 0 else ["QWO"],
        )
        if n % 2:
            LocationFactory(service=service)
        ServiceFactory(name=f"National {n}", is_national=True, icbs=[])
        ServiceFactory(name=f"Elsewhere {n}", icbs=["QYG"])


class TestQueryCounts:
    def count(self, client, params=None) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, params or {})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def test_directory_query_count_does_not_grow_with_services(self, clinician_client, icbs):
        _add_services(2, start=0)
        few = self.count(clinician_client)
        _add_services(40, start=100)
        many = self.count(clinician_client)
        assert "Local 139" in clinician_client.get(URL).content.decode()
        assert many == few

    def test_pinned_count(self, clinician_client, icbs, django_assert_num_queries):
        _add_services(30, start=0)
        # Session, user, the request's savepoint pair (ATOMIC_REQUESTS inside the test's
        # transaction), the clinician's practice (for their ICB), the ICB list, the services
        # with their organisations and locations.
        with django_assert_num_queries(7):
            response = clinician_client.get(URL, {"type": "", "self_referral": "on"})
        assert response.status_code == 200

    def test_pinned_count_for_an_admin_choosing_an_icb(
        self, icb_admin_client, icbs, django_assert_num_queries
    ):
        _add_services(30, start=0)
        # As above without the practice: the ICB is chosen in the address.
        with django_assert_num_queries(6):
            icb_admin_client.get(URL, {"icb": "QYG"})


class TestServicesForIcb:
    """The interface the screening feature relies on."""

    def test_local_first_then_national_each_in_type_order(self, icbs):
        helpline = ServiceFactory(
            name="A Helpline", is_national=True, icbs=[], service_type=ServiceType.HELPLINE
        )
        national_isac = ServiceFactory(name="Z National ISAC", is_national=True, icbs=[])
        local_dv = ServiceFactory(name="A Local DV", service_type=ServiceType.DOMESTIC_ABUSE)
        local_isac = ServiceFactory(name="B Local ISAC", icbs=["QWO", "QYG"])
        ServiceFactory(name="Elsewhere", icbs=["QYG"])
        ServiceFactory(name="Retired", retired_at=timezone.now())
        assert services_for_icb(icb("QWO")) == [local_isac, local_dv, national_isac, helpline]

    def test_accepts_an_ods_code_and_none(self, icbs, wy_service, national_service):
        assert services_for_icb("QWO") == [wy_service, national_service]
        assert services_for_icb(None) == [national_service]

    def test_marac_comes_after_domestic_abuse_and_young_people_before_safeguarding(self, icbs):
        kinds = [
            ServiceType.SAFEGUARDING,
            ServiceType.YOUNG_PEOPLE,
            ServiceType.MARAC,
            ServiceType.DOMESTIC_ABUSE,
        ]
        made = {kind: ServiceFactory(name="A", service_type=kind) for kind in kinds}
        assert services_for_icb("QWO") == [made[kind] for kind in reversed(kinds)]

    def test_accepts_the_types_the_screening_asks_for(self, icbs):
        marac = ServiceFactory(service_type=ServiceType.MARAC, is_national=True, icbs=[])
        young = ServiceFactory(service_type=ServiceType.YOUNG_PEOPLE, is_national=True, icbs=[])
        ServiceFactory(service_type=ServiceType.SAFEGUARDING, is_national=True, icbs=[])
        assert services_for_icb("QWO", types=["marac", "young_people"]) == [marac, young]

    def test_filters_by_types(self, icbs):
        mental = ServiceFactory(service_type=ServiceType.MENTAL_HEALTH)
        police = ServiceFactory(service_type=ServiceType.POLICE, is_national=True, icbs=[])
        ServiceFactory(service_type=ServiceType.STALKING_ADVOCACY)
        assert services_for_icb("QWO", types=["police", "mental_health"]) == [mental, police]
        assert services_for_icb("QWO", types=(t for t in ["police"])) == [police]
        assert services_for_icb("QWO", types=[]) == []

    def test_unknown_type_is_a_programming_error(self, icbs):
        with pytest.raises(ValueError, match="astrology"):
            services_for_icb("QWO", types=["astrology"])

    def test_each_service_comes_ready_for_a_card(self, icbs, django_assert_num_queries):
        for n in range(5):
            LocationFactory(service=ServiceFactory(name=f"S{n}"))
        with django_assert_num_queries(1):
            services = services_for_icb("QWO")
            for service in services:
                assert service.organisation.name
                assert service.location_or_none.town == "Leeds"
                assert service.verification.label
                assert service.accepts_self_referral
        assert all(s.referral_route == ReferralRoute.BOTH for s in services)

    def test_card_template_renders_without_queries(self, icbs, django_assert_num_queries):
        from django.template.loader import render_to_string

        LocationFactory(service=ServiceFactory(name="Card Service", gender="women"))
        (service,) = services_for_icb("QWO")
        with django_assert_num_queries(0):
            html = render_to_string(
                "referrals/includes/service_card.html", {"service": service, "heading_level": 2}
            )
        assert "<h2 " in html and "Card Service" in html and "women only" in html

    def test_stale_flag_uses_today(self, icbs):
        ServiceFactory(last_verified_on=timezone.localdate() - datetime.timedelta(days=400))
        (service,) = services_for_icb("QWO")
        assert service.verification.is_stale


@pytest.mark.django_db
def test_the_icb_list_sorts_without_regard_to_case(icbs):
    """Issue 17: a board whose name starts in lower case is not sent to the end of the list."""
    import datetime

    from accounts.models import ICB
    from referrals.selectors import current_icbs

    ICB.objects.create(
        ods_code="ZZ1",
        name="aardvark test ICB",
        region="Test",
        valid_from=datetime.date(2020, 1, 1),
    )
    names = [icb.name for icb in current_icbs()]

    assert names[0] == "aardvark test ICB"
    assert names == sorted(names, key=str.lower)
