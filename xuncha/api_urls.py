"""The API's routes: each app lists its resources in ``<app>/api.py`` as ``ROUTES`` —
``(prefix, viewset, basename)``; a collection under a parent record is routed
``"<parents>/(?P<<parent>_pk>[^/.]+)/<children>"`` (its records then live at
``<children>/{id}/``), so another organization's parent id is a 404 as a record's is."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import ROUTES as ACCOUNTS_ROUTES
from accounts.views.api import ApiDocsView, SchemaView
from clues.api import ROUTES as CLUES_ROUTES
from documents.api import ROUTES as DOCUMENTS_ROUTES
from interviews.api import ROUTES as INTERVIEWS_ROUTES
from rounds.api import ROUTES as ROUNDS_ROUTES
from surveys.api import ROUTES as SURVEYS_ROUTES

router = DefaultRouter()
router.include_root_view = False
APP_ROUTES = [
    *ACCOUNTS_ROUTES,
    *ROUNDS_ROUTES,
    *SURVEYS_ROUTES,
    *INTERVIEWS_ROUTES,
    *DOCUMENTS_ROUTES,
    *CLUES_ROUTES,
]
for prefix, viewset, basename in APP_ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    *router.urls,
]
