"""URLs of the home-ventilation agreement's pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.ventilation import views

urlpatterns: list[URLPattern] = [
    path("stays/<int:pk>/ventilation/new/", views.ventilation_new, name="ventilation-new"),
    path("ventilation/<int:pk>/", views.ventilation_detail, name="ventilation-detail"),
    path("ventilation/<int:pk>/edit/", views.ventilation_edit, name="ventilation-edit"),
    path("ventilation/<int:pk>/sign/", views.ventilation_sign, name="ventilation-sign"),
    path("ventilation/<int:pk>/pdf/", views.ventilation_pdf, name="ventilation-pdf"),
]
