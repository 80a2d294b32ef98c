"""URLs of the network group's pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.network import views

urlpatterns: list[URLPattern] = [
    path("network/", views.group_page, name="network-group"),
    path("network/chairs/<str:agreement>/", views.chair, name="network-chair"),
    path("network/alerts/", views.alerts_index, name="network-alerts-index"),
    path("network/alerts/<str:agreement>/", views.alert_list, name="network-alerts"),
    path("network/alerts/<str:agreement>/read/", views.alerts_read, name="network-alerts-read"),
    path("network/meetings/", views.meeting_list, name="network-meetings"),
    path("network/meetings/new/", views.meeting_new, name="network-meeting-new"),
    path("network/meetings/<int:pk>/", views.meeting_detail, name="network-meeting"),
    path("network/meetings/<int:pk>/edit/", views.meeting_edit, name="network-meeting-edit"),
    path("network/meetings/<int:pk>/decisions/", views.decision_new, name="network-decision-new"),
    path("network/questions/", views.queue, name="network-queue"),
    path("network/questions/mine/", views.my_questions, name="network-my-questions"),
    path("network/questions/new/", views.question_new, name="network-question-new"),
    path("network/questions/<int:pk>/", views.question_detail, name="network-question"),
    path(
        "network/questions/<int:pk>/<slug:step>/",
        views.question_step,
        name="network-question-step",
    ),
]
