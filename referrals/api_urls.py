"""Open Referral UK v3 read API, mounted at /api/oruk/."""

from django.urls import path

from referrals import api

app_name = "oruk"

urlpatterns = [
    path("", api.index, name="index"),
    path("services", api.services, name="services"),
    path("services/<str:service_id>", api.service, name="service"),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy_terms"),
    # Last: anything else under /api/oruk/, including ids with a slash, is a JSON 404.
    path("<path:rest>", api.not_found, name="not_found"),
]
