"""Routes of the surveys app: the tenant's templates, an inspection's surveys, and the public
answer pages (``/s/``, ``/s/<token>/``, ``/a/<token>/survey/``: no sign-in, listed in
``xuncha.tenancy.PUBLIC_URL_NAMES``)."""

from django.urls import path

from surveys.views import public, team
from surveys.views import templates as template_views

app_name = "surveys"

urlpatterns = [
    path("survey-templates/", template_views.TemplateListView.as_view(), name="template_list"),
    path(
        "survey-templates/new/",
        template_views.TemplateCreateView.as_view(),
        name="template_create",
    ),
    path(
        "survey-templates/<int:pk>/",
        template_views.TemplateDetailView.as_view(),
        name="template_detail",
    ),
    path(
        "survey-templates/<int:pk>/edit/",
        template_views.TemplateEditView.as_view(),
        name="template_edit",
    ),
    path(
        "survey-templates/questions/<int:pk>/",
        template_views.TemplateQuestionEditView.as_view(),
        name="template_question_edit",
    ),
    path(
        "survey-templates/questions/<int:pk>/remove/",
        template_views.TemplateQuestionRemoveView.as_view(),
        name="template_question_remove",
    ),
    path("inspections/<int:pk>/surveys/", team.SurveyListView.as_view(), name="survey_list"),
    path(
        "inspections/<int:pk>/surveys/new/", team.SurveyCreateView.as_view(), name="survey_create"
    ),
    path("surveys/<int:pk>/", team.SurveyDetailView.as_view(), name="survey_detail"),
    path("surveys/<int:pk>/edit/", team.SurveyEditView.as_view(), name="survey_edit"),
    path("surveys/<int:pk>/leaders/", team.SurveySubjectsView.as_view(), name="survey_subjects"),
    path("surveys/<int:pk>/open/", team.SurveyOpenView.as_view(), name="survey_open"),
    path("surveys/<int:pk>/close/", team.SurveyCloseView.as_view(), name="survey_close"),
    path("surveys/<int:pk>/codes/", team.CodeBatchCreateView.as_view(), name="code_batch_create"),
    path(
        "surveys/code-sheets/<int:pk>/", team.CodeBatchPrintView.as_view(), name="code_batch_print"
    ),
    path("surveys/<int:pk>/results/", team.SurveyResultsView.as_view(), name="survey_results"),
    path("surveys/<int:pk>/texts/", team.SurveyTextsView.as_view(), name="survey_texts"),
    # Public: no sign-in.
    path("s/", public.survey_code, name="survey_code"),
    path("s/<str:token>/", public.survey_link, name="survey_link"),
    path("a/<str:token>/survey/", public.announcement_survey, name="announcement_survey"),
]
