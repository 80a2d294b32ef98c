from django.contrib import admin
from django.urls import include, path

from overgang.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("overgang.web.urls")),
]

handler404 = "overgang.web.start.views.not_found"
handler500 = "overgang.web.errors.server_error"
