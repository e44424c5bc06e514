"""Who may curate which services: the rule in one place, and every door tried against it.

The rule (referrals.selectors.editable_services): site admins edit everything, national
services included; an ICB admin edits only services listed for their own ICB and no other;
clinicians and anonymous visitors edit nothing.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from referrals import selectors, services
from referrals.models import Service, ServiceChange
from tests.referrals.helpers import details, form_data

pytestmark = pytest.mark.django_db

SERVICE_PAGES = [
    ("get", "referrals:service"),
    ("get", "referrals:service_edit"),
    ("post", "referrals:service_edit"),
    ("get", "referrals:service_retire"),
    ("post", "referrals:service_retire"),
    ("post", "referrals:service_verify"),
    ("post", "referrals:service_reinstate"),
]
LIST_PAGES = [
    "referrals:manage",
    "referrals:manage_export",
    "referrals:service_add",
    "referrals:coverage",
]


def _request(client, method, url_name, service):
    url = reverse(url_name, args=[service.pk])
    if method == "get":
        return client.get(url)
    return client.post(url, form_data(name="Hijacked"))


def _unchanged(service):
    fresh = Service.objects.get(pk=service.pk)
    assert fresh.name == service.name
    assert fresh.retired_at == service.retired_at
    assert fresh.last_verified_on == service.last_verified_on
    assert not ServiceChange.objects.filter(service=service).exists()


class TestTheRule:
    def test_icb_admin_edits_only_services_wholly_in_their_icb(
        self, icb_admin, wy_service, cm_service, shared_service, national_service
    ):
        assert set(selectors.editable_services(icb_admin)) == {wy_service}

    def test_other_icb_admin_edits_only_theirs(
        self, other_icb_admin, wy_service, cm_service, shared_service, national_service
    ):
        assert set(selectors.editable_services(other_icb_admin)) == {cm_service}

    def test_site_admin_edits_everything(
        self, site_admin, wy_service, cm_service, shared_service, national_service
    ):
        assert set(selectors.editable_services(site_admin)) == {
            wy_service,
            cm_service,
            shared_service,
            national_service,
        }

    def test_clinicians_and_anonymous_edit_nothing(
        self, clinician, wy_service, national_service, django_user_model
    ):
        from django.contrib.auth.models import AnonymousUser

        assert not selectors.editable_services(clinician).exists()
        assert not selectors.editable_services(AnonymousUser()).exists()

    def test_inactive_admin_edits_nothing(self, icb_admin, wy_service):
        icb_admin.is_active = False
        assert not selectors.editable_services(icb_admin).exists()

    @pytest.mark.parametrize(
        "persona,is_national,codes,allowed",
        [
            ("icb_admin", False, ["QWO"], True),
            ("icb_admin", False, ["QYG"], False),
            ("icb_admin", False, ["QWO", "QYG"], False),
            ("icb_admin", True, [], False),
            ("site_admin", True, [], True),
            ("site_admin", False, ["QWO", "QYG"], True),
            ("site_admin", True, ["QWO"], False),  # national and local at once
            ("site_admin", False, [], False),  # nowhere
            ("clinician", False, ["QWO"], False),
        ],
    )
    def test_who_may_list_a_service_where(self, request, persona, is_national, codes, allowed):
        user = request.getfixturevalue(persona)
        assert selectors.may_assign_area(user, is_national=is_national, icb_codes=codes) is allowed


class TestPagesRefuse:
    @pytest.mark.parametrize("method,url_name", SERVICE_PAGES)
    @pytest.mark.parametrize("target", ["cm_service", "shared_service", "national_service"])
    def test_icb_admin_gets_404_for_services_outside_their_icb(
        self, request, icb_admin_client, method, url_name, target
    ):
        service = request.getfixturevalue(target)
        response = _request(icb_admin_client, method, url_name, service)
        assert response.status_code == 404
        _unchanged(service)

    @pytest.mark.parametrize("method,url_name", SERVICE_PAGES)
    def test_other_icb_admin_gets_404_for_west_yorkshire_service(
        self, other_icb_admin_client, wy_service, method, url_name
    ):
        assert _request(other_icb_admin_client, method, url_name, wy_service).status_code == 404
        _unchanged(wy_service)

    @pytest.mark.parametrize("method,url_name", SERVICE_PAGES)
    def test_clinician_gets_403(self, clinician_client, wy_service, method, url_name):
        assert _request(clinician_client, method, url_name, wy_service).status_code == 403
        _unchanged(wy_service)

    @pytest.mark.parametrize("method,url_name", SERVICE_PAGES)
    def test_anonymous_is_sent_to_sign_in(self, anonymous_client, wy_service, method, url_name):
        response = _request(anonymous_client, method, url_name, wy_service)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        _unchanged(wy_service)

    @pytest.mark.parametrize("url_name", LIST_PAGES)
    def test_clinician_gets_403_for_curation_pages(self, clinician_client, url_name):
        assert clinician_client.get(reverse(url_name)).status_code == 403

    @pytest.mark.parametrize("url_name", [*LIST_PAGES, "referrals:directory"])
    def test_anonymous_is_sent_to_sign_in_for_directory_pages(self, anonymous_client, url_name):
        response = anonymous_client.get(reverse(url_name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_clinician_cannot_add_a_service_by_posting(self, clinician_client, icbs):
        response = clinician_client.post(reverse("referrals:service_add"), form_data())
        assert response.status_code == 403
        assert not Service.objects.exists()

    def test_unknown_service_is_404(self, site_admin_client, icbs):
        url = reverse("referrals:service", args=["00000000-0000-0000-0000-000000000000"])
        assert site_admin_client.get(url).status_code == 404


class TestPagesAllow:
    @pytest.mark.parametrize("url_name", ["referrals:service", "referrals:service_edit"])
    def test_icb_admin_opens_own_service(self, icb_admin_client, wy_service, url_name):
        assert icb_admin_client.get(reverse(url_name, args=[wy_service.pk])).status_code == 200

    @pytest.mark.parametrize("target", ["cm_service", "shared_service", "national_service"])
    def test_site_admin_opens_any_service(self, request, site_admin_client, target):
        service = request.getfixturevalue(target)
        url = reverse("referrals:service_edit", args=[service.pk])
        assert site_admin_client.get(url).status_code == 200

    @pytest.mark.parametrize("persona", ["icb_admin", "site_admin"])
    @pytest.mark.parametrize("url_name", LIST_PAGES)
    def test_admins_open_curation_pages(self, role_clients, persona, url_name):
        assert role_clients(persona).get(reverse(url_name)).status_code == 200

    def test_manage_list_shows_only_the_admins_services(
        self, icb_admin_client, wy_service, cm_service, shared_service, national_service
    ):
        html = icb_admin_client.get(reverse("referrals:manage")).content.decode()
        assert wy_service.name in html
        for other in (cm_service, shared_service, national_service):
            assert other.name not in html

    def test_csv_download_holds_only_the_admins_services(
        self, icb_admin_client, wy_service, cm_service, national_service
    ):
        response = icb_admin_client.get(reverse("referrals:manage_export"))
        text = response.content.decode()
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        assert str(wy_service.pk) in text
        assert str(cm_service.pk) not in text
        assert str(national_service.pk) not in text


class TestServiceLayerRefusesToo:
    """The writes check the same rule, so a view that forgot to ask is still safe."""

    def test_icb_admin_cannot_update_another_icbs_service(self, icb_admin, cm_service):
        with pytest.raises(PermissionDenied):
            services.service_update(
                actor=icb_admin, service=cm_service, details=details(), checked=False
            )
        _unchanged(cm_service)

    @pytest.mark.parametrize(
        "write", [services.service_retire, services.service_verify, services.service_reinstate]
    )
    def test_icb_admin_cannot_change_a_national_service(self, icb_admin, national_service, write):
        with pytest.raises(PermissionDenied):
            write(actor=icb_admin, service=national_service)
        _unchanged(national_service)

    @pytest.mark.parametrize(
        "area",
        [
            {"is_national": True, "icb_codes": ()},
            {"icb_codes": ("QYG",)},
            {"icb_codes": ("QWO", "QYG")},
        ],
    )
    def test_icb_admin_cannot_create_outside_their_icb(self, icb_admin, area):
        with pytest.raises(PermissionDenied):
            services.service_create(actor=icb_admin, details=details(**area))
        assert not Service.objects.exists()

    def test_icb_admin_cannot_move_their_service_to_another_icb(self, icb_admin, wy_service):
        with pytest.raises(PermissionDenied):
            services.service_update(
                actor=icb_admin,
                service=wy_service,
                details=details(icb_codes=("QYG",)),
                checked=False,
            )

    def test_clinician_cannot_create(self, clinician):
        with pytest.raises(PermissionDenied):
            services.service_create(actor=clinician, details=details())


def test_icb_admin_posting_an_area_cannot_widen_it(icb_admin_client, icb_admin):
    """The form has no area fields for ICB admins; posted ones are ignored."""
    response = icb_admin_client.post(
        reverse("referrals:service_add"),
        form_data(area="national", area_icbs=["QYG", "QWO"]),
    )
    assert response.status_code == 302
    service = Service.objects.get()
    assert not service.is_national
    assert [icb.ods_code for icb in service.area_icbs.all()] == ["QWO"]
