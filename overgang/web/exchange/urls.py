"""URLs of the received-message pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.exchange import views

urlpatterns: list[URLPattern] = [
    path(
        "stays/<int:pk>/messages/<int:received_pk>/",
        views.received_detail,
        name="received-detail",
    ),
    path(
        "stays/<int:pk>/messages/sent/<int:message_pk>/",
        views.sent_detail,
        name="sent-detail",
    ),
    path("messages/rejected/", views.rejected_list, name="rejected-messages"),
    path("messages/rejected/<int:pk>/retry/", views.rejected_retry, name="rejected-retry"),
]
