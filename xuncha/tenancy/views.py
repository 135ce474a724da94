"""Scoped bases for views: every routed tenant page or API view inherits one of them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from rest_framework import permissions


def check_permission(request: HttpRequest, permission: str | None) -> None:
    if request.membership is None or (
        permission is not None and not request.membership.has_perm(permission)
    ):
        raise PermissionDenied


class OrgViewMixin(LoginRequiredMixin):
    """Base of every tenant page: signed in, member of an organization, holding ``permission``.

    ``permission = None`` means "any member"; it must be said explicitly.
    """

    permission: str | None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not hasattr(self, "permission"):
            raise ImproperlyConfigured(f"{type(self).__name__} must declare `permission`.")
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.membership is None:
            return redirect("accounts:no_org")
        if request.membership.needs_second_factor(request.user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        check_permission(request, self.permission)
        return super().dispatch(request, *args, **kwargs)


class OrgPermission(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        membership = getattr(request, "membership", None)
        if membership is None or membership.needs_second_factor(request.user):
            return False
        permission = view.permission
        return permission is None or membership.has_perm(permission)


class OrgAPIMixin:
    """Base of every tenant API view; same rules as ``OrgViewMixin``."""

    permission_classes = [permissions.IsAuthenticated, OrgPermission]
    permission: str | None
