"""The API's conventions, in one place; every app's ``api.py`` builds on them.

- **Base**: ``OrgViewSet`` (on ``OrgAPIMixin``): the caller is a membership (an API token's or the
  signed-in session's), every queryset starts from the same selectors and permission policies
  as the pages, so another organization's id is a 404. ``permission`` is the capability to read;
  ``action_permissions`` names another one per action ("create", "partial_update", "advance").
- **Lists**: cursor pagination (``CursorPage``, ``?cursor=…&page_size=…``), filtering with
  django-filter and ``?ordering=``.
- **Errors**: one body, ``{"code", "message", "fields"}``, in the caller's language
  (``Accept-Language``); a refused business rule (``DomainError``) is ``400`` with code
  ``refused`` and the same message the page shows.
- **Writes** go through the services, inside one transaction. A record answers with an ``ETag``;
  ``PUT``/``PATCH``/``DELETE`` need ``If-Match`` with it (``428`` without, ``412`` when the record
  changed meanwhile), actions on a record check ``If-Match`` when it is sent.
- **Dates** are ISO 8601 with the Asia/Shanghai offset (``2026-12-01T09:30:00+08:00``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, ClassVar, NoReturn

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.functional import cached_property
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters, serializers, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from xuncha.tenancy import dangerously_unscoped
from xuncha.tenancy.api_errors import PreconditionFailed, PreconditionRequired
from xuncha.tenancy.pagination import CursorPage
from xuncha.tenancy.views import OrgAPIMixin

# --- Records ---------------------------------------------------------------------------------


def etag_for(data: Any) -> str:
    """A strong ETag of a record's representation (what the caller read)."""
    encoded = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder).encode()
    return f'"{hashlib.sha256(encoded).hexdigest()[:32]}"'


def _matches(header: str, etag: str) -> bool:
    wanted = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in wanted or etag in wanted


def choice_label(field: str, label: Any, what: str) -> serializers.CharField:
    """``<field>_display``: the label of a choice field's value, in the caller's language."""
    return serializers.CharField(
        source=f"get_{field}_display",
        read_only=True,
        label=label,
        help_text=f"The {what}'s label in the caller's language.",
    )


@extend_schema_field(OpenApiTypes.INT)
class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record named by its id, looked up only among ``scope(request)`` — what the
    caller may see or act on. Another organization's id reads as a record that does not exist."""

    def __init__(self, *, model: type[models.Model], scope: Callable[[Any], Any], **kwargs: Any):
        self.model, self.scope = model, scope
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet:
        request = self.context.get("request")
        if request is None or getattr(request, "membership", None) is None:
            with dangerously_unscoped():  # schema generation: no caller, no rows
                return self.model._default_manager.none()
        return self.scope(request)


class NotOffered:
    """A standard action (list, retrieve, …) a resource does not offer. DRF's router routes an
    action when the viewset class has the attribute, and ``OrgViewSet`` defines them all: this
    one reads as absent, so neither an address nor a schema operation is made for it. A
    collection under a parent offers list and create; its records, at their flat prefix, the
    rest: ``list = create = NOT_OFFERED``."""

    def __get__(self, instance: object, owner: type | None = None) -> NoReturn:
        raise AttributeError("not offered by this resource")


NOT_OFFERED: Any = NotOffered()


