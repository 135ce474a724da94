"""The tenant's survey templates (问卷模板): list, make, edit and their questions. Editing a
template never changes a survey already made from it (the survey keeps its own copy)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, View

from surveys import services
from surveys.capabilities import MANAGE_TEMPLATES
from surveys.forms import QuestionForm, TemplateForm, options_text
from surveys.models import SurveyTemplate, TemplateQuestion
from surveys.selectors import survey_template_list, template_question_list
from xuncha.tenancy.views import ConfirmationMixin, OrgViewMixin, ServiceFormView


def _template_url(template_pk: int) -> str:
    return reverse("surveys:template_detail", args=[template_pk])


class TemplateListView(OrgViewMixin, ListView):
    permission = MANAGE_TEMPLATES
    template_name = "surveys/templates/list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[SurveyTemplate]:
        services.ensure_default_templates(org=self.request.org)
        return survey_template_list(org=self.request.org).order_by("name", "pk")


class TemplateCreateView(ServiceFormView):
    permission = MANAGE_TEMPLATES
    template_name = "surveys/templates/form.html"
    form_class = TemplateForm
    extra_context = {"title": gettext_lazy("New survey template")}

    def perform(self, form: TemplateForm) -> str:
        data = form.cleaned_data
        self.template = services.create_template(
            org=self.request.org,
            actor=self.request.user,
            name=data["name"],
            purpose=data["purpose"],
            description=data["description"],
        )
        return _("Template saved: add its questions.")

    def get_success_url(self) -> str:
        return _template_url(self.template.pk)


class TemplateDetailView(ServiceFormView):
    """The template's settings and questions, with the form adding a question."""

    permission = MANAGE_TEMPLATES
    model = SurveyTemplate
    template_name = "surveys/templates/detail.html"
    form_class = QuestionForm

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        allowed = request.method.lower() in self.http_method_names and hasattr(
            self, request.method.lower()
        )
        if allowed and request.user.is_authenticated and getattr(request, "org", None):
            self.template = get_object_or_404(
                SurveyTemplate.objects.for_org(request.org), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        template = self.template
        settings_form = TemplateForm(
            initial={
                "name": template.name,
                "purpose": template.purpose,
                "description": template.description,
                "is_active": template.is_active,
            }
        )
        return super().get_context_data(
            template=template,
            questions=template_question_list(template=template),
            settings_form=settings_form,
            **kwargs,
        )

    def perform(self, form: QuestionForm) -> str:
        data = form.cleaned_data
        services.save_template_question(
            template=self.template,
            actor=self.request.user,
            kind=data["kind"],
            text=data["text"],
            options=services.parse_options(data["options"]),
            scale=data["scale"],
            required=data["required"],
        )
        return _("Question added.")

    def get_success_url(self) -> str:
        return _template_url(self.template.pk)


class TemplateEditView(TemplateDetailView):
    """The template's settings (posted from the template's page; a GET goes there)."""

    form_class = TemplateForm  # type: ignore[assignment]

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect(_template_url(self.template.pk))

    def perform(self, form: TemplateForm) -> str:  # type: ignore[override]
        data = form.cleaned_data
        services.update_template(
            template=self.template,
            actor=self.request.user,
            name=data["name"],
            purpose=data["purpose"],
            description=data["description"],
            is_active=data["is_active"],
        )
        return _("Template saved.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["settings_form"], context["form"] = context["form"], QuestionForm()
        return context


class _QuestionMixin:
    permission = MANAGE_TEMPLATES
    model = TemplateQuestion
    request: Any

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        allowed = hasattr(self, request.method.lower())
        if allowed and request.user.is_authenticated and getattr(request, "org", None):
            self.question = get_object_or_404(
                TemplateQuestion.objects.for_org(request.org).select_related("template"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_success_url(self) -> str:
        return _template_url(self.question.template_id)


class TemplateQuestionEditView(_QuestionMixin, ServiceFormView):
    template_name = "surveys/templates/question.html"
    form_class = QuestionForm

    def get_initial(self) -> dict[str, Any]:
        question = self.question
        return {
            "kind": question.kind,
            "text": question.text,
            "options": options_text(question.options),
            "scale": question.scale,
            "required": question.required,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(question=self.question, **kwargs)

    def perform(self, form: QuestionForm) -> str:
        data = form.cleaned_data
        services.save_template_question(
            template=self.question.template,
            actor=self.request.user,
            question=self.question,
            kind=data["kind"],
            text=data["text"],
            options=services.parse_options(data["options"]),
            scale=data["scale"],
            required=data["required"],
        )
        return _("Question saved.")


class TemplateQuestionRemoveView(_QuestionMixin, OrgViewMixin, ConfirmationMixin, View):
    confirm_button = gettext_lazy("Remove")

    def confirm_title(self) -> str:
        return _("Remove the question “%(text)s”?") % {"text": self.question.text}

    def confirm_effects(self) -> list[str]:
        return [_("Surveys already made from the template keep it.")]

    def perform(self, data: dict[str, Any]) -> str:
        services.remove_template_question(question=self.question, actor=self.request.user)
        return _("Question removed.")
