"""The Open Referral UK v3 read API: open, JSON, CORS, documented page shape, 400 not 500."""

import pytest
from django.utils import timezone

from referrals import oruk
from referrals.models import ServiceType
from tests.referrals.factories import LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture
def twelve(icbs):
    """Twelve current services (names sort as their numbers) and one retired."""
    services = [ServiceFactory(name=f"Service {n:02d}") for n in range(1, 13)]
    ServiceFactory(name="Service 99 retired", retired_at=timezone.now())
    return services


def test_index_gives_version_and_profile(anonymous_client):
    response = anonymous_client.get("/api/oruk/")
    assert response.status_code == 200
    assert response.json() == {"version": "3.0", "profile": oruk.PROFILE_URL}
    assert response["Access-Control-Allow-Origin"] == "*"


class TestServicesList:
    def test_second_page_of_five(self, anonymous_client, twelve):
        response = anonymous_client.get("/api/oruk/services?page=2&per_page=5")
        body = response.json()
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert set(body) == PAGE_KEYS
        assert body["total_items"] == 12
        assert body["total_pages"] == 3
        assert body["page_number"] == 2
        assert body["size"] == 5
        assert (body["first_page"], body["last_page"], body["empty"]) == (False, False, False)
        assert [s["name"] for s in body["contents"]] == [f"Service {n:02d}" for n in range(6, 11)]

    def test_last_page_is_short(self, anonymous_client, twelve):
        body = anonymous_client.get("/api/oruk/services?page=3&per_page=5").json()
        assert (body["size"], body["last_page"], body["first_page"]) == (2, True, False)

    def test_defaults_to_the_first_page_of_fifty(self, anonymous_client, twelve):
        body = anonymous_client.get("/api/oruk/services").json()
        assert (body["page_number"], body["size"], body["total_pages"]) == (1, 12, 1)
        assert body["first_page"] and body["last_page"]

    def test_empty_directory_is_an_empty_first_page(self, anonymous_client, icbs):
        body = anonymous_client.get("/api/oruk/services").json()
        assert body == {
            "total_items": 0,
            "total_pages": 0,
            "page_number": 1,
            "size": 0,
            "first_page": True,
            "last_page": True,
            "empty": True,
            "contents": [],
        }

    def test_items_are_flat_services_with_their_organisation(self, anonymous_client, twelve):
        item = anonymous_client.get("/api/oruk/services?per_page=1").json()["contents"][0]
        assert {"id", "name", "description", "url", "status", "organization"} <= set(item)
        assert item["status"] == "active"
        assert item["organization"]["name"].startswith("Support Organisation")
        assert "attributes" not in item  # one-to-one fields only

    def test_search(self, anonymous_client, twelve):
        ServiceFactory(name="Harrogate Advocacy", description="Fixated behaviour support")
        body = anonymous_client.get("/api/oruk/services", {"search": "FIXATED"}).json()
        assert [s["name"] for s in body["contents"]] == ["Harrogate Advocacy"]

    @pytest.mark.parametrize(
        "term",
        [
            oruk.Term(oruk.SERVICE_TYPES, "mental_health", "").id,
            "mental_health",
        ],
    )
    def test_filter_by_service_type_term(self, anonymous_client, twelve, term):
        ServiceFactory(name="Talking", service_type=ServiceType.MENTAL_HEALTH)
        body = anonymous_client.get("/api/oruk/services", {"taxonomy_term_id": term}).json()
        assert [s["name"] for s in body["contents"]] == ["Talking"]

    @pytest.mark.parametrize("term", ["QYG", "qyg", oruk.Term(oruk.AREAS, "QYG", "").id])
    def test_filter_by_icb_term(self, anonymous_client, twelve, term):
        ServiceFactory(name="Wirral", icbs=["QYG"])
        body = anonymous_client.get("/api/oruk/services", {"taxonomy_term_id": term}).json()
        assert [s["name"] for s in body["contents"]] == ["Wirral"]

    def test_filter_national(self, anonymous_client, twelve):
        ServiceFactory(name="Helpline", is_national=True, icbs=[])
        body = anonymous_client.get("/api/oruk/services?taxonomy_term_id=national").json()
        assert [s["name"] for s in body["contents"]] == ["Helpline"]

    def test_query_count_is_fixed(self, anonymous_client, twelve, django_assert_num_queries):
        # Savepoint pair, the count, the page of services with their organisations.
        with django_assert_num_queries(4):
            anonymous_client.get("/api/oruk/services?per_page=10")


