from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("survey/<str:phase>/", views.survey, name="survey"),
    path("<slug:slug>/", views.module, name="module"),
    path("<slug:slug>/page/<int:number>/", views.page, name="page"),
    path("<slug:slug>/quiz/", views.quiz, name="quiz"),
    path("<slug:slug>/quiz/<uuid:pk>/", views.attempt, name="attempt"),
    path("<slug:slug>/note/", views.note, name="note"),
]
