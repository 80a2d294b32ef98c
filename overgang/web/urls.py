from django.contrib.auth import views as auth_views
from django.urls import include, path

from overgang.web import checks_views, rules_views, views

urlpatterns = [
    path("", views.start, name="start"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("patients/", views.patient_list, name="patient-list"),
    path("patients/new/", views.patient_create, name="patient-create"),
    path("patients/<int:pk>/", views.patient_detail, name="patient-detail"),
    path("patients/<int:pk>/edit/", views.patient_edit, name="patient-edit"),
    path(
        "patients/<int:pk>/electrical-checks/", checks_views.record_check, name="electrical-check"
    ),
    path(
        "patients/<int:pk>/electrical-checks/<int:check_id>/remedied/",
        checks_views.remedied,
        name="electrical-check-remedied",
    ),
    path("patients/<int:pk>/relatives/", views.relative_add, name="relative-add"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<slug:key>/", views.organisation_detail, name="organisation-detail"),
    path("rules/", rules_views.responsibility, name="responsibility"),
    path("rules/seeds/<str:prefix>/", rules_views.seed_text, name="seed-text"),
    path("", include("overgang.web.devices_urls")),
    path("", include("overgang.web.catalogue_urls")),
    path("", include("overgang.web.returns_urls")),
    path("", include("overgang.web.consumables_urls")),
    path("", include("overgang.web.swaps_urls")),
    path("", include("overgang.web.requisitions_urls")),
    path("", include("overgang.web.nav_urls")),
    path("", include("overgang.web.documents_urls")),
    path("", include("overgang.web.depot_urls")),
    path("", include("overgang.web.failures_urls")),
    path("", include("overgang.web.stays_urls")),
    path("audit/", views.audit_index, name="audit-index"),
    path("audit/patients/<int:pk>/", views.audit_patient_reads, name="audit-patient-reads"),
]
