"""URLs of the devices pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.devices import views

urlpatterns: list[URLPattern] = [
    path("devices/", views.device_list, name="device-list"),
    path("devices/new/", views.device_create, name="device-create"),
    path("devices/<str:serial>/", views.device_detail, name="device-detail"),
    path("devices/<str:serial>/patients/", views.patient_suggestions, name="device-patients"),
    path("devices/<str:serial>/lend/", views.device_lend, name="device-lend"),
    path("devices/<str:serial>/return/", views.device_return, name="device-return"),
    path("devices/<str:serial>/handover/", views.device_handover, name="device-handover"),
    path("devices/<str:serial>/lend-with/", views.device_lend_with, name="device-lend-with"),
    path("devices/<str:serial>/reprocess/", views.device_reprocess, name="device-reprocess"),
    path("devices/<str:serial>/discard/", views.device_discard, name="device-discard"),
    # What the QR code on a device's label opens: short, for a phone.
    path("d/<str:serial>/", views.device_scan, name="device-scan"),
    path("d/<str:serial>/check-in/", views.device_check_in, name="device-check-in"),
]
