"""URLs of the audit pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.audit import views

urlpatterns: list[URLPattern] = [
    path("audit/", views.audit_index, name="audit-index"),
    path("audit/patients/<int:pk>/", views.audit_patient_reads, name="audit-patient-reads"),
    path(
        "audit/patients/<int:pk>/reads.csv",
        views.audit_patient_reads_csv,
        name="audit-patient-reads-csv",
    ),
]
