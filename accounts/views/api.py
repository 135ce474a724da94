"""The API's own pages: its OpenAPI schema and the documentation page that reads it."""

from __future__ import annotations

from django.views.generic import TemplateView
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

from xuncha.tenancy.views import OrgAPIMixin, OrgViewMixin


class SchemaView(OrgAPIMixin, SpectacularAPIView):
    """The OpenAPI 3 schema (JSON, or YAML with ``?format=yaml``), for any member; a refusal is
    in the error shape like any other."""

    permission = None
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]


class ApiDocsView(OrgViewMixin, TemplateView):
    """Swagger UI over the schema, from vendored files (drf-spectacular-sidecar): no CDN, and no
    inline script (the page's CSP allows none)."""

    permission = None
    template_name = "api/docs.html"
