"""URLs of the failure pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.failures import views

urlpatterns: list[URLPattern] = [
    # The unit's open failures: where the start page's figure leads.
    path("failures/", views.failure_list, name="failure-list"),
    path("devices/<serial:serial>/failures/new/", views.failure_new, name="failure-new"),
    path("devices/<serial:serial>/failures/<int:pk>/", views.failure_detail, name="failure-detail"),
    path(
        "devices/<serial:serial>/failures/<int:pk>/repair/",
        views.failure_repair,
        name="failure-repair",
    ),
    path(
        "devices/<serial:serial>/failures/<int:pk>/resolve/",
        views.failure_resolve,
        name="failure-resolve",
    ),
]
