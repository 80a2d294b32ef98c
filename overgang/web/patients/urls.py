"""URLs of the patient pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.patients import views

urlpatterns: list[URLPattern] = [
    path("patients/", views.patient_list, name="patient-list"),
    path("patients/new/", views.patient_create, name="patient-create"),
    path("patients/<int:pk>/", views.patient_detail, name="patient-detail"),
    path("patients/<int:pk>/edit/", views.patient_edit, name="patient-edit"),
    path("patients/<int:pk>/relatives/", views.relative_add, name="relative-add"),
]
