"""URLs of the agreement revisions (N10), for the agreement's network group (included from
overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.revisions import views

urlpatterns: list[URLPattern] = [
    path("agreements/revisions/", views.version_list, name="revision-list"),
    path("agreements/revisions/new/<str:agreement>/", views.new_draft, name="revision-new"),
    path("agreements/revisions/<int:pk>/", views.edit, name="revision-edit"),
    path("agreements/revisions/<int:pk>/diff/", views.diff, name="revision-diff"),
    path("agreements/revisions/<int:pk>/export/", views.export, name="revision-export"),
    # A version by its label, as a meeting's decision names it.
    path(
        "agreements/<str:key>/versions/<str:label>/",
        views.version_by_label,
        name="version-by-label",
    ),
]
