from django.urls import path

from overgang.web.survey import views

urlpatterns = [
    path("stays/<int:pk>/survey/", views.stay_survey, name="stay-survey"),
    # Short, for typing from paper: the token is the whole address.
    path("s/<str:token>/", views.answer_page, name="survey-answer"),
]
