from django.contrib import admin
from django.urls import include, path

from stdplus.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("account/", include("stdplus.accounts.urls")),
    path("checks/", include("stdplus.checks.urls")),
    path("", include("stdplus.watch.urls")),
    path("stats/", include("stdplus.stats.urls")),
    path("programme/", include("stdplus.programme.urls")),
    path("", include("stdplus.search.urls")),
    path("", include("stdplus.catalog.urls")),
]
