from django.urls import path

from training import certificate_views as views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("<uuid:pk>/", views.verify, name="verify"),
    path("<uuid:pk>/pdf/", views.pdf, name="pdf"),
]
