"""Factories of the surveys app, registered in the shared FACTORIES and ORG_KWARG."""

from __future__ import annotations

import factory

from surveys.models import (
    CodeBatch,
    Kind,
    Purpose,
    ResponseCode,
    Survey,
    SurveyQuestion,
    SurveySubject,
    SurveyTemplate,
    TemplateQuestion,
)
from tests.factories import FACTORIES, ORG_KWARG, InspectionFactory, OrganizationFactory

GRADE_OPTIONS = [
    {"key": "1", "label": "满意", "positive": True},
    {"key": "2", "label": "基本满意", "positive": True},
    {"key": "3", "label": "不满意", "positive": False},
]


class SurveyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyTemplate

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"满意度问卷{n}")
    purpose = Purpose.SATISFACTION


class TemplateQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateQuestion

    template = factory.SubFactory(SurveyTemplateFactory)
    organization = factory.SelfAttribute("template.organization")
    position = factory.Sequence(lambda n: n + 1)
    kind = Kind.SINGLE
    text = "对本单位党风廉政建设的满意程度"
    options = GRADE_OPTIONS


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    inspection = factory.SubFactory(InspectionFactory)
    organization = factory.SelfAttribute("inspection.organization")
    unit = factory.SelfAttribute("inspection.unit")
    title = "民主测评"
    purpose = Purpose.EVALUATION
    expected_respondents = 10


class _SurveyPartFactory(factory.django.DjangoModelFactory):
    survey = factory.SubFactory(SurveyFactory)
    organization = factory.SelfAttribute("survey.organization")


class SurveyQuestionFactory(_SurveyPartFactory):
    class Meta:
        model = SurveyQuestion

    position = factory.Sequence(lambda n: n + 1)
    kind = Kind.SINGLE
    text = "对领导班子的总体评价"
    options = GRADE_OPTIONS


class SurveySubjectFactory(_SurveyPartFactory):
    class Meta:
        model = SurveySubject

    name = "张明"
    title = "党委书记"


class CodeBatchFactory(_SurveyPartFactory):
    class Meta:
        model = CodeBatch

    label = "中层以上干部大会"
    count = 1


class ResponseCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponseCode

    batch = factory.SubFactory(CodeBatchFactory)
    survey = factory.SelfAttribute("batch.survey")
    organization = factory.SelfAttribute("batch.organization")
    code = factory.Sequence(lambda n: f"TEST-{n:04d}")


_SURVEY_ORG = "inspection__round__organization"
FACTORIES.update(
    {
        SurveyTemplate: SurveyTemplateFactory,
        TemplateQuestion: TemplateQuestionFactory,
        Survey: SurveyFactory,
        SurveyQuestion: SurveyQuestionFactory,
        SurveySubject: SurveySubjectFactory,
        CodeBatch: CodeBatchFactory,
        ResponseCode: ResponseCodeFactory,
    }
)
ORG_KWARG.update(
    {
        TemplateQuestion: "template__organization",
        Survey: _SURVEY_ORG,
        SurveyQuestion: f"survey__{_SURVEY_ORG}",
        SurveySubject: f"survey__{_SURVEY_ORG}",
        CodeBatch: f"survey__{_SURVEY_ORG}",
        ResponseCode: f"batch__survey__{_SURVEY_ORG}",
    }
)
