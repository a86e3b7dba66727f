"""Authentication for the JSON API: a personal token (`Authorization: Bearer <token>`) or the
browser session (with its CSRF check). Both give the request an organization to act for."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from .selectors import organization_for
from .services import token_authenticate


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        found = token_authenticate(token)
        if found is None:
            return None
        request.api_token = found
        request.user = found.user
        return found.user


class OrganizationSession(SessionAuth):
    """The logged-in browser session, for people who belong to an organization."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or organization_for(request) is None:
            return None
        return user


member_auth = [BearerToken(), OrganizationSession()]
