"""Petition services: the public's submission (receipt code, rate limits, closed after the
on-site work, photos checked before anything is kept), the team's record, the status, and
the encryption of the reporter's identity (the column and the history hold no plaintext)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import Membership
from clues import services
from clues.crypto import Identity, decrypt_identity, receipt_hash
from clues.models import Channel, Petition, PetitionAttachment, PetitionRead, Status
from clues.selectors import petition_public_status
from files.models import StoredFile
from files.services import private_storage
from rounds.taxonomy import Stage
from tests.clues.fixtures import forged, png
from tests.factories import UnitFactory

CLIENT = "client-a"


def _submit(inspection, *, client=CLIENT, **changes):
    values = {
        "inspection": inspection,
        "unit": inspection.unit,
        "client": client,
        "is_anonymous": True,
        "content": "反映某分局违规发放津补贴。",
    }
    return services.submit_petition(**{**values, **changes})


def _membership(org, user):
    return Membership.objects.for_org(org).get(user=user)


def test_a_public_petition_returns_a_receipt_code_kept_only_hashed(inspection):
    receipt = _submit(inspection)

    petition = Petition.objects.get(pk=receipt.petition.pk)
    assert len(receipt.code.replace("-", "")) == 16
    assert petition.receipt_hash == receipt_hash(receipt.code)
    assert receipt.code.replace("-", "") not in petition.receipt_hash
    assert (petition.channel, petition.status) == (Channel.ONLINE, Status.RECEIVED)


def test_the_code_tells_the_status_and_the_day(inspection):
    receipt = _submit(inspection)

    found = petition_public_status(code=receipt.code.lower().replace("-", " "))

    assert found.status == Status.RECEIVED
    assert found.received_on == timezone.localdate()


def test_an_unknown_code_tells_nothing(inspection):
    _submit(inspection)

    assert petition_public_status(code="ABCD-EFGH-JKLM-NPQR") is None
    assert petition_public_status(code="not a code") is None


def test_a_real_name_petition_keeps_the_identity_encrypted(inspection):
    receipt = _submit(
        inspection, is_anonymous=False, identity=Identity(name="王建国", phone="13812345678")
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT identity FROM clues_petition WHERE id = %s", [receipt.petition.pk])
        (stored,) = cursor.fetchone()
    assert "王建国" not in stored
    assert "13812345678" not in stored
    assert decrypt_identity(stored) == Identity(name="王建国", phone="13812345678")


def test_the_history_holds_no_plaintext_identity(inspection):
    _submit(inspection, is_anonymous=False, identity=Identity(name="王建国", phone="13812345678"))

    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(e)::text FROM clues_petitionevent e")
        rows = [row[0] for row in cursor.fetchall()]
    assert rows
    assert not any("王建国" in row or "13812345678" in row for row in rows)


def test_a_real_name_petition_needs_a_name(inspection):
    with pytest.raises(DomainError) as refused:
        _submit(inspection, is_anonymous=False, identity=Identity(name=" "))

    assert refused.value.field == "name"
    assert not Petition.objects.exists()


def test_photos_are_kept_through_the_safe_file_handling(inspection):
    receipt = _submit(inspection, photos=[png()])

    attachment = PetitionAttachment.objects.get(petition=receipt.petition)
    assert (attachment.file.kind, attachment.file.uploaded_by) == ("png", None)
    assert private_storage().exists(attachment.file.path)


def test_a_forged_photo_stores_nothing(inspection):
    before = StoredFile.objects.count()

    with pytest.raises(DomainError) as refused:
        _submit(inspection, photos=[png(), forged()])

    assert refused.value.field == "attachments"
    assert not Petition.objects.exists()
    assert StoredFile.objects.count() == before


def test_a_pdf_is_not_a_photo(inspection):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(DomainError):
        _submit(inspection, photos=[pdf])
    assert not Petition.objects.exists()


def test_after_onsite_no_petition_is_accepted(inspection):
    inspection.stage = Stage.REPORTING
    inspection.save(update_fields=["stage"])

    with pytest.raises(DomainError):
        _submit(inspection)
    assert not Petition.objects.exists()


def test_a_unit_outside_the_inspection_is_refused(org, inspection):
    with pytest.raises(DomainError):
        _submit(inspection, unit=UnitFactory(organization=org))


def test_one_client_is_limited_per_hour(inspection):
    count = services.CLIENT_LIMIT[0]
    for _ in range(count):
        _submit(inspection)

    with pytest.raises(services.RateLimited):
        _submit(inspection)
    assert Petition.objects.count() == count
    _submit(inspection, client="client-b")  # another visitor is not held up


def test_one_inspection_is_limited_per_hour(inspection, monkeypatch):
    monkeypatch.setattr(services, "INSPECTION_LIMIT", (3, 3600))
    for n in range(3):
        _submit(inspection, client=f"client-{n}")

    with pytest.raises(services.RateLimited):
        _submit(inspection, client="client-new")
    assert Petition.objects.count() == 3


def test_status_checks_are_limited(db):
    for _ in range(services.STATUS_CHECK_LIMIT[0]):
        services.check_status_rate(client=CLIENT)

    with pytest.raises(services.RateLimited):
        services.check_status_rate(client=CLIENT)


def test_the_team_records_a_phone_petition(org, inspection, team_member_user):
    petition = services.record_petition(
        inspection=inspection,
        actor=team_member_user,
        membership=_membership(org, team_member_user),
        channel=Channel.PHONE,
        received_on=datetime.date(2026, 11, 20),
        is_anonymous=False,
        identity=Identity(name="李女士", phone="028-12345678"),
        content="反映公车私用。",
    )

    assert (petition.received_by, petition.receipt_hash, petition.unit) == (
        team_member_user,
        None,
        inspection.unit,
    )
    assert decrypt_identity(petition.identity).name == "李女士"


def test_the_office_cannot_record_a_petition(org, inspection, office_user):
    with pytest.raises(DomainError):
        services.record_petition(
            inspection=inspection,
            actor=office_user,
            membership=_membership(org, office_user),
            channel=Channel.LETTER,
            received_on=datetime.date(2026, 11, 20),
            content="来信。",
        )


def test_a_closed_inspection_takes_no_status_change(org, inspection, leader):
    petition = _submit(inspection).petition
    inspection.stage = Stage.CLOSED
    inspection.save(update_fields=["stage"])

    with pytest.raises(DomainError):
        services.change_petition_status(
            petition=petition,
            actor=leader,
            membership=_membership(org, leader),
            status=Status.HANDLED,
        )


def test_the_status_change_reaches_the_public_check(org, inspection, leader):
    receipt = _submit(inspection)

    services.change_petition_status(
        petition=receipt.petition,
        actor=leader,
        membership=_membership(org, leader),
        status=Status.UNDER_REVIEW,
    )

    assert petition_public_status(code=receipt.code).status == Status.UNDER_REVIEW


def test_revealing_the_identity_is_logged(org, inspection, leader):
    petition = _submit(inspection, is_anonymous=False, identity=Identity(name="王建国")).petition

    identity = services.reveal_identity(
        petition=petition, actor=leader, membership=_membership(org, leader)
    )

    assert identity.name == "王建国"
    assert PetitionRead.objects.filter(
        petition=petition, reader=leader, what=PetitionRead.What.IDENTITY
    ).exists()


def test_a_team_member_may_not_reveal_the_identity(org, inspection, team_member_user):
    petition = _submit(inspection, is_anonymous=False, identity=Identity(name="王建国")).petition

    with pytest.raises(DomainError):
        services.reveal_identity(
            petition=petition,
            actor=team_member_user,
            membership=_membership(org, team_member_user),
        )
    assert not PetitionRead.objects.exists()
