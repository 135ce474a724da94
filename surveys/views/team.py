"""An inspection's surveys, for its team and the office: making one from a template, its
leaders, opening and closing it, the sheets of one-time codes, the aggregated results, and the
free-text answers (the team's only).

Who may do what is the inspection pages' rule (``InspectionAccessMixin``): set-up is "work"
(the team and the office's managers); the results, read from the answers, are "view" on a
``hidden`` page (anyone who may not read them — a liaison — is told 404); the free texts are
"team": the inspection's team only."""

from __future__ import annotations

from typing import Any

import segno
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView, View

from rounds.models import Inspection
from rounds.permissions import Action, can
from rounds.selectors.announcements import announcement_unit_list
from rounds.views.inspections import InspectionAccessMixin, InspectionFormView
from surveys import services
from surveys.capabilities import MANAGE_TEMPLATES
from surveys.forms import CodeBatchForm, SubjectsForm, SurveyCreateForm, SurveyEditForm
from surveys.models import CodeBatch, Survey, SurveyTemplate
from surveys.selectors import (
    answer_text_list,
    code_batch_list,
    response_code_list,
    survey_list,
    survey_question_list,
    survey_results,
    survey_subject_list,
)
from xuncha.tenancy.views import ConfirmationMixin, OrgViewMixin, ServiceFormMixin


def survey_url(survey_pk: int, name: str = "survey_detail") -> str:
    return reverse(f"surveys:{name}", args=[survey_pk])


def qr_svg(url: str, scale: int = 3) -> str:
    return segno.make(url, error="m").svg_inline(scale=scale, title=url)


class SurveyListView(OrgViewMixin, InspectionAccessMixin, ListView):
    model = Inspection
    template_name = "surveys/survey_list.html"
    paginate_by = 20

    def get_queryset(self) -> QuerySet[Survey]:
        return survey_list(inspection=self.inspection)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            can_work=self.can_work,
            can_manage_templates=self.request.membership.has_perm(MANAGE_TEMPLATES),
            **kwargs,
        )


class SurveyCreateView(InspectionFormView):
    model = Inspection
    access = "work"
    template_name = "surveys/survey_form.html"
    form_class = SurveyCreateForm
    title = gettext_lazy("New survey")

    def get_form_kwargs(self) -> dict[str, Any]:
        services.ensure_default_templates(org=self.request.org)
        templates = SurveyTemplate.objects.for_org(self.request.org).filter(is_active=True)
        return {
            **super().get_form_kwargs(),
            "templates": templates,
            "units": announcement_unit_list(inspection=self.inspection),
        }

    def get_initial(self) -> dict[str, Any]:
        return {"unit": self.inspection.unit_id, "expected_respondents": 0}

    def perform(self, form: SurveyCreateForm) -> str:
        self.survey = services.create_survey(
            inspection=self.inspection, actor=self.request.user, **form.cleaned_data
        )
        return _("Survey made: enter the leaders of its grid, then open it.")

    def get_success_url(self) -> str:
        return survey_url(self.survey.pk)


class SurveyAccessMixin(InspectionAccessMixin):
    """``self.survey`` from the URL's ``pk`` (``survey_of(pk)``), then the inspection's rule."""

    inspection_kwarg = "inspection_pk"

    def survey_of(self, request: HttpRequest, pk: int) -> Survey:
        surveys = Survey.objects.for_org(request.org).select_related("unit")
        return get_object_or_404(surveys, pk=pk)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not hasattr(self, request.method.lower()):
            return self.http_method_not_allowed(request, *args, **kwargs)  # type: ignore[attr-defined]
        self.survey = self.survey_of(request, kwargs["pk"])
        kwargs["inspection_pk"] = self.survey.inspection_id
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.survey.inspection = self.inspection
        return super().get_context_data(survey=self.survey, **kwargs)


class SurveyDetailView(OrgViewMixin, SurveyAccessMixin, TemplateView):
    model = Survey
    template_name = "surveys/survey_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        survey = self.survey
        link = ""
        if survey.open_link:
            link = self.request.build_absolute_uri(survey_url_public(survey))
        return super().get_context_data(
            questions=survey_question_list(survey=survey),
            subjects=survey_subject_list(survey=survey),
            batches=code_batch_list(survey=survey),
            open_url=link,
            open_qr=qr_svg(link) if link and survey.is_open else "",
            accepts=services.accepts_answers(survey),
            can_work=self.can_work,
            batch_form=CodeBatchForm(),
            **kwargs,
        )


def survey_url_public(survey: Survey) -> str:
    return reverse("surveys:survey_link", args=[survey.token])


