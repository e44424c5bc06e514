from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path("new/", views.new, name="new"),
    path("<uuid:pk>/", views.result, name="result"),
    path("<uuid:pk>/outcome/", views.outcome, name="outcome"),
    path("<uuid:pk>/support-options.pdf", views.support_sheet, name="support_sheet"),
]
