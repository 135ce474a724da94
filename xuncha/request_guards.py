"""Requests refused at the door, before any view, form or upload handler sees them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from xuncha.tenancy.api_errors import error_response

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _refuse(
    request: HttpRequest,
    status: int,
    message: StrOrPromise,
    params: dict[str, Any] | None = None,
    *,
    code: str,
) -> HttpResponse:
    """A refusal in the visitor's language (LocaleMiddleware has not run yet): plain text, or
    the API's error body on API addresses."""
    with translation.override(translation.get_language_from_request(request)):
        text = str(message) % params if params else str(message)
    if request.path.startswith("/api/"):
        return error_response(code, text, status=status)
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    """Answers 413 when the declared body length is over ``MAX_UPLOAD_SIZE``.

    Django stops reading at CONTENT_LENGTH, so the declared length bounds what any later
    middleware or upload handler could read. Must come before anything that touches
    ``request.POST`` / ``request.FILES`` (CSRF does)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django itself reads no body for an unparsable length
        limit = settings.MAX_UPLOAD_SIZE
        if length > limit:
            return _refuse(
                request,
                413,
                _("The request is too large: at most %(size)s MB may be sent."),
                {"size": f"{limit / (1024 * 1024):g}"},
                code="request_too_large",
            )
        return self.get_response(request)


class NullCharacterMiddleware:
    """Answers 400 to a query string holding a NUL character.

    No valid parameter contains one, and PostgreSQL refuses it in any text value: a view
    passing ``?q=%00`` to a query would fail with a server error. Form fields already reject
    NUL in bodies (Django's ProhibitNullCharactersValidator); this covers the query string,
    which views also read directly."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("The address contains a character that is not allowed.")
            return _refuse(request, 400, message, code="invalid")
        return self.get_response(request)
