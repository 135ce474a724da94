"""Routes to archive, unarchive and delete coverage plans and rounds."""

from django.urls import path

from rounds.views import archive

urlpatterns = [
    path("plans/<int:pk>/archive/", archive.PlanArchiveView.as_view(), name="plan_archive"),
    path("plans/<int:pk>/unarchive/", archive.PlanUnarchiveView.as_view(), name="plan_unarchive"),
    path("plans/<int:pk>/delete/", archive.PlanDeleteView.as_view(), name="plan_delete"),
    path("rounds/<int:pk>/archive/", archive.RoundArchiveView.as_view(), name="round_archive"),
    path(
        "rounds/<int:pk>/unarchive/", archive.RoundUnarchiveView.as_view(), name="round_unarchive"
    ),
    path("rounds/<int:pk>/delete/", archive.RoundDeleteView.as_view(), name="round_delete"),
]