class _SurveyFormView(OrgViewMixin, SurveyAccessMixin, ServiceFormMixin, TemplateView):
    model = Survey
    access = "work"
    template_name = "surveys/survey_form.html"
    form_class: Any = None
    title: Any = ""

    def get_form(self) -> Any:
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data=data, initial=self.get_initial())

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(title=self.title, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self) -> str:
        return survey_url(self.survey.pk)


class SurveyEditView(_SurveyFormView):
    form_class = SurveyEditForm
    title = gettext_lazy("Survey settings")

    def get_initial(self) -> dict[str, Any]:
        survey = self.survey
        return {
            "title": survey.title,
            "expected_respondents": survey.expected_respondents,
            "open_link": survey.open_link,
        }

    def perform(self, form: SurveyEditForm) -> str:
        services.update_survey(survey=self.survey, actor=self.request.user, **form.cleaned_data)
        return _("Survey saved.")


class SurveySubjectsView(_SurveyFormView):
    form_class = SubjectsForm
    title = gettext_lazy("Leaders graded")

    def get_initial(self) -> dict[str, Any]:
        rows = survey_subject_list(survey=self.survey)
        return {"subjects": "\n".join(f"{row.name} {row.title}".strip() for row in rows)}

    def perform(self, form: SubjectsForm) -> str:
        subjects = services.parse_subjects(form.cleaned_data["subjects"])
        services.set_subjects(survey=self.survey, actor=self.request.user, subjects=subjects)
        return _("Leaders saved.")


class CodeBatchCreateView(_SurveyFormView):
    form_class = CodeBatchForm
    title = gettext_lazy("Print one-time codes")

    def perform(self, form: CodeBatchForm) -> str:
        self.batch = services.issue_codes(
            survey=self.survey, actor=self.request.user, **form.cleaned_data
        )
        return _("%(count)s codes made: print the sheet.") % {"count": self.batch.count}

    def get_success_url(self) -> str:
        return reverse("surveys:code_batch_print", args=[self.batch.pk])


class SurveyOpenView(OrgViewMixin, SurveyAccessMixin, ConfirmationMixin, View):
    model = Survey
    access = "work"
    confirm_button = gettext_lazy("Open the survey")

    def confirm_title(self) -> str:
        return _("Open the survey “%(title)s”?") % {"title": self.survey.title}

    def confirm_effects(self) -> list[str]:
        return [
            _(
                "Its codes and open link take answers from then on, until it is closed or the "
                "on-site stage ends; its leaders can no longer change once it has answers."
            )
        ]

    def perform(self, data: dict[str, Any]) -> str:
        services.open_survey(survey=self.survey, actor=self.request.user)
        return _("The survey is open.")

    def get_success_url(self) -> str:
        return survey_url(self.survey.pk)


class SurveyCloseView(SurveyOpenView):
    confirm_button = gettext_lazy("Close the survey")

    def confirm_title(self) -> str:
        return _("Close the survey “%(title)s”?") % {"title": self.survey.title}

    def confirm_effects(self) -> list[str]:
        return [_("Its codes and open link stop taking answers; its results stay.")]

    def perform(self, data: dict[str, Any]) -> str:
        services.close_survey(survey=self.survey, actor=self.request.user)
        return _("The survey is closed.")


class CodeBatchPrintView(OrgViewMixin, SurveyAccessMixin, TemplateView):
    """The sheet of slips: on each, the survey, its code, where to type it and a QR code."""

    model = CodeBatch
    access = "work"
    template_name = "surveys/code_sheet.html"

    def survey_of(self, request: HttpRequest, pk: int) -> Survey:
        batches = CodeBatch.objects.for_org(request.org).select_related("survey__unit")
        self.batch = get_object_or_404(batches, pk=pk)
        return self.batch.survey

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        address = self.request.build_absolute_uri(reverse("surveys:survey_code"))
        slips = [
            {
                "code": row.code,
                "used": row.used_on is not None,
                "qr": qr_svg(f"{address}?code={row.code}", 2),
            }
            for row in response_code_list(batch=self.batch)
        ]
        return super().get_context_data(batch=self.batch, slips=slips, address=address, **kwargs)


class SurveyResultsView(OrgViewMixin, SurveyAccessMixin, TemplateView):
    """The aggregated results: response rate, satisfaction, each leader's grades."""

    model = Survey
    hidden = True
    template_name = "surveys/results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            results=survey_results(survey=self.survey),
            is_team=can(self.request.membership, Action.TEAM, self.inspection),
            **kwargs,
        )


class SurveyTextsView(OrgViewMixin, SurveyAccessMixin, ListView):
    """The free-text answers: the inspection's team only (anybody else: 404)."""

    model = Survey
    hidden = True
    access = "team"
    template_name = "surveys/texts.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Any]:
        if not hasattr(self, "survey"):
            raise Http404
        return answer_text_list(survey=self.survey)
