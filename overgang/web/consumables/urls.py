"""URLs of the consumables pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.consumables import views

urlpatterns: list[URLPattern] = [
    path("consumables/", views.worklist, name="consumables"),
    path("consumables/stock/", views.stock_receive, name="stock-receive"),
    path("consumables/orders/<int:pk>/decision.pdf", views.decision_letter, name="decision-letter"),
    path("loans/<int:pk>/consumables/", views.loan_consumables, name="loan-consumables"),
    path("loans/<int:pk>/consumables/add/", views.plan_add, name="plan-add"),
    path("loans/<int:pk>/consumables/supply/", views.plan_supply, name="plan-supply"),
    path("loans/<int:pk>/consumables/need/", views.plan_need, name="plan-need"),
    path("loans/<int:pk>/consumables/<int:plan_id>/end/", views.plan_end, name="plan-end"),
]
