from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path

from overgang.api import errors
from overgang.api.urls import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    # The rest of /api/ answers 404 in JSON, as the API's own 404s do.
    re_path(r"^api/", errors.not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("overgang.web.urls")),
]

handler404 = "overgang.web.start.views.not_found"
handler500 = "overgang.web.errors.server_error"
