"""URLs of the swap pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.swaps import views

urlpatterns: list[URLPattern] = [
    path("patients/<int:pk>/swaps/new/", views.swap_new, name="swap-new"),
    path("swaps/", views.swap_list, name="swap-list"),
    path("swaps/<int:pk>/", views.swap_detail, name="swap-detail"),
    path("swaps/<int:pk>/lend/", views.swap_lend, name="swap-lend"),
    path("swaps/<int:pk>/withdraw/", views.swap_withdraw, name="swap-withdraw"),
]
