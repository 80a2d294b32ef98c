"""URLs of the return pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.returns import views

urlpatterns: list[URLPattern] = [
    path("devices/<serial:serial>/return-request/", views.return_new, name="return-new"),
    path("returns/", views.return_list, name="return-list"),
    path("returns/<int:pk>/", views.return_detail, name="return-detail"),
    path("returns/<int:pk>/schedule/", views.return_schedule, name="return-schedule"),
    path("returns/<int:pk>/cancel/", views.return_cancel, name="return-cancel"),
]
