from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from stdplus.accounts import views as accounts_views
from stdplus.api import api
from stdplus.core.health import healthz, readyz
from stdplus.core.metrics import metrics_view


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Browsers ask for /favicon.ico whatever the page says; send them to the one icon (resolved
    # per request, so that the hashed name of the production static files is used).
    return HttpResponsePermanentRedirect(static("stdplus/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    # The language switch keeps a signed-in person's choice (for their mail), then Django's.
    path("i18n/setlang/", accounts_views.set_language),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("account/", include("stdplus.accounts.urls")),
    path("jobs/", include("stdplus.core.urls")),
    path("import/", include("stdplus.importers.urls")),
    path("checks/", include("stdplus.checks.urls")),
    path("", include("stdplus.watch.urls")),
    path("stats/", include("stdplus.stats.urls")),
    path("programme/", include("stdplus.programme.urls")),
    path("declarations/", include("stdplus.declarations.urls")),
    path("supervision/", include("stdplus.supervision.urls")),
    path("development/", include("stdplus.development.urls")),
    path("support/", include("stdplus.support.urls")),
    path("", include("stdplus.search.urls")),
    path("", include("stdplus.catalog.urls")),
]

handler400 = "stdplus.core.views.bad_request"
handler403 = "stdplus.core.views.permission_denied"
handler404 = "stdplus.core.views.page_not_found"
handler500 = "stdplus.core.views.server_error"
