"""URLs of the stay pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.stays import leave_views, payment, procedures, views

urlpatterns: list[URLPattern] = [
    path("stays/", views.stay_list, name="stay-list"),
    path("patients/<int:pk>/admit/", views.stay_admit, name="stay-admit"),
    path("stays/<int:pk>/", views.stay_detail, name="stay-detail"),
    path("stays/<int:pk>/reasoning/", views.stay_reasoning, name="stay-reasoning"),
    path("waiting-days/", views.waiting_days_page, name="waiting-days"),
    path("stays/<int:pk>/needs/<int:need_pk>/link/", views.need_link, name="need-link"),
    path("stays/<int:pk>/needs/<int:need_pk>/cancel/", views.need_cancel, name="need-cancel"),
    path("stays/<int:pk>/leaves/plan/", leave_views.leave_plan, name="leave-plan"),
    path(
        "stays/<int:pk>/leaves/<int:leave_pk>/<slug:step>/",
        leave_views.leave_step,
        name="leave-step",
    ),
    path("stays/<int:pk>/waiting-days/", payment.stay_waiting_days, name="stay-waiting-days"),
    path(
        "waiting-day-objections/<int:pk>/answer/",
        payment.objection_answer,
        name="objection-answer",
    ),
    path(
        "stays/<int:pk>/trainings/<int:training_pk>/procedures/",
        procedures.procedure_add,
        name="procedure-add",
    ),
    path(
        "stays/<int:pk>/trainings/<int:training_pk>/procedures/<int:document_pk>.pdf",
        procedures.procedure_file,
        name="procedure-file",
    ),
    path("stays/<int:pk>/<slug:step>/", views.stay_step, name="stay-step"),
    path("worklist/", views.worklist_page, name="worklist"),
    path("deadlines/<int:pk>/done/", views.deadline_done, name="deadline-done"),
    path("notifications/", views.notification_list, name="notifications"),
]
