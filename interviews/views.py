"""Pages of the interviews app.

Interviews are the confidential records of an inspection's team: every interview page is
``hidden`` with access "team" (reading) or "team_work" (changing), so the office, the
leadership, a liaison and another team are all told 404. The checklist overview (item texts,
done or missing, no notes) is for whoever sees the inspection; only the team gets the links
to the interviews that did the items. The tenant's templates and rule are the office's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from documents.selectors import document_request_list
from interviews import services
from interviews.capabilities import MANAGE_INTERVIEW_TEMPLATES
from interviews.forms import (
    ChecklistTemplateForm,
    DocumentTickForm,
    InterviewFilterForm,
    InterviewForm,
    InterviewSettingsForm,
    OutlineTemplateForm,
)
from interviews.models import ChecklistItem, ChecklistTemplate, Interview, OutlineTemplate
from interviews.selectors import (
    checklist_item_all,
    checklist_list,
    checklist_template_list,
    interview_get,
    interview_list,
    interview_settings,
    outline_template_list,
)
from rounds.models import Inspection
from rounds.permissions import Action, can
from rounds.views.inspections import InspectionAccessMixin, InspectionFormView
from xuncha.tenancy.views import (
    ConfirmationMixin,
    OrgViewMixin,
    ServiceActionMixin,
    ServiceFormMixin,
    ServiceFormView,
)


def _list_url(inspection_pk: int) -> str:
    return reverse("interviews:interview_list", args=[inspection_pk])


def _checklist_url(inspection_pk: int) -> str:
    return reverse("interviews:checklist", args=[inspection_pk])


# --- Interviews ------------------------------------------------------------------------------


class InterviewListView(OrgViewMixin, InspectionAccessMixin, ListView):
    """The inspection's interviews, filtered by category and method."""

    model = Inspection
    hidden = True
    access = "team"
    template_name = "interviews/interview_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Interview]:
        self.filters = InterviewFilterForm(self.request.GET)
        wanted = self.filters.cleaned_data if self.filters.is_valid() else {}
        return interview_list(
            inspection=self.inspection,
            category=wanted.get("category", ""),
            method=wanted.get("method", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filters=self.filters, can_record=self.can_work and not self.is_closed, **kwargs
        )


class InterviewCreateView(InspectionFormView):
    """Record an interview the team held, ticking the checklist items it covers."""

    model = Inspection
    hidden = True
    access = "team_work"
    template_name = "interviews/interview_form.html"
    form_class = InterviewForm
    title = gettext_lazy("Record an interview")

    def get_form_kwargs(self) -> dict[str, Any]:
        # The tenant's default outlines and checklists, the first time anybody records one.
        services.ensure_default_templates(org=self.request.org)
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def perform(self, form: InterviewForm) -> str:
        self.interview = services.record_interview(
            inspection=self.inspection,
            actor=self.request.user,
            details=form.details(),
            items=list(form.cleaned_data["items"]),
        )
        return _("Interview recorded.")

    def get_success_url(self) -> str:
        return reverse("interviews:interview_detail", args=[self.interview.pk])


class InterviewRecordMixin(InspectionAccessMixin):
    """An interview's own pages (``interviews/<pk>/``): the interview is found in the
    organization, then its inspection's team rule applies (404 for anybody else)."""

    model = Interview
    hidden = True
    access = "team"
    inspection_kwarg = "inspection_pk"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not hasattr(self, request.method.lower()):
            return self.http_method_not_allowed(request, *args, **kwargs)  # type: ignore[attr-defined]
        interview = interview_get(org=request.org, pk=kwargs["pk"])
        if interview is None:
            raise Http404
        self.interview = interview
        return super().dispatch(request, *args, inspection_pk=interview.inspection_id, **kwargs)


class InterviewDetailView(OrgViewMixin, InterviewRecordMixin, TemplateView):
    hidden = True  # OrgViewMixin's False comes first in the bases
    template_name = "interviews/interview_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        interview = self.interview
        return super().get_context_data(
            interview=interview,
            interviewers=[seat.inspector for seat in interview.seats.all()],
            questions=interview.outline_questions,
            ticked=list(interview.ticked_items.all()),
            can_change=self.can_work and not self.is_closed,
            **kwargs,
        )


class InterviewEditView(OrgViewMixin, InterviewRecordMixin, ServiceFormMixin, FormView):
    hidden = True  # OrgViewMixin's False comes first in the bases
    access = "team_work"
    template_name = "interviews/interview_form.html"
    form_class = InterviewForm
    title = gettext_lazy("Edit the interview")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "inspection": self.inspection,
            "interview": self.interview,
        }

    def get_initial(self) -> dict[str, Any]:
        interview = self.interview
        names = [name for name in InterviewForm.base_fields if hasattr(interview, name)]
        initial = {name: getattr(interview, name) for name in names}
        initial["interviewers"] = [seat.inspector_id for seat in interview.seats.all()]
        initial["items"] = [item.pk for item in interview.ticked_items.all()]
        initial["outline"] = interview.outline_id
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(interview=self.interview, title=self.title, **kwargs)

    def perform(self, form: InterviewForm) -> str:
        services.update_interview(
            interview=self.interview,
            actor=self.request.user,
            details=form.details(),
            items=list(form.cleaned_data["items"]),
        )
        return _("Interview saved.")

    def get_success_url(self) -> str:
        return reverse("interviews:interview_detail", args=[self.interview.pk])


