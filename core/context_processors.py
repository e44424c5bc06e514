"""Values every page's layout needs."""

from django.conf import settings

from core.navigation import menu_for


def service(request):
    """Return the service name, phase and the user's navigation."""
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "navigation": menu_for(request.user, request.path) if hasattr(request, "user") else [],
    }
