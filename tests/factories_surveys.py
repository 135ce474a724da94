"""Factories of the surveys app, registered in the shared FACTORIES and ORG_KWARG."""

from __future__ import annotations

import factory

from accounts.models import Membership
from accounts.roles import Role
from rounds.models import Inspector, TeamMember
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
from tests.factories import (
    FACTORIES,
    ORG_KWARG,
    InspectionFactory,
    InspectorFactory,
    OrganizationFactory,
    TeamFactory,
)
from xuncha.tenancy import org_scope

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
    text = factory.Sequence(lambda n: f"模板题目{n}：对廉洁从业的评价")
    options = GRADE_OPTIONS


def _staff(survey: Survey, create: bool, extracted: object, **kwargs: object) -> None:
    """A survey made with its own inspection comes with that inspection's team: every member
    of the organization holding the team-member role sits on it (so a team-only page of the
    survey, reached by such a member, is found — as the isolation harness asks of our own
    objects). An inspection whose team already has members (``inspection=`` one of a test)
    changes nobody's seat."""
    if create and extracted is not False and survey.inspection.team is not None:
        with org_scope(survey.organization):
            _seat_team_members(survey)


def _seat_team_members(survey: Survey) -> None:
    inspection = survey.inspection
    if TeamMember.objects.for_org(survey.organization).filter(team=inspection.team).exists():
        return
    from rounds.services import teams as team_services

    members = Membership.objects.filter(organization=survey.organization, is_active=True)
    for membership in members.select_related("user"):
        if Role.TEAM_MEMBER not in membership.roles:
            continue
        inspector = Inspector.objects.for_org(survey.organization).filter(
            user=membership.user
        ).first() or InspectorFactory(organization=survey.organization, user=membership.user)
        team_services.add_member(
            team=inspection.team, actor=None, inspector=inspector, role="member"
        )


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey
        skip_postgeneration_save = True

    inspection = factory.SubFactory(
        InspectionFactory,
        team=factory.SubFactory(TeamFactory, round=factory.SelfAttribute("..round")),
    )
    staffed = factory.PostGeneration(_staff)
    organization = factory.SelfAttribute("inspection.organization")
    unit = factory.SelfAttribute("inspection.unit")
    title = factory.Sequence(lambda n: f"测评问卷{n}")
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
    text = factory.Sequence(lambda n: f"问卷题目{n}：对班子的评价")
    options = GRADE_OPTIONS


class SurveySubjectFactory(_SurveyPartFactory):
    class Meta:
        model = SurveySubject

    name = factory.Sequence(lambda n: f"班子成员{n}")
    title = factory.Sequence(lambda n: f"副总经理{n}")


class CodeBatchFactory(_SurveyPartFactory):
    class Meta:
        model = CodeBatch

    label = factory.Sequence(lambda n: f"第{n}次测评会")
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
