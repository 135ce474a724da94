"""Factories of the interviews app, registered in the shared FACTORIES and ORG_KWARG."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

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
from tests.factories import FACTORIES, ORG_KWARG, InspectionFactory, OrganizationFactory

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


class InterviewFactory(_InspectionPartFactory):
    class Meta:
        model = Interview

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
