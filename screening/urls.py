from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path("", views.screening_list, name="list"),
    path("new/", views.new, name="new"),
    path("<uuid:pk>/", views.result, name="result"),
    path("<uuid:pk>/outcome/", views.outcome, name="outcome"),
    path("<uuid:pk>/useful-contacts.pdf", views.support_sheet, name="support_sheet"),
]
