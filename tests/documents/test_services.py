"""Document requests through their services: requesting from the checklist, the liaison's
answer with files (a refused file leaves nothing behind), returning, withdrawing, and the
closed inspection's refusal."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from accounts.errors import DomainError
from documents import services
from documents.models import DeliveryFile, DocumentDelivery, DocumentRequest, UsualDocument
from documents.selectors import document_request_list
from files.checks import NotAccepted, TooLarge
from files.models import StoredFile
from rounds.models import Inspection
from rounds.taxonomy import Stage
from tests.documents.conftest import PDF, deliver, stored_paths
from tests.files import samples

IN_A_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (30 * 1024 * 1024))
    return buffer.getvalue()


FORGED = {
    "html_as_pdf": ("会议纪要.pdf", b"<html><script>alert(1)</script></html>"),
    "exe_as_pdf": ("会议纪要.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
    "zip_as_docx": ("会议纪要.docx", samples.zipped({"a.txt": b"not a document"})),
    "zip_bomb": ("会议纪要.docx", _bomb()),
}


def test_the_default_checklist_is_seeded_once(org):
    first = services.ensure_default_items(org=org)
    again = services.ensure_default_items(org=org)

    assert [item.pk for item in again] == [item.pk for item in first]
    names = list(UsualDocument.objects.for_org(org).values_list("name", flat=True))
    assert names[:3] == ["党委会、“三重一大”决策会议纪要", "财务凭证及账簿", "选人用人档案"]


def test_requesting_makes_one_request_per_usual_and_free_item(org, inspection, unit, team_leader):
    usual = services.ensure_default_items(org=org)[:2]

    made = services.request_documents(
        inspection=inspection,
        actor=team_leader,
        unit=unit,
        due_on=IN_A_WEEK,
        usual_items=usual,
        free_items=["职工食堂采购台账", "  ", "职工食堂采购台账"],
    )

    assert [(r.title, r.from_usual) for r in made] == [
        (usual[0].name, usual[0]),
        (usual[1].name, usual[1]),
        ("职工食堂采购台账", None),
    ]
    assert {(r.status, r.requested_by, r.due_on) for r in made} == {
        (DocumentRequest.Status.REQUESTED, team_leader, IN_A_WEEK)
    }


def test_a_request_may_name_a_sub_unit_but_not_another_unit(
    inspection, sub_unit, other_unit, team_leader
):
    (made,) = services.request_documents(
        inspection=inspection,
        actor=team_leader,
        unit=sub_unit,
        due_on=IN_A_WEEK,
        free_items=["营业厅收入台账"],
    )
    assert made.unit == sub_unit

    with pytest.raises(DomainError) as refused:
        services.request_documents(
            inspection=inspection,
            actor=team_leader,
            unit=other_unit,
            due_on=IN_A_WEEK,
            free_items=["营业厅收入台账"],
        )
    assert refused.value.field == "unit"


def test_a_due_date_in_the_past_is_refused(inspection, unit, team_leader):
    with pytest.raises(DomainError) as refused:
        services.request_documents(
            inspection=inspection,
            actor=team_leader,
            unit=unit,
            due_on=timezone.localdate() - datetime.timedelta(days=1),
            free_items=["台账"],
        )
    assert refused.value.field == "due_on"


def test_nothing_picked_is_refused(inspection, unit, team_leader):
    with pytest.raises(DomainError):
        services.request_documents(
            inspection=inspection, actor=team_leader, unit=unit, due_on=IN_A_WEEK
        )


def test_the_liaison_answers_with_files_and_the_request_is_delivered(
    org, doc_request, liaison, private_root
):
    delivery = services.answer_document_request(
        document_request=doc_request,
        actor=liaison,
        uploads=[samples.upload("纪要.pdf", PDF), samples.upload("附件.docx", samples.docx())],
        note="原件在档案室，可随时调阅",
    )

    doc_request.refresh_from_db()
    assert (doc_request.status, doc_request.delivered_by) == ("delivered", liaison)
    assert doc_request.delivered_at == delivery.delivered_at
    files = DeliveryFile.objects.for_org(org).filter(delivery=delivery).order_by("pk")
    assert [(f.file.name, f.file.kind) for f in files] == [
        ("纪要.pdf", "pdf"),
        ("附件.docx", "docx"),
    ]
    assert len(stored_paths(private_root)) == 2


def test_a_second_answer_adds_files_and_keeps_the_first_delivery(org, doc_request, liaison):
    first = deliver(doc_request, liaison)
    deliver(doc_request, liaison, name="补充材料.pdf")

    doc_request.refresh_from_db()
    assert doc_request.delivered_at == first.delivered_at
    assert DeliveryFile.objects.for_org(org).count() == 2


@pytest.mark.parametrize("forged", FORGED.values(), ids=FORGED.keys())
def test_a_forged_file_refuses_the_answer_and_nothing_is_stored(
    org, doc_request, liaison, private_root, forged
):
    name, data = forged
    uploads = [samples.upload("真的纪要.pdf", PDF), samples.upload(name, data)]

    with pytest.raises((NotAccepted, TooLarge)):
        services.answer_document_request(
            document_request=doc_request, actor=liaison, uploads=uploads
        )

    doc_request.refresh_from_db()
    assert doc_request.status == "requested"
    assert StoredFile.objects.for_org(org).count() == 0
    assert DocumentDelivery.objects.for_org(org).count() == 0
    assert stored_paths(private_root) == []


def test_an_answer_without_files_is_refused(doc_request, liaison):
    with pytest.raises(DomainError) as refused:
        services.answer_document_request(document_request=doc_request, actor=liaison, uploads=[])
    assert refused.value.field == "files"


def test_too_many_files_are_refused_before_any_is_stored(doc_request, liaison, private_root):
    uploads = [samples.upload(f"{n}.pdf", PDF) for n in range(services.MAX_FILES + 1)]

    with pytest.raises(DomainError):
        services.answer_document_request(
            document_request=doc_request, actor=liaison, uploads=uploads
        )
    assert stored_paths(private_root) == []


def test_only_a_liaison_of_the_unit_answers(doc_request, other_liaison, team_leader):
    for actor in (other_liaison, team_leader):
        with pytest.raises(DomainError):
            deliver(doc_request, actor)


def test_the_liaison_of_the_inspected_unit_answers_for_a_sub_unit(
    inspection, sub_unit, team_leader, liaison
):
    (made,) = services.request_documents(
        inspection=inspection,
        actor=team_leader,
        unit=sub_unit,
        due_on=IN_A_WEEK,
        free_items=["营业厅收入台账"],
    )

    deliver(made, liaison)

    made.refresh_from_db()
    assert made.status == "delivered"


def test_the_team_marks_a_delivered_request_returned(doc_request, liaison, team_leader):
    deliver(doc_request, liaison)

    services.mark_returned(document_request=doc_request, actor=team_leader)

    doc_request.refresh_from_db()
    assert (doc_request.status, doc_request.returned_by) == ("returned", team_leader)
    assert doc_request.returned_at is not None


def test_a_request_not_delivered_cannot_be_returned(doc_request, team_leader):
    with pytest.raises(DomainError):
        services.mark_returned(document_request=doc_request, actor=team_leader)


def test_a_returned_request_takes_no_more_files(doc_request, liaison, team_leader, private_root):
    deliver(doc_request, liaison)
    services.mark_returned(document_request=doc_request, actor=team_leader)
    before = stored_paths(private_root)

    with pytest.raises(DomainError):
        deliver(doc_request, liaison)
    assert stored_paths(private_root) == before


def test_withdrawing_needs_a_reason_and_closes_the_request(doc_request, liaison, team_leader):
    with pytest.raises(DomainError):
        services.withdraw_document_request(
            document_request=doc_request, actor=team_leader, reason=" "
        )

    services.withdraw_document_request(
        document_request=doc_request, actor=team_leader, reason="已从审计部门取得"
    )

    doc_request.refresh_from_db()
    assert (doc_request.status, doc_request.withdrawn_reason) == ("withdrawn", "已从审计部门取得")
    with pytest.raises(DomainError):
        deliver(doc_request, liaison)


def test_a_delivered_request_cannot_be_withdrawn(doc_request, liaison, team_leader):
    deliver(doc_request, liaison)

    with pytest.raises(DomainError):
        services.withdraw_document_request(
            document_request=doc_request, actor=team_leader, reason="不再需要"
        )


def test_editing_saves_only_what_changed(doc_request, team_leader, unit):
    services.update_document_request(
        document_request=doc_request,
        actor=team_leader,
        title="党委会会议纪要（2023—2025）",
        description=doc_request.description,
        unit=unit,
        due_on=doc_request.due_on,
        team_notes=doc_request.team_notes,
    )

    doc_request.refresh_from_db()
    assert doc_request.title == "党委会会议纪要（2023—2025）"


def test_work_on_a_closed_inspection_is_refused(
    org, inspection, doc_request, liaison, team_leader, unit
):
    Inspection.objects.for_org(org).filter(pk=inspection.pk).update(stage=Stage.CLOSED)

    with pytest.raises(DomainError, match="办结"):
        deliver(doc_request, liaison)
    with pytest.raises(DomainError, match="办结"):
        services.request_documents(
            inspection=inspection,
            actor=team_leader,
            unit=unit,
            due_on=IN_A_WEEK,
            free_items=["台账"],
        )
    with pytest.raises(DomainError, match="办结"):
        services.withdraw_document_request(
            document_request=doc_request, actor=team_leader, reason="x"
        )


def test_overdue_is_due_before_today_and_not_delivered(org, inspection, doc_request, liaison):
    late = DocumentRequest.objects.for_org(org).filter(pk=doc_request.pk)
    today = timezone.localdate()
    late.update(
        requested_on=today - datetime.timedelta(days=10), due_on=today - datetime.timedelta(days=1)
    )

    assert list(document_request_list(inspection=inspection, status="overdue")) == [doc_request]
    deliver(doc_request, liaison)
    assert list(document_request_list(inspection=inspection, status="overdue")) == []
