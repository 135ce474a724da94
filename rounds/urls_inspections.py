"""Routes of inspections: list, detail, stage moves, schedule, settings, preparation,
work plan, problems and look-backs."""

from django.urls import path

from rounds.views import inspections as views

urlpatterns = [
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path(
        "inspections/settings/",
        views.InspectionSettingsView.as_view(),
        name="inspection_settings",
    ),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path(
        "inspections/<int:pk>/advance/",
        views.InspectionAdvanceView.as_view(),
        name="inspection_advance",
    ),
    path(
        "inspections/<int:pk>/reopen/",
        views.InspectionReopenView.as_view(),
        name="inspection_reopen",
    ),
    path(
        "inspections/<int:pk>/schedule/",
        views.InspectionScheduleView.as_view(),
        name="inspection_schedule",
    ),
    path(
        "inspections/<int:pk>/work-plan/",
        views.WorkPlanView.as_view(),
        name="inspection_workplan",
    ),
    path(
        "inspections/<int:pk>/look-back/",
        views.LookBackCreateView.as_view(),
        name="inspection_lookback",
    ),
    path(
        "inspections/<int:inspection_pk>/tasks/new/",
        views.TaskCreateView.as_view(),
        name="worktask_create",
    ),
    path(
        "inspections/<int:pk>/tasks/remove/",
        views.TaskRemoveView.as_view(),
        name="worktask_delete",
    ),
    path(
        "inspections/<int:inspection_pk>/milestones/new/",
        views.MilestoneCreateView.as_view(),
        name="milestone_create",
    ),
    path(
        "inspections/<int:pk>/milestones/done/",
        views.MilestoneDoneView.as_view(),
        name="milestone_done",
    ),
    path(
        "inspections/<int:inspection_pk>/intelligence/requests/new/",
        views.IntelligenceRequestCreateView.as_view(),
        name="intelligence_request_create",
    ),
    path(
        "inspections/<int:inspection_pk>/intelligence/answer/",
        views.IntelligenceAnswerView.as_view(),
        name="intelligence_request_answer",
    ),
    path(
        "inspections/<int:inspection_pk>/intelligence/new/",
        views.IntelligenceItemCreateView.as_view(),
        name="intelligence_item_create",
    ),
    path(
        "inspections/<int:inspection_pk>/problems/new/",
        views.ProblemCreateView.as_view(),
        name="problem_create",
    ),
    path(
        "inspections/<int:pk>/problems/recheck/",
        views.ProblemRecheckView.as_view(),
        name="problem_recheck",
    ),
]