class OrgViewSet(OrgAPIMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    """Base of every tenant resource (see the module docstring).

    Subclasses name ``model``, ``permission`` (reading), ``action_permissions`` (writing),
    ``scoped_queryset()`` (from the app's selectors/policy) and, for writes, ``perform_create``,
    ``perform_update``, ``perform_destroy`` calling the service, each returning the record.
    Actions on a record use ``act(...)``.

    A collection under a parent record (``inspections/{inspection_pk}/problems/``) names
    ``parent_lookup = "inspection_pk"`` and ``parent_scope()`` (the parents the caller may read):
    ``self.parent`` is then resolved before anything else, so another organization's parent is
    a 404 whatever the body says."""

    pagination_class = CursorPage
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    ordering_fields: ClassVar[list[str]] = ["pk"]
    ordering: ClassVar[tuple[str, ...]] = ("pk",)
    action_permissions: ClassVar[dict[str, str | None]] = {}
    parent_lookup: ClassVar[str | None] = None
    model: type[models.Model]
    request: Request

    def get_required_permission(self) -> str | None:
        return self.action_permissions.get(self.action, self.permission)

    def permission_denied(
        self, request: Request, message: Any = None, code: Any = None
    ) -> NoReturn:
        """A member refused a ``hidden`` (confidential) resource is told it is not found."""
        if self.hidden and getattr(request, "membership", None) is not None:
            raise exceptions.NotFound()
        super().permission_denied(request, message=message, code=code)

    def parent_scope(self) -> models.QuerySet:
        """The parent records the caller may read (with ``parent_lookup``)."""
        raise NotImplementedError

    @cached_property
    def parent(self) -> Any:
        if self.parent_lookup is None:
            raise AttributeError(f"{type(self).__name__} has no parent_lookup")
        return get_object_or_404(self.parent_scope(), pk=self.kwargs[self.parent_lookup])

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # who the caller is, and may they at all
        if self.action is None or str(request.method).lower() not in self.http_method_names:
            return  # a method this route does not handle: 405, whatever the parent
        if self.parent_lookup is not None and not getattr(self, "swagger_fake_view", False):
            self.parent  # noqa: B018 - a missing parent is a 404 before the body is read

    def scoped_queryset(self) -> models.QuerySet:
        """The records the caller may read, from the app's selectors and permission policy."""
        raise NotImplementedError

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema reads the model only
            with dangerously_unscoped():
                return self.model._default_manager.none()
        return self.scoped_queryset()

    # Reading ------------------------------------------------------------------------------

    def represent(self, instance: models.Model, **kwargs: Any) -> Any:
        return self.get_serializer(instance, **kwargs).data

    def respond(self, instance: models.Model, *, status_code: int = 200) -> Response:
        """The record as the caller now sees it, with its ETag."""
        fresh = self.get_queryset().filter(pk=instance.pk).first() or instance
        data = self.get_serializer(fresh).data
        return Response(data, status=status_code, headers={"ETag": etag_for(data)})

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.represent(self.get_object())
        return Response(data, headers={"ETag": etag_for(data)})

    # Writing ------------------------------------------------------------------------------

    def locked_object(self, *, require_match: bool) -> Any:
        """The record, its row locked for this transaction, after checking ``If-Match``
        against what it is now (required for updates, checked when sent for actions)."""
        instance = self.get_object()
        self.lock_before(instance)
        type(instance)._default_manager.select_for_update().filter(pk=instance.pk).exists()
        instance = self.get_object()  # read again: another transaction may have just committed
        given = self.request.headers.get("If-Match")
        if given is None:
            if require_match:
                raise PreconditionRequired()
            return instance
        if not _matches(given, etag_for(self.represent(instance))):
            raise PreconditionFailed()
        return instance

    def lock_before(self, instance: Any) -> None:
        """Lock the rows the services lock before this record (none by default), so that an
        API call and a page lock in the same order and never wait on each other (a team's
        services lock its round first)."""

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            instance = self.perform_create(serializer)
        return self.respond(instance, status_code=201)

    def update(
        self, request: Request, *args: Any, partial: bool = False, **kwargs: Any
    ) -> Response:
        with transaction.atomic():
            instance = self.locked_object(require_match=True)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            instance = self.perform_update(serializer)
        return self.respond(instance)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.locked_object(require_match=True)
            self.perform_destroy(instance)
        return Response(status=204)

    def act(
        self,
        perform: Callable[[Any, dict[str, Any]], Any],
        *,
        serializer_class: type[serializers.Serializer] | None = None,
        status_code: int = 200,
    ) -> Response:
        """An action on one record (``POST …/{id}/advance/``): check the body with
        ``serializer_class``, lock the record, check ``If-Match`` when sent, call
        ``perform(record, data)`` (a service) and answer with the record it returns (or, when it
        returns no record, the record acted on)."""
        with transaction.atomic():
            instance = self.locked_object(require_match=False)  # a record not found is 404 first
            data: dict[str, Any] = {}
            if serializer_class is not None:
                context = self.get_serializer_context()
                body = serializer_class(data=self.request.data, context=context)
                body.is_valid(raise_exception=True)
                data = dict(body.validated_data)
            result = perform(instance, data)
        record = result if isinstance(result, models.Model) else instance
        return self.respond(record, status_code=status_code)

    @staticmethod
    def edited(serializer: Any, *fields: str) -> dict[str, Any]:
        """The record's ``fields`` as they are to be saved: what the caller sent, and for a
        partial update (PATCH) the record's own value for what it did not send."""
        sent = serializer.validated_data
        return {name: sent.get(name, getattr(serializer.instance, name)) for name in fields}

    def perform_create(self, serializer: Any) -> models.Model:
        raise exceptions.MethodNotAllowed(str(self.request.method))

    def perform_update(self, serializer: Any) -> models.Model:
        raise exceptions.MethodNotAllowed(str(self.request.method))

    def perform_destroy(self, instance: Any) -> None:
        raise exceptions.MethodNotAllowed(str(self.request.method))
