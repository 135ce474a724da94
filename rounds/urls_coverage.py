"""Coverage plans and extension visits."""

from django.urls import path

from rounds.views import coverage

urlpatterns = [
    path("plans/", coverage.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", coverage.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", coverage.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", coverage.PlanUpdateView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/targets/add/", coverage.TargetAddView.as_view(), name="plan_target_add"),
    path(
        "plans/targets/<int:pk>/remove/",
        coverage.TargetRemoveView.as_view(),
        name="plan_target_remove",
    ),
    path(
        "inspections/<int:inspection_pk>/extension-visits/",
        coverage.ExtensionVisitListView.as_view(),
        name="extension_visit_list",
    ),
    path(
        "inspections/<int:inspection_pk>/extension-visits/new/",
        coverage.ExtensionVisitCreateView.as_view(),
        name="extension_visit_create",
    ),
]
