"""Routes of the interviews app: an inspection's interviews and checklists (its team's), and
the tenant's templates (the office's)."""

from django.urls import path

from interviews import views

app_name = "interviews"

urlpatterns = [
    path(
        "inspections/<int:pk>/interviews/",
        views.InterviewListView.as_view(),
        name="interview_list",
    ),
    path(
        "inspections/<int:pk>/interviews/new/",
        views.InterviewCreateView.as_view(),
        name="interview_create",
    ),
    path("interviews/<int:pk>/", views.InterviewDetailView.as_view(), name="interview_detail"),
    path("interviews/<int:pk>/edit/", views.InterviewEditView.as_view(), name="interview_edit"),
    path(
        "interviews/<int:pk>/delete/",
        views.InterviewDeleteView.as_view(),
        name="interview_delete",
    ),
    path("inspections/<int:pk>/checklists/", views.ChecklistView.as_view(), name="checklist"),
    path(
        "inspections/<int:pk>/checklists/start/",
        views.ChecklistStartView.as_view(),
        name="checklist_start",
    ),
    path(
        "checklist-items/<int:pk>/tick/",
        views.ChecklistItemTickView.as_view(),
        name="checklist_item_tick",
    ),
    path(
        "checklist-items/<int:pk>/untick/",
        views.ChecklistItemUntickView.as_view(),
        name="checklist_item_untick",
    ),
    path("interview-templates/", views.TemplateListView.as_view(), name="templates"),
    path(
        "interview-templates/defaults/",
        views.DefaultTemplatesView.as_view(),
        name="templates_defaults",
    ),
    path(
        "interview-templates/outlines/new/",
        views.OutlineFormView.as_view(),
        name="outline_create",
    ),
    path(
        "interview-templates/outlines/<int:pk>/",
        views.OutlineFormView.as_view(),
        name="outline_edit",
    ),
    path(
        "interview-templates/checklists/new/",
        views.ChecklistTemplateFormView.as_view(),
        name="checklist_template_create",
    ),
    path(
        "interview-templates/checklists/<int:pk>/",
        views.ChecklistTemplateFormView.as_view(),
        name="checklist_template_edit",
    ),
    path(
        "interview-templates/settings/",
        views.InterviewSettingsView.as_view(),
        name="settings",
    ),
]