class InterviewDeleteView(OrgViewMixin, InterviewRecordMixin, ConfirmationMixin, View):
    """POST only: delete the interview, after confirmation; its checklist items are missing
    again."""

    hidden = True  # OrgViewMixin's False comes first in the bases

    access = "team_work"
    confirm_button = gettext_lazy("Delete")

    def confirm_title(self) -> str:
        return _("Delete the interview with %(name)s?") % {"name": self.interview}

    def confirm_effects(self) -> list[str]:
        ticked = [item.text for item in self.interview.ticked_items.all()]
        effects = [_("Its notes are deleted with it; its 修改记录 keeps who deleted it.")]
        if ticked:
            effects.append(
                _("These checklist items become missing again: %(items)s.")
                % {"items": "、".join(ticked)}
            )
        return effects

    def perform(self, data: dict[str, Any]) -> str:
        services.delete_interview(interview=self.interview, actor=self.request.user)
        return _("Interview deleted.")

    def get_success_url(self) -> str:
        return _list_url(self.inspection.pk)

    def get_failure_url(self) -> str:
        return reverse("interviews:interview_detail", args=[self.interview.pk])


# --- The inspection's checklists -------------------------------------------------------------


class ChecklistView(OrgViewMixin, InspectionAccessMixin, TemplateView):
    """五必查、六必问、四必谈 of the inspection: what is done, by which interview or document,
    and what is missing."""

    model = Inspection
    hidden = True
    access = "view"
    template_name = "interviews/checklist.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        lists = checklist_list(inspection=self.inspection)
        items = [item for checklist in lists for item in checklist.items.all()]
        missing = sum(1 for item in items if not item.is_done)
        return super().get_context_data(
            checklists=lists,
            done=len(items) - missing,
            missing=missing,
            is_team=can(self.request.membership, Action.TEAM, self.inspection),
            can_work=self.can_work,
            requests=list(document_request_list(inspection=self.inspection)),
            **kwargs,
        )


class ChecklistStartView(OrgViewMixin, InspectionAccessMixin, ServiceActionMixin, View):
    """POST only: copy the tenant's checklists onto the inspection."""

    model = Inspection
    hidden = True
    access = "work"

    def perform(self, data: dict[str, Any]) -> str:
        made = services.start_checklists(inspection=self.inspection, actor=self.request.user)
        if not made:
            return _("The checklists were already started.")
        return _("Checklists started: %(names)s.") % {"names": "、".join(c.name for c in made)}

    def get_success_url(self) -> str:
        return _checklist_url(self.inspection.pk)


class ChecklistItemMixin(InspectionAccessMixin):
    """An item's actions (``checklist-items/<pk>/…``): the item is found in the organization,
    then the inspection's "work" rule applies."""

    model = ChecklistItem
    hidden = True
    access = "work"
    inspection_kwarg = "inspection_pk"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not hasattr(self, request.method.lower()):
            return self.http_method_not_allowed(request, *args, **kwargs)  # type: ignore[attr-defined]
        self.item = get_object_or_404(checklist_item_all(org=request.org), pk=kwargs["pk"])
        return super().dispatch(request, *args, inspection_pk=self.item.inspection_id, **kwargs)

    def get_success_url(self) -> str:
        return f"{_checklist_url(self.inspection.pk)}#item-{self.item.pk}"


