"""Factories of the documents app, registered in the shared FACTORIES and ORG_KWARG."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from documents.models import DocumentRequest, UsualDocument
from tests.factories import (
    FACTORIES,
    ORG_KWARG,
    OrganizationFactory,
    _InspectionPartFactory,
)


class UsualDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UsualDocument

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"常用调阅资料{n}")
    description = "近三年资料"
    position = factory.Sequence(lambda n: n)


class DocumentRequestFactory(_InspectionPartFactory):
    """A request to the inspection's own unit, due in a week."""

    class Meta:
        model = DocumentRequest

    unit = factory.SelfAttribute("inspection.unit")
    title = factory.Sequence(lambda n: f"调阅资料{n}")
    description = "请提供复印件并加盖公章"
    team_notes = "重点核查2024年大额支出"
    requested_on = factory.LazyFunction(timezone.localdate)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


FACTORIES.update({UsualDocument: UsualDocumentFactory, DocumentRequest: DocumentRequestFactory})
ORG_KWARG.update({DocumentRequest: "inspection__round__organization"})
