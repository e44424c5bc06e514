"""Property-based tests of the ORUK API: whatever the parameters, a JSON answer, never a 500.

`page`, `per_page`, `search` and `taxonomy_term_id` get random text, negative, huge and
fractional numbers, unicode, NUL and repeated parameters; the query string is also sent as raw
percent-encoded bytes (not always UTF-8). Service ids are random too. Every answer is JSON
with a status of 200, 400 or 404, and a 400 or 404 says what was wrong.
"""

import json
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from referrals.models import Service
from referrals.services import seed_load

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    print_blob=True,
)
SERVICES = "/api/oruk/services"
PARAMETERS = ["page", "per_page", "search", "taxonomy_term_id"]
CHARACTERS = st.characters(blacklist_categories=("Cs",))

numbers = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.integers(0, 300).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        ["0", "-0", "+1", " 1", "1 ", "01", "1_000", "１", "٣", "1e3", "0x10", "9" * 400]
    ),
)
texts = st.one_of(
    st.text(CHARACTERS, max_size=30),
    st.sampled_from(
        [
            "",
            "\x00",
            "stalk\x00ing",
            "\u202estalking",
            "😀",
            "e\u0301" * 150,
            "%",
            "_",
            "' OR 1=1 --",
            "advocacy",
            "stalking_advocacy",
            "QWO",
            "qwo",
            "national",
        ]
    ),
    st.integers(190, 12_000).map(lambda n: "a" * n),
)
value = st.one_of(numbers, texts)
parameters = st.fixed_dictionaries(
    {},
    optional={
        name: st.one_of(value, st.lists(value, min_size=2, max_size=3)) for name in PARAMETERS
    },
)
extra = st.dictionaries(st.text(CHARACTERS, min_size=1, max_size=10), value, max_size=2)
raw_query = st.lists(
    st.tuples(
        st.sampled_from([*PARAMETERS, "x"]).map(str.encode) | st.binary(max_size=8),
        st.binary(max_size=20),
    ),
    max_size=5,
).map(lambda pairs: "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs))


@pytest.fixture
def directory(icbs):
    result = seed_load(examples=True)
    assert result.ok, result.errors
    return list(Service.objects.values_list("pk", flat=True))


def check(response) -> dict:
    assert response.status_code in (200, 400, 404), response.status_code
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    if response.status_code == 200:
        return body
    assert body["status"] == response.status_code and body["error"]
    return body


@pytest.mark.django_db
class TestServicesList:
    @FUZZ
    @given(params=parameters, extra=extra)
    @example(params={"page": "0"}, extra={})
    @example(params={"page": "-1", "per_page": "-1"}, extra={})
    @example(params={"per_page": "1e309"}, extra={})
    @example(params={"page": "99999999999999999999999"}, extra={})
    @example(params={"page": ["1", "2"]}, extra={})
    @example(params={"search": "\x00"}, extra={})
    @example(params={"taxonomy_term_id": "\x00"}, extra={})
    def test_any_parameters(self, anonymous_client, directory, params, extra):
        body = check(anonymous_client.get(SERVICES, {**extra, **params}))
        if "contents" in body:
            assert body["size"] == len(body["contents"]) <= 200
            assert body["total_items"] >= body["size"]

    @FUZZ
    @given(query=raw_query)
    def test_raw_query_strings(self, anonymous_client, directory, query):
        check(anonymous_client.get(f"{SERVICES}?{query}"))

    def test_a_good_query_still_answers(self, anonymous_client, directory):
        body = check(
            anonymous_client.get(SERVICES, {"page": "1", "per_page": "5", "search": "stalking"})
        )
        assert body["page_number"] == 1 and body["size"] <= 5 and body["total_items"] > 0


# Any text but "/", which would make it another path, not an id (the route's <str:> has none).
ids = st.one_of(
    st.uuids().map(str),
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="/"),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from(
        ["\x00", "0", "-1", "None", "00000000-0000-0000-0000-000000000000", "a" * 5000]
    ),
)


@pytest.mark.django_db
class TestOneService:
    @FUZZ
    @given(service_id=ids, params=parameters)
    def test_random_ids(self, anonymous_client, directory, service_id, params):
        url = f"{SERVICES}/{quote(service_id, safe='')}"
        response = anonymous_client.get(url, params)
        body = check(response)
        if response.status_code == 200:
            assert body["id"] in {str(pk) for pk in directory}

    @FUZZ
    @given(known=st.data())
    def test_known_ids_in_other_spellings(self, anonymous_client, directory, known):
        pk = known.draw(st.sampled_from(directory))
        spelling = known.draw(
            st.sampled_from(
                [str(pk), str(pk).upper(), pk.hex, "{" + str(pk) + "}", f"urn:uuid:{pk}"]
            )
        )
        body = check(anonymous_client.get(f"{SERVICES}/{quote(spelling, safe='')}"))
        assert body.get("id") in (str(pk), None)


@pytest.mark.django_db
class TestOtherLists:
    @FUZZ
    @given(
        path=st.sampled_from(["/api/oruk/taxonomies", "/api/oruk/taxonomy_terms", "/api/oruk/"]),
        params=st.dictionaries(
            st.sampled_from(["page", "per_page", "taxonomy_id", "x"]),
            st.one_of(value, st.lists(value, min_size=2, max_size=3)),
            max_size=3,
        ),
    )
    def test_any_parameters(self, anonymous_client, icbs, path, params):
        check(anonymous_client.get(f"{path}?{urlencode(params, doseq=True)}"))
