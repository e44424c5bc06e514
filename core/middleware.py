"""Remember the current request so model signals can say who made a change; limit the public
API's rate."""

from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse

from core.audit import client_network
from core.ratelimit import rate_limit_hit

API_RATE_WINDOW = timedelta(minutes=1)

current_request: ContextVar = ContextVar("current_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class PublicApiRateLimitMiddleware:
    """Limit how fast one address may call the public API, counted across all app servers.

    The Open Referral UK API needs no sign-in, so without a limit one client could take the
    service's capacity. Each address gets API_RATE_LIMIT requests a minute (core.ratelimit);
    beyond that it gets a JSON 429 with Retry-After until the minute ends.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # path_info, not path: path includes SCRIPT_NAME, which a client can set through a proxy.
        if request.path_info.startswith(settings.API_RATE_LIMIT_PREFIX) and not rate_limit_hit(
            "public-api",
            client_network(request) or "unknown",
            limit=settings.API_RATE_LIMIT,
            window=API_RATE_WINDOW,
        ):
            response = JsonResponse(
                {
                    "status": 429,
                    "error": f"Too many requests: at most {settings.API_RATE_LIMIT} a minute "
                    "from one address. Try again in a minute.",
                },
                status=429,
            )
            response["Retry-After"] = str(int(API_RATE_WINDOW.total_seconds()))
            response["Access-Control-Allow-Origin"] = "*"
            return response
        return self.get_response(request)
