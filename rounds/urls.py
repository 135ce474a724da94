"""Routes of the rounds app, one module per area."""

from django.urls import include, path

app_name = "rounds"

urlpatterns = [
    path("", include("rounds.urls_coverage")),
    path("", include("rounds.urls_pool")),
    path("", include("rounds.urls_teams")),
    path("", include("rounds.urls_inspections")),
    path("", include("rounds.urls_archive")),
    path("", include("rounds.urls_announcements")),
]
