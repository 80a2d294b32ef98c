"""URLs of the requisition pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.requisitions import views

urlpatterns: list[URLPattern] = [
    path("patients/<int:pk>/requisitions/new/", views.requisition_new, name="requisition-new"),
    path("requisitions/", views.requisition_list, name="requisition-list"),
    path("requisitions/<int:pk>/", views.requisition_detail, name="requisition-detail"),
    path("requisitions/<int:pk>/assess/", views.requisition_assess, name="requisition-assess"),
    path("requisitions/<int:pk>/decide/", views.requisition_decide, name="requisition-decide"),
    path("requisitions/<int:pk>/reserve/", views.requisition_reserve, name="requisition-reserve"),
    path("requisitions/<int:pk>/deliver/", views.requisition_deliver, name="requisition-deliver"),
    path(
        "requisitions/<int:pk>/withdraw/", views.requisition_withdraw, name="requisition-withdraw"
    ),
    path(
        "requisitions/<int:pk>/letter-<str:language>.pdf",
        views.requisition_letter,
        name="requisition-letter",
    ),
    path("requisitions/<int:pk>/appeals/", views.appeal_new, name="appeal-new"),
    path("appeals/<int:pk>/forward/", views.appeal_forward, name="appeal-forward"),
    path("appeals/<int:pk>/outcome/", views.appeal_outcome, name="appeal-outcome"),
]
