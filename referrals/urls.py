from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("coverage/", views.coverage, name="coverage"),
    path("<uuid:pk>/", views.service_page, name="service_page"),
    path("manage/", views.manage, name="manage"),
    path("manage/export.csv", views.manage_export, name="manage_export"),
    path("manage/new/", views.service_add, name="service_add"),
    path("manage/<uuid:pk>/", views.service, name="service"),
    path("manage/<uuid:pk>/edit/", views.service_edit, name="service_edit"),
    path("manage/<uuid:pk>/retire/", views.service_retire, name="service_retire"),
    path("manage/<uuid:pk>/reinstate/", views.service_reinstate, name="service_reinstate"),
    path("manage/<uuid:pk>/check/", views.service_verify, name="service_verify"),
]
