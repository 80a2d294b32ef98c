"""URLs of the catalogue pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.catalogue import views

urlpatterns: list[URLPattern] = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/manuals/<int:pk>/", views.manual_file, name="manual-file"),
    path("catalogue/<slug:slug>/", views.aid_type_detail, name="aid-type-detail"),
    path("catalogue/<slug:slug>/manual/", views.manual_current, name="manual-current"),
    path("catalogue/<slug:slug>/manuals/", views.manual_upload, name="manual-upload"),
]
