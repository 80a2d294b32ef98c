"""The pages' addresses: each feature package brings its own, in this order."""

from django.urls import include, path

urlpatterns = [
    path("", include("overgang.web.health.urls")),
    path("", include("overgang.web.metrics.urls")),
    path("", include("overgang.web.start.urls")),
    path("", include("overgang.web.sso.urls")),
    path("", include("overgang.web.patients.urls")),
    path("", include("overgang.web.search.urls")),
    path("", include("overgang.web.checks.urls")),
    path("", include("overgang.web.organisations.urls")),
    path("", include("overgang.web.rules.urls")),
    path("", include("overgang.web.agreements.urls")),
    path("", include("overgang.web.revisions.urls")),
    path("", include("overgang.web.devices.urls")),
    path("", include("overgang.web.catalogue.urls")),
    path("", include("overgang.web.returns.urls")),
    path("", include("overgang.web.consumables.urls")),
    path("", include("overgang.web.swaps.urls")),
    path("", include("overgang.web.requisitions.urls")),
    path("", include("overgang.web.nav.urls")),
    path("", include("overgang.web.disputes.urls")),
    path("", include("overgang.web.network.urls")),
    path("", include("overgang.web.ventilation.urls")),
    path("", include("overgang.web.documents.urls")),
    path("", include("overgang.web.depot.urls")),
    path("", include("overgang.web.capacity.urls")),
    path("", include("overgang.web.failures.urls")),
    path("", include("overgang.web.exchange.urls")),
    # Before the stays' own: "stays/<pk>/survey/" is not one of a stay's steps.
    path("", include("overgang.web.survey.urls")),
    path("", include("overgang.web.stays.urls")),
    path("", include("overgang.web.training.urls")),
    path("", include("overgang.web.indicators.urls")),
    path("", include("overgang.web.audit.urls")),
    path("", include("overgang.web.logins.urls")),
]
