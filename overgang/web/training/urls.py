"""URLs of the staff-training pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.training import views

urlpatterns: list[URLPattern] = [
    path("staff-training/", views.staff_training_list, name="staff-training-list"),
    path("staff-training/<int:pk>/", views.staff_training_detail, name="staff-training-detail"),
]
