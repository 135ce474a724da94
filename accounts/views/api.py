"""The API's own pages: its OpenAPI schema and the documentation page that reads it."""

from __future__ import annotations

from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView

from xuncha.tenancy.views import OrgAPIMixin, OrgViewMixin


class SchemaView(OrgAPIMixin, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML, or JSON with ``?format=json``), for any member."""

    permission = None


class ApiDocsView(OrgViewMixin, TemplateView):
    """Swagger UI over the schema, from vendored files (drf-spectacular-sidecar): no CDN, and no
    inline script (the page's CSP allows none)."""

    permission = None
    template_name = "api/docs.html"
