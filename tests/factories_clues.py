"""Factories of the clues app, registered in the shared FACTORIES and ORG_KWARG."""

from __future__ import annotations

import datetime
import uuid

import factory
from django.core.files.base import ContentFile

from clues.models import Channel, Petition, PetitionAttachment
from files.services import private_storage
from tests.factories import FACTORIES, ORG_KWARG, InspectionFactory, StoredFileFactory

# The smallest valid PNG: a 1×1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def stored_png(organization):
    """A stored file with its bytes in the private storage (downloads open it)."""
    path = private_storage().save(f"{organization.pk}/{uuid.uuid4().hex}.png", ContentFile(PNG))
    return StoredFileFactory(
        organization=organization,
        name="现场照片.png",
        kind="png",
        mime="image/png",
        size=len(PNG),
        path=path,
    )


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petition

    inspection = factory.SubFactory(InspectionFactory)
    organization = factory.SelfAttribute("inspection.organization")
    unit = factory.SelfAttribute("inspection.unit")
    channel = Channel.PHONE
    is_anonymous = True
    subject_persons = "某分局局长"
    content = "反映某分局违规发放津补贴。"
    received_on = datetime.date(2025, 4, 2)


class PetitionAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PetitionAttachment

    petition = factory.SubFactory(PetitionFactory)
    organization = factory.SelfAttribute("petition.organization")
    file = factory.LazyAttribute(lambda o: stored_png(o.organization))


FACTORIES.update({Petition: PetitionFactory, PetitionAttachment: PetitionAttachmentFactory})
ORG_KWARG.update(
    {
        Petition: "inspection__round__organization",
        PetitionAttachment: "petition__inspection__round__organization",
    }
)
