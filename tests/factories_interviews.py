"""Factories of the interviews app, registered in the shared FACTORIES and ORG_KWARG."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from interviews.models import (
    Category,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    Evidence,
    Interview,
    Method,
    OutlineRole,
    OutlineTemplate,
)
from rounds.models import Inspector, TeamMember
from rounds.services import teams as team_services
from tests.factories import (
    FACTORIES,
    ORG_KWARG,
    InspectionFactory,
    InspectorFactory,
    OrganizationFactory,
    TeamFactory,
)
from xuncha.tenancy import org_scope

# A time inside the factories' rounds (RoundFactory: 2025), in the past.
HELD_AT = datetime.datetime(2025, 4, 2, 9, 30, tzinfo=datetime.UTC)


class OutlineTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutlineTemplate

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"谈话提纲{n}")
    role = OutlineRole.PRINCIPAL
    questions = factory.LazyFunction(lambda: ["请谈谈落实主体责任的情况。", "还有哪些问题？"])


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplate

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"必谈{n}")
    evidence = Evidence.INTERVIEW
    items = factory.LazyFunction(lambda: ["主要领导", "班子成员"])


class _InspectionPartFactory(factory.django.DjangoModelFactory):
    inspection = factory.SubFactory(InspectionFactory)
    organization = factory.SelfAttribute("inspection.organization")


def _staff(interview: Interview, create: bool, extracted: object, **kwargs: object) -> None:
    """An interview made with its own inspection comes with that inspection's team: every
    member of the organization holding a team role sits on it, so an interview page reached
    by such a member is found (as the isolation harness asks of our own objects). An
    inspection whose team already has members (a test's) changes nobody's seat."""
    inspection = interview.inspection
    if not create or extracted is False or inspection.team_id is None:
        return
    org = interview.organization
    with org_scope(org):
        if TeamMember.objects.for_org(org).filter(team=inspection.team).exists():
            return
        for membership in Membership.objects.filter(organization=org, is_active=True):
            if not {Role.TEAM_LEADER, Role.TEAM_MEMBER} & set(membership.roles):
                continue
            inspector = Inspector.objects.for_org(org).filter(user=membership.user).first()
            inspector = inspector or InspectorFactory(organization=org, user=membership.user)
            team_services.add_member(
                team=inspection.team, actor=None, inspector=inspector, role="member"
            )


class InterviewFactory(_InspectionPartFactory):
    class Meta:
        model = Interview
        skip_postgeneration_save = True

    inspection = factory.SubFactory(
        InspectionFactory,
        team=factory.SubFactory(TeamFactory, round=factory.SelfAttribute("..round")),
    )
    staffed = factory.PostGeneration(_staff)
    interviewee_name = factory.Sequence(lambda n: f"受访人{n}")
    interviewee_position = "党委书记"
    category = Category.LEADERSHIP
    method = Method.PHONE
    held_at = factory.LazyFunction(lambda: min(HELD_AT, timezone.now()))
    notes = "谈话内容（保密）"


class ChecklistFactory(_InspectionPartFactory):
    class Meta:
        model = Checklist

    name = factory.Sequence(lambda n: f"四必谈{n}")


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    checklist = factory.SubFactory(ChecklistFactory)
    organization = factory.SelfAttribute("checklist.organization")
    inspection = factory.SelfAttribute("checklist.inspection")
    text = factory.Sequence(lambda n: f"必谈事项{n}")
    evidence = Evidence.EITHER


FACTORIES.update(
    {
        OutlineTemplate: OutlineTemplateFactory,
        ChecklistTemplate: ChecklistTemplateFactory,
        Interview: InterviewFactory,
        Checklist: ChecklistFactory,
        ChecklistItem: ChecklistItemFactory,
    }
)
ORG_KWARG.update(
    {
        Interview: "inspection__round__organization",
        Checklist: "inspection__round__organization",
        ChecklistItem: "checklist__inspection__round__organization",
    }
)
