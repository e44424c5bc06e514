"""A service's own page in the directory: what clinicians see, and what they never see."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ICB
from referrals.models import Gender, ReferralRoute, Service, ServiceType
from referrals.selectors import current_icbs
from tests.referrals.factories import LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def url(service_or_pk) -> str:
    pk = service_or_pk.pk if isinstance(service_or_pk, Service) else service_or_pk
    return reverse("referrals:service_page", args=[pk])


@pytest.fixture
def full_service(icbs, site_admin):
    service = ServiceFactory(
        name="Calder Stalking Advocacy",
        organisation__name="Calder Support",
        description="Advocacy and safety planning for people being stalked.",
        service_type=ServiceType.STALKING_ADVOCACY,
        minimum_age=16,
        maximum_age=25,
        gender=Gender.WOMEN,
        eligibility="Young women who live in Calderdale.",
        referral_route=ReferralRoute.PROFESSIONAL,
        referral_instructions="Send the referral form with a completed DASH.",
        phone="+448088020300",
        phone_notes="London service: press 2.",
        email="calder@example.org",
        website="https://example.org/calder",
        opening_hours="Monday to Friday, 9am to 5pm",
        last_verified_on=datetime.date(2026, 11, 3),
        verified_by=site_admin,
        verification_note="Check before go-live: the referral form",
        icbs=["QYG", "QWO"],
    )
    LocationFactory(service=service, name="Hope House", address="1 High Street", town="Halifax")
    return service


class TestContent:
    def test_shows_what_who_how_contact_area_and_when_checked(self, clinician_client, full_service):
        response = clinician_client.get(url(full_service))
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Calder Stalking Advocacy</h1>" in html
        assert "Calder Support" in html
        assert "Specialist stalking advocacy (ISAC)" in html
        assert "Advocacy and safety planning for people being stalked." in html
        # Who it is for
        assert "16 to 25" in html
        assert "Women only" in html
        assert "Young women who live in Calderdale." in html
        # How to refer
        assert '<h2 id="how-to-refer">How to refer</h2>' in html
        assert "Professional referral only" in html
        assert "Send the referral form with a completed DASH." in html
        # Contact details
        assert '<a href="tel:+448088020300">0808 802 0300</a>' in html
        assert "London service: press 2." in html
        assert '<a href="mailto:calder@example.org">calder@example.org</a>' in html
        assert 'href="https://example.org/calder"' in html
        assert "Monday to Friday, 9am to 5pm" in html
        assert "Hope House, 1 High Street, Halifax, LS1 4AP" in html
        # Areas, in the order people expect
        cheshire, west = html.index("Cheshire and Merseyside ICB"), html.index("West Yorkshire ICB")
        assert cheshire < west
        assert "Last checked on 3 November 2026" in html

    def test_never_shows_curators_notes_or_who_checked(self, clinician_client, full_service):
        html = clinician_client.get(url(full_service)).content.decode()
        assert "Check before go-live" not in html
        assert "Still to check" not in html
        assert "Sue Admin" not in html  # verified_by
        assert "Checked by" not in html
        assert reverse("referrals:service", args=[full_service.pk]) not in html

    def test_curators_do_not_see_their_notes_here_either(self, icb_admin_client, full_service):
        html = icb_admin_client.get(url(full_service)).content.decode()
        assert "Check before go-live" not in html
        assert "Sue Admin" not in html  # who checked it

    def test_national_service_says_so(self, clinician_client, national_service):
        html = clinician_client.get(url(national_service)).content.decode()
        assert "National: available across England." in html

    def test_unchecked_and_stale_entries_are_flagged(self, clinician_client, icbs):
        never = ServiceFactory(last_verified_on=None)
        stale = ServiceFactory(last_verified_on=timezone.localdate() - datetime.timedelta(days=400))
        html = clinician_client.get(url(never)).content.decode()
        assert "Details not checked yet" in html
        assert "These details have not been checked yet" in html
        html = clinician_client.get(url(stale)).content.decode()
        assert "Not checked for over 12 months" in html

    def test_leaves_out_what_the_service_does_not_have(self, clinician_client, icbs):
        service = ServiceFactory(phone="", referral_instructions="Ask the police to refer.")
        html = clinician_client.get(url(service)).content.decode()
        assert "Ask the police to refer." in html
        assert "Contact details" not in html
        assert "tel:" not in html

    def test_markup_in_the_details_is_escaped(self, clinician_client, icbs):
        service = ServiceFactory(description="<script>alert(1)</script>")
        html = clinician_client.get(url(service)).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_directory_card_links_to_the_page(self, clinician_client, wy_service):
        html = clinician_client.get(reverse("referrals:directory")).content.decode()
        link = f'<a class="nhsuk-card__link" href="/referrals/{wy_service.pk}/">'
        assert f"{link}Leeds Stalking Advocacy</a>" in html


class TestNotFound:
    def test_retired_service_is_404_for_clinicians_and_curators(
        self, role_clients, wy_service, icb_admin_client
    ):
        wy_service.retired_at = timezone.now()
        wy_service.save()
        for persona in ("clinician", "icb_admin", "site_admin"):
            response = role_clients(persona).get(url(wy_service))
            assert response.status_code == 404, persona
            assert "Page not found" in response.content.decode()
        # Curators still have it in their own pages.
        manage = reverse("referrals:service", args=[wy_service.pk])
        assert icb_admin_client.get(manage).status_code == 200

    def test_unknown_uuid_is_404(self, clinician_client, icbs):
        response = clinician_client.get(url(uuid.uuid4()))
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    @pytest.mark.parametrize(
        "tail",
        [
            "not-a-uuid/",
            "12345/",
            "00000000-0000-0000-0000-00000000000/",  # one digit short
            "00000000-0000-0000-0000-000000000000%00/",
            "%27%3B%20DROP%20TABLE%20referrals_service%3B--/",
            "35E732B9-13C9-4642-9803-4C57A13A8E67/",  # the converter takes lower case only
        ],
    )
    def test_bad_ids_are_404_never_500(self, clinician_client, icbs, tail):
        response = clinician_client.get(f"/referrals/{tail}")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


class TestWhoMaySee:
    """The same people as the directory: anyone signed in, for any current service."""

    @pytest.mark.parametrize(
        "persona",
        ["clinician", "other_practice_clinician", "icb_admin", "other_icb_admin", "site_admin"],
    )
    @pytest.mark.parametrize("target", ["wy_service", "cm_service", "national_service"])
    def test_signed_in_users_see_any_current_service(self, request, role_clients, persona, target):
        service = request.getfixturevalue(target)
        response = role_clients(persona).get(url(service))
        assert response.status_code == 200
        assert service.name in response.content.decode()

    def test_clinician_in_another_icb_sees_a_west_yorkshire_service(
        self, request, wy_service, other_icb_practice
    ):
        from django.test import Client

        from tests.factories import UserFactory

        client = Client()
        client.force_login(UserFactory(practice=other_icb_practice))
        assert client.get(url(wy_service)).status_code == 200

    def test_anonymous_is_sent_to_sign_in_as_for_the_directory(self, anonymous_client, wy_service):
        for address in (url(wy_service), reverse("referrals:directory")):
            response = anonymous_client.get(address)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))


class TestQueryCount:
    def test_pinned_count_for_a_service_in_many_icbs(
        self, clinician_client, icbs, django_assert_num_queries
    ):
        service = ServiceFactory(icbs=["QWO", "QYG", "QHM", "QOQ"])
        LocationFactory(service=service)
        # Session, user, the request's savepoint pair (ATOMIC_REQUESTS inside the test's
        # transaction), the service with its organisation and location, its ICB areas.
        with django_assert_num_queries(6):
            response = clinician_client.get(url(service))
        assert response.status_code == 200

    def test_count_does_not_grow_with_areas(
        self, clinician_client, icbs, django_assert_num_queries
    ):
        codes = list(ICB.objects.values_list("ods_code", flat=True)[:10])
        one, many = ServiceFactory(icbs=codes[:1]), ServiceFactory(icbs=codes)
        national = ServiceFactory(is_national=True, icbs=[])
        for service in (one, many, national):
            with django_assert_num_queries(6):
                assert clinician_client.get(url(service)).status_code == 200


class TestIcbOrder:
    """Issue 17: ICBs listed as people read them, with case and the "NHS " prefix ignored."""

    def _add(self, code, name):
        return ICB.objects.create(
            ods_code=code, name=name, region="Test", valid_from=datetime.date(2020, 1, 1)
        )

    def test_nhs_prefix_and_case_do_not_decide_the_order(self, icbs):
        self._add("ZZ1", "Bedford test ICB")  # no "NHS " prefix
        self._add("ZZ2", "nhs birmingham test ICB")  # lower-case prefix and name
        names = [icb.name for icb in current_icbs()]
        assert names[names.index("Bedford test ICB") - 1].startswith("NHS Bath and North East")
        assert names[names.index("Bedford test ICB") + 1].startswith("NHS Birmingham and Solihull")
        assert names[names.index("nhs birmingham test ICB") + 1].startswith("NHS Black Country")
        stripped = [name.casefold().removeprefix("nhs ") for name in names]
        assert stripped == sorted(stripped)

    def test_directory_filter_lists_them_in_that_order(self, clinician_client, icbs):
        self._add("ZZ1", "Bedford test ICB")
        html = clinician_client.get(reverse("referrals:directory")).content.decode()
        assert html.index(">Bath and North East Somerset") < html.index(">Bedford test ICB ICB<")
        assert html.index(">Bedford test ICB ICB<") < html.index(">Birmingham and Solihull ICB<")

    def test_service_page_lists_its_areas_in_that_order(self, clinician_client, icbs):
        self._add("ZZ1", "nhs aardvark test ICB")
        service = ServiceFactory(icbs=["QWO", "ZZ1", "QYG"])
        html = clinician_client.get(url(service)).content.decode()
        positions = [
            html.index(name)
            for name in ("aardvark test ICB", "Cheshire and Merseyside ICB", "West Yorkshire ICB")
        ]
        assert positions == sorted(positions)
