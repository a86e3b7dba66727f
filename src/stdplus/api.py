"""The one JSON API, at /api/v1 (OpenAPI at /api/v1/openapi.json). A router per app."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from stdplus.core.errors import ApplicationError

api = NinjaAPI(
    title="stdplus API",
    version="1",
    description="Public standards information: the catalog, search, checks and statistics.",
    urls_namespace="api",
)


def _error(request, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ApplicationError)
def application_error(request, error: ApplicationError):
    status = 404 if error.code == "not_found" else error.status
    return api.create_response(request, error.as_dict(), status=status)


@api.exception_handler(NinjaValidationError)
def validation_error(request, error: NinjaValidationError):
    return _error(request, 422, "invalid_request", "the request is not valid", errors=error.errors)


@api.exception_handler(Http404)
def not_found(request, error: Http404):
    return _error(request, 404, "not_found", str(error) or "not found")


# Routers, one per app, are added here:
api.add_router("/standards", "stdplus.search.api.standards")
api.add_router("/classifications", "stdplus.search.api.classifications")
api.add_router("/bodies", "stdplus.search.api.bodies")
api.add_router("/catalog", "stdplus.catalog.api.router")
api.add_router("/checks", "stdplus.checks.api.router")
api.add_router("/watch", "stdplus.watch.api.router")
api.add_router("/stats", "stdplus.stats.api.router")
api.add_router("/programme", "stdplus.programme.api.router")
