"""Top-level URLs: each app owns its own under a prefix."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("training/", include("training.urls")),
    path("certificates/", include("training.certificate_urls")),
    path("referrals/", include("referrals.urls")),
    path("api/oruk/", include("referrals.api_urls")),
    path("screening/", include("screening.urls")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
