"""URLs of the devices pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.devices import loans, views

urlpatterns: list[URLPattern] = [
    path("devices/", views.device_list, name="device-list"),
    # The open loans whose manual is still to hand over: where the start page's figure leads.
    path("loans/without-manual/", loans.loans_without_manual, name="loans-without-manual"),
    path("devices/new/", views.device_create, name="device-create"),
    path("devices/<serial:serial>/", views.device_detail, name="device-detail"),
    path("devices/<serial:serial>/patients/", views.patient_suggestions, name="device-patients"),
    path("devices/<serial:serial>/lend/", views.device_lend, name="device-lend"),
    path("devices/<serial:serial>/return/", views.device_return, name="device-return"),
    path("devices/<serial:serial>/handover/", views.device_handover, name="device-handover"),
    path("devices/<serial:serial>/lend-with/", views.device_lend_with, name="device-lend-with"),
    path("devices/<serial:serial>/reprocess/", views.device_reprocess, name="device-reprocess"),
    path("devices/<serial:serial>/discard/", views.device_discard, name="device-discard"),
    # What the QR code on a device's label opens: short, for a phone.
    path("d/<serial:serial>/", views.device_scan, name="device-scan"),
    path("d/<serial:serial>/check-in/", views.device_check_in, name="device-check-in"),
    # Labels encode a slash in the serial as %2F, which reaches Django as a plain slash.
    path("d/<path:serial>/", views.device_scan, name="device-scan-printed"),
]
