"""The surveys app's API resources: ``ROUTES`` (see ``xuncha.api_urls``).

- ``survey-templates``: the tenant's questionnaires (read).
- ``inspections/{id}/surveys``: an inspection's surveys (list, make one from a template).
- ``surveys/{id}``: one survey (read; open, close, set its leaders, print a sheet of codes,
  read its aggregated results).

There is no API for the answers: the results are aggregated, the free texts are read on the
team's page only. A sheet of codes answers with its codes (the team prints them with its own
tool if it likes; the page prints them again), codes being what the team hands out anyway."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Unit
from rounds.api.inspection_parts.base import (
    InspectionPartCollection,
    InspectionPartRecord,
    collection_inspection,
    viewable_parts,
)
from rounds.capabilities import VIEW_INSPECTIONS
from rounds.models import Inspection
from rounds.permissions import Action
from rounds.selectors.announcements import announcement_unit_list
from surveys import services
from surveys.models import CodeBatch, Survey, SurveyTemplate
from surveys.selectors import (
    SurveyResults,
    response_code_list,
    survey_list,
    survey_results,
    survey_template_list,
)
from xuncha.tenancy.api import NOT_OFFERED, OrgViewSet, ScopedRelatedField, choice_label

INSPECTION = r"inspections/(?P<inspection_pk>[^/.]+)"


def _text(label: Any, help_text: str, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(read_only=True, label=label, help_text=help_text, **kwargs)


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, label=_("ID"), help_text="The question's id.")
    position = serializers.IntegerField(
        read_only=True, label=_("position"), help_text="Its place in the questionnaire."
    )
    kind = _text(_("kind"), "single, multiple, rating, text or grid (each leader graded).")
    text = _text(_("question"), "The question as respondents read it.")
    options = serializers.JSONField(
        read_only=True,
        label=_("options"),
        help_text="For a choice question: [{key, label, positive}]; positive options count as "
        "satisfied. A grid's grades are good, fairly_good, average, poor.",
    )
    scale = serializers.IntegerField(
        read_only=True, label=_("rating scale"), help_text="A rating runs from 1 to this."
    )
    required = serializers.BooleanField(
        read_only=True, label=_("required"), help_text="Whether it must be answered."
    )


class TemplateSerializer(serializers.ModelSerializer):
    purpose = _text(
        _("purpose"), "evaluation, satisfaction, rectification_satisfaction or team_evaluation."
    )
    purpose_display = choice_label("purpose", _("purpose"), "purpose")
    questions = QuestionSerializer(
        many=True, read_only=True, label=_("questions"), help_text="Its questions, in order."
    )

    class Meta:
        model = SurveyTemplate
        fields = [
            "id",
            "name",
            "purpose",
            "purpose_display",
            "description",
            "is_active",
            "questions",
        ]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The template's id."},
            "name": {"help_text": "Its name.", "read_only": True},
            "description": {"help_text": "What it is for.", "read_only": True},
            "is_active": {"help_text": "Offered when a survey is made.", "read_only": True},
        }


class SubjectSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=100, label=_("name"), help_text="The leader's name (姓名)."
    )
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        label=_("post"),
        help_text="The leader's post (职务).",
    )


def _units_of_collection(request: Any) -> QuerySet:
    inspection = collection_inspection(request)
    if inspection is None:
        return Unit.objects.none()
    return announcement_unit_list(inspection=inspection)


def _templates(request: Any) -> QuerySet:
    return SurveyTemplate.objects.for_org(request.org).filter(is_active=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A democratic evaluation of the unit",
            value={"template": 1, "unit": 12, "expected_respondents": 60, "open_link": True},
            request_only=True,
        )
    ]
)
class SurveySerializer(serializers.ModelSerializer):
    template = ScopedRelatedField(
        model=SurveyTemplate,
        scope=_templates,
        label=_("template"),
        help_text="Id of the template whose questions the survey copies (write only).",
        write_only=True,
    )
    unit = ScopedRelatedField(
        model=Unit,
        scope=_units_of_collection,
        label=_("unit"),
        help_text="Id of the unit surveyed: the inspected unit or one of its active sub-units.",
    )
    purpose = _text(_("purpose"), "Copied from the template: evaluation, satisfaction, …")
    purpose_display = choice_label("purpose", _("purpose"), "purpose")
    status = _text(_("status"), "draft, open or closed.")
    status_display = choice_label("status", _("status"), "status")
    open_link_path = serializers.SerializerMethodField(
        label=_("open link"), help_text="The path of its open link (empty without one)."
    )
    questions = QuestionSerializer(
        many=True, read_only=True, label=_("questions"), help_text="Its own copy of the questions."
    )
    subjects = SubjectSerializer(
        many=True, read_only=True, label=_("leaders graded"), help_text="The grid's leaders."
    )

    class Meta:
        model = Survey
        fields = [
            "id", "inspection", "unit", "template", "title", "purpose", "purpose_display",
            "status", "status_display", "open_link", "open_link_path", "expected_respondents",
            "opened_at", "closed_at", "created_at", "questions", "subjects",
        ]  # fmt: skip
        read_only_fields = ["inspection", "opened_at", "closed_at", "created_at"]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The survey's id."},
            "inspection": {"label": _("inspection"), "help_text": "The inspection's id."},
            "title": {
                "help_text": "Its title; the unit's and the template's names when empty.",
                "required": False,
                "allow_blank": True,
            },
            "open_link": {"help_text": "Whether it also takes answers through an open link."},
            "expected_respondents": {"help_text": "How many are asked to answer (response rate)."},
            "opened_at": {"help_text": "When it was first opened."},
            "closed_at": {"help_text": "When it was closed."},
            "created_at": {"help_text": "When it was made."},
        }

    def get_open_link_path(self, survey: Survey) -> str:
        return reverse("surveys:survey_link", args=[survey.token]) if survey.open_link else ""


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The leadership team",
            value={"subjects": [{"name": "张明", "title": "党委书记、总经理"}]},
            request_only=True,
        )
    ]
)
class SubjectsBodySerializer(serializers.Serializer):
    subjects = SubjectSerializer(
        many=True, label=_("leaders graded"), help_text="The leaders graded in the grid, in order."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Slips for a meeting",
            value={"label": "中层以上干部大会", "count": 30},
            request_only=True,
        )
    ]
)
class CodeBatchSerializer(serializers.ModelSerializer):
    codes = serializers.SerializerMethodField(
        label=_("one-time codes"), help_text="The codes of the sheet, each answering once."
    )

    class Meta:
        model = CodeBatch
        fields = ["id", "survey", "label", "count", "created_at", "codes"]
        read_only_fields = ["survey", "created_at"]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The sheet's id."},
            "survey": {"label": _("survey"), "help_text": "The survey's id."},
            "label": {"help_text": "The meeting where the slips are handed out."},
            "count": {"help_text": "How many codes (1 to 500).", "min_value": 1, "max_value": 500},
            "created_at": {"help_text": "When it was made."},
        }

    def get_codes(self, batch: CodeBatch) -> list[str]:
        return list(response_code_list(batch=batch).values_list("code", flat=True))


class OptionResultSerializer(serializers.Serializer):
    key = _text(_("option"), "The option's key.")
    label = _text(_("label"), "The option as respondents read it.")
    positive = serializers.BooleanField(
        read_only=True, label=_("positive"), help_text="Counted as satisfied."
    )
    count = serializers.IntegerField(read_only=True, label=_("count"), help_text="Answers.")
    percent = serializers.FloatField(
        read_only=True, allow_null=True, label=_("percent"), help_text="Share of the answers."
    )


class RowResultSerializer(serializers.Serializer):
    label = _text(_("label"), "The question, or the leader's name in a grid.")
    detail = _text(_("post"), "The leader's post in a grid.")
    answered = serializers.IntegerField(read_only=True, label=_("answered"), help_text="Answers.")
    positive_percent = serializers.FloatField(
        read_only=True, allow_null=True, label=_("positive"), help_text="Share of positive ones."
    )
    options = OptionResultSerializer(
        many=True, read_only=True, label=_("options"), help_text="Counts by option."
    )


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="question.pk", read_only=True, label=_("ID"), help_text="The question's id."
    )
    text = _text(_("question"), "The question.", source="question.text")
    kind = _text(_("kind"), "The question's kind.", source="question.kind")
    answered = serializers.IntegerField(
        read_only=True, label=_("answered"), help_text="Responses answering a rating or text."
    )
    average = serializers.FloatField(
        read_only=True, allow_null=True, label=_("average"), help_text="A rating's average."
    )
    positive_percent = serializers.FloatField(
        read_only=True, allow_null=True, label=_("positive"), help_text="Share of positive ones."
    )
    rows = RowResultSerializer(
        many=True,
        read_only=True,
        label=_("rows"),
        help_text="One per choice question; one per leader in a grid.",
    )


class ResultsSerializer(serializers.Serializer):
    responses = serializers.IntegerField(
        read_only=True, label=_("responses"), help_text="Responses received."
    )
    expected = serializers.IntegerField(
        read_only=True, label=_("expected respondents"), help_text="How many were asked."
    )
    response_rate = serializers.FloatField(
        read_only=True,
        allow_null=True,
        label=_("response rate"),
        help_text="Responses per expected respondent, %.",
    )
    satisfaction = serializers.FloatField(
        read_only=True,
        allow_null=True,
        label=_("overall satisfaction"),
        help_text="综合满意度: positive answers among all answers to choice questions, %.",
    )
    by_channel = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        label=_("channel"),
        help_text="Responses by channel: code, link.",
    )
    questions = QuestionResultSerializer(
        many=True, read_only=True, label=_("questions"), help_text="The counts of each question."
    )


@extend_schema(tags=["surveys"])
class SurveyTemplateViewSet(OrgViewSet):
    """The tenant's survey templates (问卷模板), from which surveys are made (read only: they
    are edited on their pages)."""

    model = SurveyTemplate
    permission = VIEW_INSPECTIONS
    serializer_class = TemplateSerializer
    http_method_names = ["get", "head", "options"]
    create = update = partial_update = destroy = NOT_OFFERED

    def scoped_queryset(self) -> QuerySet[SurveyTemplate]:
        return survey_template_list(org=self.request.org).prefetch_related("questions")


def _with_parts(queryset: QuerySet[Survey]) -> QuerySet[Survey]:
    return queryset.select_related("unit").prefetch_related("questions", "subjects")


@extend_schema(tags=["surveys"])
class InspectionSurveyViewSet(InspectionPartCollection):
    """An inspection's surveys (民主测评 / 满意度问卷). Making one (a draft, with a copy of its
    template's questions) is for the inspection's team and managers."""

    model = Survey
    serializer_class = SurveySerializer
    access = {"create": Action.WORK}

    def scoped_queryset(self) -> QuerySet[Survey]:
        return _with_parts(survey_list(inspection=self.parent))

    def add(self, inspection: Inspection, data: dict[str, Any]) -> Survey:
        return services.create_survey(
            inspection=inspection,
            actor=self.request.user,
            template=data["template"],
            unit=data["unit"],
            title=data.get("title", ""),
            expected_respondents=data.get("expected_respondents", 0),
            open_link=data.get("open_link", False),
        )


@extend_schema(tags=["surveys"])
class SurveyViewSet(InspectionPartRecord):
    """One survey: its settings and questions, opening and closing it, its leaders, its sheets
    of one-time codes and its aggregated results."""

    model = Survey
    serializer_class = SurveySerializer
    access = {
        "open": Action.WORK,
        "close": Action.WORK,
        "leaders": Action.WORK,
        "codes": Action.WORK,
    }

    def scoped_queryset(self) -> QuerySet[Survey]:
        return _with_parts(viewable_parts(Survey, self.request).select_related("inspection"))

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str) -> Response:
        """Open the survey: its codes and open link take answers until it is closed or the
        on-site stage ends. A grid needs its leaders first."""
        return self.act(
            lambda record, data: services.open_survey(survey=record, actor=request.user)
        )

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close the survey: no more answers; its results stay."""
        return self.act(
            lambda record, data: services.close_survey(survey=record, actor=request.user)
        )

    @extend_schema(request=SubjectsBodySerializer, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def leaders(self, request: Request, pk: str) -> Response:
        """Set the leaders graded in the grid, in order (refused once it has answers)."""
        return self.act(
            lambda record, data: services.set_subjects(
                survey=record,
                actor=request.user,
                subjects=[(row["name"], row.get("title", "")) for row in data["subjects"]],
            ),
            serializer_class=SubjectsBodySerializer,
        )

    @extend_schema(request=CodeBatchSerializer, responses={201: CodeBatchSerializer})
    @action(detail=True, methods=["post"])
    def codes(self, request: Request, pk: str) -> Response:
        """Print a sheet of one-time codes for a meeting: each code answers once."""
        with transaction.atomic():
            survey = self.locked_object(require_match=False)  # not found is 404 first
            body = CodeBatchSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            batch = services.issue_codes(
                survey=survey,
                actor=request.user,
                label=body.validated_data["label"],
                count=body.validated_data["count"],
            )
        return Response(CodeBatchSerializer(batch).data, status=201)

    @extend_schema(responses=ResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str) -> Response:
        """The aggregated results: responses, response rate, 综合满意度, each question's counts
        and each leader's grades. No answer is given one by one."""
        results: SurveyResults = survey_results(survey=self.get_object())
        return Response(ResultsSerializer(results).data)


ROUTES = [
    ("survey-templates", SurveyTemplateViewSet, "survey-template"),
    (f"{INSPECTION}/surveys", InspectionSurveyViewSet, "inspection-survey"),
    ("surveys", SurveyViewSet, "survey"),
]
