from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from accounts.api import UnitViewSet
from accounts.views.auth import healthz
from accounts.views.home import HomeView
from xuncha.tenancy.views import OrgAPIMixin

router = DefaultRouter()
router.include_root_view = False
router.register("units", UnitViewSet, basename="unit")


class SchemaView(OrgAPIMixin, SpectacularAPIView):
    permission = None


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("accounts.urls")),
    path("", include("rounds.urls")),
    path("api/", include((router.urls, "api"))),
    path("api/schema/", SchemaView.as_view(), name="api_schema"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz/", healthz, name="healthz"),
]
# Off unless enabled; when on, an OTPAdminSite (see xuncha.otp_admin): no sign-in without a code.
if settings.ADMIN_ENABLED:
    urlpatterns.append(path("admin/", admin.site.urls))
