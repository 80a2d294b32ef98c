"""URLs of the electrical checks on a patient's page (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.checks import views

urlpatterns: list[URLPattern] = [
    path("patients/<int:pk>/electrical-checks/", views.record_check, name="electrical-check"),
    path(
        "patients/<int:pk>/electrical-checks/<int:check_id>/remedied/",
        views.remedied,
        name="electrical-check-remedied",
    ),
]