@pytest.mark.parametrize(
    "query,parameter",
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=", "page"),
        ("page=1.5", "page"),
        ("page=1e3", "page"),
        ("page=%EF%BC%91", "page"),  # a full-width digit one
        ("page=99999999999999999999", "page"),
        ("page=1&page=2", "page"),
        ("page=%00", "page"),
        ("page=4&per_page=5", "page"),  # past the last page
        ("page=2", "page"),  # 12 services fit on page 1
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
        ("per_page=-5", "per_page"),
        ("per_page=%20", "per_page"),
        ("search=" + "x" * 201, "search"),
        ("search=%00", "search"),
        ("taxonomy_term_id=astrology", "taxonomy_term_id"),
        ("taxonomy_term_id=ZZZ99", "taxonomy_term_id"),
        ("taxonomy_term_id=", "taxonomy_term_id"),
        ("taxonomy_term_id=00000000-0000-0000-0000-000000000000", "taxonomy_term_id"),
    ],
)
def test_bad_parameters_get_a_json_400(anonymous_client, twelve, query, parameter):
    response = anonymous_client.get(f"/api/oruk/services?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["status"] == 400
    assert body["parameter"] == parameter
    assert body["error"]


@pytest.mark.parametrize(
    "search", ["' OR 1=1 --", "%", "_", "\\", "🙂", "<script>", "a" * 200, "  spaced  "]
)
def test_hostile_search_text_is_just_text(anonymous_client, twelve, search):
    response = anonymous_client.get("/api/oruk/services", {"search": search})
    assert response.status_code == 200
    assert response.json()["total_items"] == 0


def test_unknown_parameters_are_ignored(anonymous_client, twelve):
    response = anonymous_client.get("/api/oruk/services?colour=blue&full=true")
    assert response.status_code == 200


class TestServiceDetail:
    def test_fully_nested(self, anonymous_client, icbs):
        service = ServiceFactory(
            name="Nested",
            icbs=["QWO", "QYG"],
            phone="0113 496 0100",
            phone_notes="Press 1",
            opening_hours="Weekdays",
            eligibility="Adults",
            referral_instructions="Use the form",
            minimum_age=16,
        )
        LocationFactory(service=service)
        response = anonymous_client.get(f"/api/oruk/services/{service.pk}")
        body = response.json()
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert body["id"] == str(service.pk)
        assert body["minimum_age"] == 16
        assert body["contacts"][0]["phones"][0] == {
            "id": body["contacts"][0]["phones"][0]["id"],
            "number": "0113 496 0100",
            "description": "Press 1",
        }
        assert body["schedules"][0]["description"] == "Weekdays"
        assert [a["name"] for a in body["service_areas"]] == [
            "NHS West Yorkshire Integrated Care Board",  # QWO
            "NHS Cheshire and Merseyside Integrated Care Board",  # QYG
        ]
        location = body["service_at_locations"][0]["location"]
        assert location["addresses"][0]["postal_code"] == "LS1 4AP"
        codes = {a["taxonomy_term"]["code"] for a in body["attributes"]}
        assert codes == {"stalking_advocacy", "both", "QWO", "QYG"}
        assert body[oruk.EXTENSION] == {
            "eligibility": "Adults",
            "referral_instructions": "Use the form",
        }

    def test_holds_no_personal_data(self, anonymous_client, icb_admin, icbs):
        service = ServiceFactory(verified_by=icb_admin)
        text = anonymous_client.get(f"/api/oruk/services/{service.pk}").content.decode()
        assert icb_admin.email not in text
        assert icb_admin.full_name not in text

    def test_retired_service_shows_as_inactive(self, anonymous_client, icbs):
        service = ServiceFactory(retired_at=timezone.now())
        body = anonymous_client.get(f"/api/oruk/services/{service.pk}").json()
        assert body["status"] == "inactive"

    @pytest.mark.parametrize(
        "service_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "%00", "1"]
    )
    def test_unknown_ids_get_a_json_404(self, anonymous_client, icbs, service_id):
        response = anonymous_client.get(f"/api/oruk/services/{service_id}")
        assert response.status_code == 404
        assert response.json()["status"] == 404

    def test_query_count_is_fixed(self, anonymous_client, icbs, django_assert_num_queries):
        service = ServiceFactory(icbs=["QWO", "QYG"])
        LocationFactory(service=service)
        # Savepoint pair, the service with organisation and location, its ICBs.
        with django_assert_num_queries(4):
            anonymous_client.get(f"/api/oruk/services/{service.pk}")


class TestMethodsAndCors:
    def test_preflight(self, anonymous_client):
        response = anonymous_client.options("/api/oruk/services")
        assert response.status_code == 204
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "GET" in response["Access-Control-Allow-Methods"]

    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_writes_are_refused_with_json(self, anonymous_client, icbs, method):
        response = getattr(anonymous_client, method)("/api/oruk/services")
        assert response.status_code == 405
        assert response.json()["status"] == 405

    def test_signed_in_users_get_the_same(self, clinician_client, twelve):
        assert clinician_client.get("/api/oruk/services").json()["total_items"] == 12


class TestTaxonomies:
    def test_lists_taxonomies(self, anonymous_client):
        body = anonymous_client.get("/api/oruk/taxonomies").json()
        assert body["total_items"] == len(oruk.TAXONOMIES)

    def test_lists_terms_including_every_icb(self, anonymous_client, icbs):
        body = anonymous_client.get("/api/oruk/taxonomy_terms?per_page=200").json()
        codes = {term["code"] for term in body["contents"]}
        assert {"stalking_advocacy", "self", "women", "national", "QWO", "QMM"} <= codes

    def test_filters_terms_by_taxonomy(self, anonymous_client, icbs):
        body = anonymous_client.get(
            "/api/oruk/taxonomy_terms", {"taxonomy_id": oruk.SERVICE_TYPES.id}
        ).json()
        assert {t["code"] for t in body["contents"]} == set(ServiceType.values)
        assert {"marac", "young_people"} <= set(ServiceType.values)

    def test_unknown_taxonomy_is_400(self, anonymous_client, icbs):
        response = anonymous_client.get("/api/oruk/taxonomy_terms?taxonomy_id=nope")
        assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/oruk/services/a/b", "/api/oruk/nothing-here", "/api/oruk/services/%00/x"]
)
def test_unknown_api_paths_are_json_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == 404
    assert response["Access-Control-Allow-Origin"] == "*"
