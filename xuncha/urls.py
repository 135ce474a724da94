from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts.views.auth import healthz
from accounts.views.home import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("accounts.urls")),
    path("", include("rounds.urls")),
    path("", include("surveys.urls")),
    path("", include("interviews.urls")),
    path("", include("documents.urls")),
    path("", include("clues.urls")),
    path("api/", include(("xuncha.api_urls", "api"))),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz/", healthz, name="healthz"),
]
# Off unless enabled; when on, an OTPAdminSite (see xuncha.otp_admin): no sign-in without a code.
if settings.ADMIN_ENABLED:
    urlpatterns.append(path("admin/", admin.site.urls))

handler404 = "xuncha.tenancy.api_errors.page_not_found"
handler500 = "xuncha.tenancy.api_errors.server_error"
