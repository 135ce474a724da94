"""How the API knows its caller: an API token (machines) or the signed-in session (the pages'
own scripts, with CSRF). The tenancy middleware has already resolved a token to its membership;
here DRF is told who the caller is, and a refused token answers 401 with the reason."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        http_request = request._request
        token = getattr(http_request, "api_token", None)
        if token is not None:
            return token.membership.user, token
        refusal = getattr(http_request, "api_token_refusal", None)
        if refusal is not None:
            raise exceptions.AuthenticationFailed(refusal)
        return None

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class ApiTokenRateThrottle(throttling.SimpleRateThrottle):
    """Calls per token (``API_TOKEN_RATE``, e.g. ``600/minute``); sessions are not counted here."""

    scope = "api_token"

    def get_rate(self) -> str | None:
        return settings.API_TOKEN_RATE

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        token = getattr(request._request, "api_token", None)
        return (
            None if token is None else self.cache_format % {"scope": self.scope, "ident": token.pk}
        )


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token of one membership (page: 账号 › API 令牌, "
            "/manage/api-tokens/), sent as `Authorization: Bearer xc_…`.",
        }