class ChecklistItemTickView(OrgViewMixin, ChecklistItemMixin, ServiceActionMixin, View):
    """POST only: mark the item done by the document named."""

    hidden = True  # OrgViewMixin's False comes first in the bases

    form_class = DocumentTickForm
    invalid_message = gettext_lazy("Name the document that covers the item.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def perform(self, data: dict[str, Any]) -> str:
        services.tick_item(
            item=self.item,
            actor=self.request.user,
            document_note=data["document_note"],
            document_request=data["document_request"],
        )
        return _("“%(item)s” is done.") % {"item": self.item.text}


class ChecklistItemUntickView(OrgViewMixin, ChecklistItemMixin, ServiceActionMixin, View):
    """POST only: mark the item missing again."""

    hidden = True  # OrgViewMixin's False comes first in the bases

    def perform(self, data: dict[str, Any]) -> str:
        services.untick_item(item=self.item, actor=self.request.user)
        return _("“%(item)s” is missing again.") % {"item": self.item.text}


# --- The tenant's templates and rule ---------------------------------------------------------


class TemplateListView(OrgViewMixin, TemplateView):
    """The tenant's interview outlines and checklist templates, and its interview rule."""

    permission = MANAGE_INTERVIEW_TEMPLATES
    template_name = "interviews/templates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        org = self.request.org
        return super().get_context_data(
            outlines=outline_template_list(org=org),
            checklists=checklist_template_list(org=org),
            settings=interview_settings(org=org),
            **kwargs,
        )


class DefaultTemplatesView(OrgViewMixin, ServiceActionMixin, View):
    """POST only: add the default outlines and checklists (once per tenant)."""

    permission = MANAGE_INTERVIEW_TEMPLATES

    def perform(self, data: dict[str, Any]) -> str:
        if services.ensure_default_templates(org=self.request.org):
            return _("The default templates were added.")
        return _("The default templates were added before; edit them here.")

    def get_success_url(self) -> str:
        return reverse("interviews:templates")


class _TemplateFormView(ServiceFormView):
    permission = MANAGE_INTERVIEW_TEMPLATES
    template_name = "interviews/template_form.html"
    title: Any = ""
    template: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=self.title, **kwargs)

    def get_success_url(self) -> str:
        return reverse("interviews:templates")


class OutlineFormView(_TemplateFormView):
    form_class = OutlineTemplateForm
    model = OutlineTemplate
    title = gettext_lazy("Interview outline")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "pk" in kwargs and request.user.is_authenticated and request.membership is not None:
            self.template = get_object_or_404(
                outline_template_list(org=request.org), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        if self.template is None:
            return {"active": True}
        row = self.template
        return {
            "name": row.name,
            "role": row.role,
            "questions": "\n".join(row.questions),
            "active": row.active,
        }

    def perform(self, form: OutlineTemplateForm) -> str:
        services.save_outline_template(
            org=self.request.org,
            actor=self.request.user,
            template=self.template,
            **form.cleaned_data,
        )
        return _("Outline saved.")


class ChecklistTemplateFormView(_TemplateFormView):
    form_class = ChecklistTemplateForm
    model = ChecklistTemplate
    title = gettext_lazy("Checklist template")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "pk" in kwargs and request.user.is_authenticated and request.membership is not None:
            rows = checklist_template_list(org=request.org)
            self.template = get_object_or_404(rows, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        if self.template is None:
            return {"active": True}
        row = self.template
        return {
            "name": row.name,
            "evidence": row.evidence,
            "items": "\n".join(row.items),
            "active": row.active,
        }

    def perform(self, form: ChecklistTemplateForm) -> str:
        services.save_checklist_template(
            org=self.request.org,
            actor=self.request.user,
            template=self.template,
            **form.cleaned_data,
        )
        return _("Checklist template saved; inspections whose checklists started keep theirs.")


class InterviewSettingsView(ServiceFormView):
    permission = MANAGE_INTERVIEW_TEMPLATES
    template_name = "interviews/template_form.html"
    form_class = InterviewSettingsForm

    def get_initial(self) -> dict[str, Any]:
        row = interview_settings(org=self.request.org)
        return {"min_interviewers_in_person": row.min_interviewers_in_person}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Interview rule"), **kwargs)

    def perform(self, form: InterviewSettingsForm) -> str:
        services.save_interview_settings(
            org=self.request.org, actor=self.request.user, **form.cleaned_data
        )
        return _("Interview rule saved.")

    def get_success_url(self) -> str:
        return reverse("interviews:templates")
