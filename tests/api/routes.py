"""The API's routes as the tests see them: name, OpenAPI path, methods and the model each path
parameter names (shared by the schema and fuzzing tests)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

METHODS = ("get", "post", "put", "patch", "delete")
NOT_RESOURCES = {"api:schema", "api:docs"}


@dataclass(frozen=True)
class ApiRoute:
    name: str
    path: str  # as OpenAPI writes it: /api/problems/{id}/
    methods: frozenset[str]
    view: type

    def parameter_model(self, parameter: str) -> type[models.Model]:
        if parameter == "id":
            return self.view.model
        wanted = parameter.removesuffix("_pk")
        return next(m for m in apps.get_models() if m._meta.model_name == wanted)


def api_routes() -> list[ApiRoute]:
    api = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "api"
    )
    routes = []
    for entry in api.url_patterns:
        if not isinstance(entry, URLPattern) or "format" in entry.pattern.regex.groupindex:
            continue
        name = f"api:{entry.name}"
        if name in NOT_RESOURCES:
            continue
        path = "/api/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", str(entry.pattern))
        path = path.replace("^", "").replace("$", "").replace("{pk}", "{id}")
        view = entry.callback.cls
        methods = frozenset(
            m for m in entry.callback.actions if m in METHODS and m in view.http_method_names
        )
        routes.append(ApiRoute(name, path, methods, view))
    return routes
