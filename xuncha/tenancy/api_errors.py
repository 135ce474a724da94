"""The API's one error body, ``{"code", "message", "fields"}`` (see ``xuncha.tenancy.api``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from xuncha.tenancy.errors import DomainError

# ----------------------------------------------------------------------------------


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _("Send the record's ETag in If-Match to change it.")
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record was changed since you read it: read it again.")
    default_code = "precondition_failed"


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field": [...], "items.0.name": [...]}``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(item) for item in items]}


def error_body(code: str, message: Any, fields: dict[str, list[str]] | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every refusal in one shape: ``{"code", "message", "fields"}``."""
    if isinstance(exc, DomainError):
        fields = {exc.field: [exc.message]} if exc.field else {}
        return Response(error_body("refused", exc.message, fields), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.values()))[0] if fields else ""
        message = first if list(fields) == ["non_field_errors"] else _("Check the values entered.")
        response.data = error_body("invalid", message, fields)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_body(code, exc.detail)
    return response


class ErrorSerializer(serializers.Serializer):
    """The body of every refusal."""

    code = serializers.CharField(
        label=_("error code"),
        help_text=(
            "Machine-readable reason: invalid, refused, not_found, permission_denied, "
            "not_authenticated, authentication_failed, precondition_required, "
            "precondition_failed, throttled, method_not_allowed, parse_error, "
            "unsupported_media_type, not_acceptable."
        ),
    )
    message = serializers.CharField(
        label=_("message"),
        help_text="What went wrong, in the caller's language (Accept-Language).",
    )
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        label=_("field errors"),
        help_text="Messages per field name (`non_field_errors` for the whole body).",
    )


# --- Django's own error pages, under /api/ ----------------------------------------------------
# An address no route matches, or a crash outside DRF's handling, still answers in the error
# shape on API paths; elsewhere the site's own pages.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_response(code: str, message: Any, *, status: int) -> JsonResponse:
    """The error body outside DRF (Chinese as it is, as DRF's renderer writes it)."""
    body = error_body(code, message)
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return error_response("not_found", exceptions.NotFound.default_detail, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        message = _("Something went wrong on our side; it has been logged.")
        return error_response("server_error", message, status=500)
    return defaults.server_error(request)
