"""The Open Referral UK v3 read API: open to anyone, JSON only, CORS allowed.

It publishes services and their organisations, never anything about the people who use or
curate the directory. Bad or out-of-range parameters get a 400 with a JSON body saying which
parameter and why; the API never answers a client's mistake with a 500.
"""

import math
import re
import uuid
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.models import ICB
from referrals import oruk, selectors

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
MAX_SEARCH = 200
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,7}$")


class ApiError(Exception):
    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


def _allow_any_origin(response: HttpResponse) -> HttpResponse:
    # Open data for any web page to read: no credentials are involved, so "*" is safe.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, message: str, parameter: str | None = None) -> JsonResponse:
    body = {"status": status, "error": message}
    if parameter:
        body["parameter"] = parameter
    return JsonResponse(body, status=status)


def oruk_endpoint(view):
    """Make a view a public, read-only, CORS-enabled JSON endpoint that reports errors as JSON."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = _error(405, f"Only {ALLOWED_METHODS} are allowed")
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as exc:
                response = _error(exc.status, exc.message, exc.parameter)
        response["Allow"] = ALLOWED_METHODS
        return _allow_any_origin(response)

    # Nothing here changes state, and other sites' pages may call it: no CSRF token applies.
    return login_not_required(csrf_exempt(wrapped))


def _single(request, name: str) -> str | None:
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise ApiError(400, f"Give {name} once", name)
    if values and "\x00" in values[0]:
        raise ApiError(400, f"{name} contains a NUL character", name)
    return values[0] if values else None


def _whole_number(request, name: str, *, default: int, low: int, high: int) -> int:
    raw = _single(request, name)
    if raw is None:
        return default
    if not _WHOLE_NUMBER.match(raw) or not low <= int(raw) <= high:
        raise ApiError(400, f"{name} must be a whole number from {low} to {high}", name)
    return int(raw)


def _page(request, items, serialise) -> dict:
    """Return one page of `items` in ORUK v3's page shape, or raise ApiError for a bad page."""
    page = _whole_number(request, "page", default=1, low=1, high=MAX_PAGE)
    per_page = _whole_number(
        request, "per_page", default=DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE
    )
    total = len(items) if isinstance(items, list) else items.count()
    total_pages = math.ceil(total / per_page)
    if page > max(total_pages, 1):
        raise ApiError(
            400,
            f"page {page} is past the last page ({total_pages} at {per_page} per page)",
            "page",
        )
    contents = [serialise(item) for item in items[(page - 1) * per_page : page * per_page]]
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }


def _term_for(value: str, icbs: list[ICB]) -> oruk.Term:
    """Return the term a taxonomy_term_id names: by its UUID, or by its code as a shortcut."""
    terms = oruk.all_terms(icbs)
    for term in terms:
        if value == term.id or value == term.code or value.upper() == term.code:
            return term
    raise ApiError(
        400,
        "taxonomy_term_id is not a term this directory uses; see /api/oruk/taxonomy_terms",
        "taxonomy_term_id",
    )


@oruk_endpoint
def index(request):
    """Say which version and profile of Open Referral UK this API follows."""
    return JsonResponse({"version": oruk.ORUK_VERSION, "profile": oruk.PROFILE_URL})


@oruk_endpoint
def services(request):
    """List current services, a page at a time, filtered by text search or taxonomy term."""
    search = (_single(request, "search") or "").strip()
    if len(search) > MAX_SEARCH:
        raise ApiError(400, f"search must be {MAX_SEARCH} characters or fewer", "search")
    filters = {"search": search}
    term_id = _single(request, "taxonomy_term_id")
    if term_id is not None:
        term = _term_for(term_id.strip(), list(ICB.objects.all()))
        key = term.taxonomy.key
        if key == oruk.AREAS.key:
            if term == oruk.NATIONAL_TERM:
                filters["national"] = True
            else:
                filters["icb_code"] = term.code
        else:
            filters[key] = term.code
    return JsonResponse(_page(request, selectors.oruk_services(**filters), oruk.service_summary))


@oruk_endpoint
def service(request, service_id: str):
    """Show one service, fully nested; retired services show with the status 'inactive'."""
    try:
        pk = uuid.UUID(service_id)
    except ValueError:
        raise ApiError(404, "No service has this id; ids are UUIDs", "id") from None
    found = selectors.services_with_everything().filter(pk=pk).first()
    if found is None:
        raise ApiError(404, "No service has this id", "id")
    return JsonResponse(oruk.service_full(found))


def _taxonomy(taxonomy: oruk.Taxonomy) -> dict:
    return {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description}


@oruk_endpoint
def taxonomies(request):
    """List the taxonomies this directory classifies services by."""
    return JsonResponse(_page(request, list(oruk.TAXONOMIES), _taxonomy))


@oruk_endpoint
def taxonomy_terms(request):
    """List every taxonomy term (service types, referral routes, genders, areas)."""
    terms = oruk.all_terms(ICB.objects.order_by("ods_code"))
    taxonomy_id = _single(request, "taxonomy_id")
    if taxonomy_id is not None:
        if taxonomy_id not in {t.id for t in oruk.TAXONOMIES}:
            raise ApiError(400, "taxonomy_id is not a taxonomy this directory uses", "taxonomy_id")
        terms = [term for term in terms if term.taxonomy.id == taxonomy_id]
    return JsonResponse(_page(request, terms, oruk.Term.as_oruk))


@oruk_endpoint
def not_found(request, rest: str):
    """Answer any other address under the API with a JSON 404, as API clients expect."""
    raise ApiError(404, "There is no such endpoint in this API")
