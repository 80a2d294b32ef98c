"""URLs of the documents pages (included from overgang/web/urls.py)."""

from django.urls import URLPattern, path

from overgang.web import documents_views

urlpatterns: list[URLPattern] = [
    path("loans/<int:pk>/slip.pdf", documents_views.loan_slip, name="loan-slip"),
    path("devices/labels.pdf", documents_views.device_labels, name="device-labels"),
    path("devices/<serial:serial>/label.pdf", documents_views.device_label, name="device-label"),
]
