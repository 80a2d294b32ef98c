"""URLs of the documents pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.documents import views

urlpatterns: list[URLPattern] = [
    path("loans/<int:pk>/slip.pdf", views.loan_slip, name="loan-slip"),
    path("labels/", views.label_sheet, name="label-sheet"),
    path("devices/labels.pdf", views.device_labels, name="device-labels"),
    path("devices/<serial:serial>/label.pdf", views.device_label, name="device-label"),
]
