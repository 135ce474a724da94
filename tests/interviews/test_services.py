"""Recording interviews (谈话) and ticking the inspection's checklists with them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from accounts.errors import DomainError
from interviews import services
from interviews.models import (
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    Interview,
    Interviewer,
    Method,
    OutlineTemplate,
)
from rounds.models import Inspection
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import InspectorFactory, RecusalFactory
from tests.factories_interviews import OutlineTemplateFactory
from tests.interviews.conftest import details, item_named


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _record(inspection, actor, people, items=(), **changes) -> Interview:
    return services.record_interview(
        inspection=inspection, actor=actor, details=details(people, **changes), items=items
    )


# --- default templates ------------------------------------------------------------------------


def test_the_defaults_are_xixius_three_checklists(org):
    services.ensure_default_templates(org=org)

    lists = ChecklistTemplate.objects.for_org(org).order_by("position")
    assert [(row.name, len(row.items)) for row in lists] == [
        ("五必查", 5),
        ("六必问", 6),
        ("四必谈", 4),
    ]


def test_the_four_talks_are_the_seeds(org):
    services.ensure_default_templates(org=org)

    assert ChecklistTemplate.objects.for_org(org).get(name="四必谈").items == [
        "主要领导",
        "班子成员",
        "重要岗位负责人",
        "下属单位主要负责人",
    ]


def test_the_defaults_are_added_once(org):
    services.ensure_default_templates(org=org)
    OutlineTemplate.objects.for_org(org).filter(role="principal").delete()

    assert services.ensure_default_templates(org=org) is False
    assert OutlineTemplate.objects.for_org(org).count() == 3


def test_starting_copies_every_template_item_missing(inspection, leader):
    services.start_checklists(inspection=inspection, actor=leader)

    items = ChecklistItem.objects.for_org(inspection.organization).filter(inspection=inspection)
    assert (items.count(), items.filter(done_at__isnull=True).count()) == (15, 15)


def test_starting_again_adds_nothing(inspection, leader, checklists):
    assert services.start_checklists(inspection=inspection, actor=leader) == []


def test_the_first_interview_starts_the_checklists(inspection, leader, interviewers):
    _record(inspection, leader, interviewers)

    made = Checklist.objects.for_org(inspection.organization).filter(inspection=inspection)
    assert made.count() == 3


# --- interviewers --------------------------------------------------------------------------


def test_a_face_to_face_talk_with_one_interviewer_is_refused(inspection, leader, interviewers):
    with pytest.raises(DomainError, match="at least 2 interviewers"):
        _record(inspection, leader, interviewers[:1])


def test_a_face_to_face_talk_with_two_interviewers_is_recorded(inspection, leader, interviewers):
    interview = _record(inspection, leader, interviewers)

    seats = Interviewer.objects.for_org(inspection.organization).filter(interview=interview)
    assert sorted(seats.values_list("inspector_id", flat=True)) == [p.pk for p in interviewers]


def test_a_phone_interview_with_one_interviewer_is_recorded(inspection, leader, interviewers):
    interview = _record(inspection, leader, interviewers[:1], method=Method.PHONE)

    assert interview.method == Method.PHONE


def test_the_tenant_may_ask_three_interviewers(org, inspection, leader, interviewers, office_user):
    services.save_interview_settings(org=org, actor=office_user, min_interviewers_in_person=3)

    with pytest.raises(DomainError, match="at least 3 interviewers"):
        _record(inspection, leader, interviewers)


def test_an_interviewer_not_on_the_team_is_refused(org, inspection, leader, interviewers):
    stranger = InspectorFactory(organization=org, name="王外人")

    with pytest.raises(DomainError, match="王外人 do not work this inspection"):
        _record(inspection, leader, [*interviewers, stranger])


def test_a_member_recused_from_the_unit_is_refused(
    org, inspection, leader, interviewers, office_user
):
    seat = interviewers[1].team_memberships.get()
    recusal = RecusalFactory(member=seat, unit=inspection.unit)
    team_services.decide_recusal(recusal=recusal, actor=office_user, approve=True)

    with pytest.raises(DomainError, match="do not work this inspection"):
        _record(inspection, leader, interviewers)


def test_the_replacement_of_a_recused_member_may_interview(
    org, inspection, leader, interviewers, office_user
):
    seat = interviewers[1].team_memberships.get()
    stand_in = InspectorFactory(organization=org, name="李替补")
    recusal = RecusalFactory(member=seat, unit=inspection.unit)
    team_services.decide_recusal(
        recusal=recusal, actor=office_user, approve=True, replacement=stand_in
    )

    interview = _record(inspection, leader, [interviewers[0], stand_in])

    assert interview.seats.count() == 2


def test_somebody_outside_the_team_cannot_record(inspection, office_user, interviewers):
    with pytest.raises(DomainError, match="Only the inspection's team"):
        _record(inspection, office_user, interviewers)


# --- time, outline --------------------------------------------------------------------------


def test_a_time_in_the_future_is_refused(inspection, leader, interviewers):
    later = timezone.now() + datetime.timedelta(hours=2)

    with pytest.raises(DomainError, match="in the future"):
        _record(inspection, leader, interviewers, held_at=later)


def test_a_time_far_from_the_round_is_refused(inspection, leader, interviewers):
    long_ago = datetime.datetime(2020, 1, 1, 9, tzinfo=datetime.UTC)

    with pytest.raises(DomainError, match="too far from"):
        _record(inspection, leader, interviewers, held_at=long_ago)


def test_the_outline_questions_are_kept_as_asked(org, inspection, leader, interviewers):
    outline = OutlineTemplateFactory(organization=org, questions=["问题一"])
    interview = _record(inspection, leader, interviewers, outline=outline)
    outline.questions = ["改过的问题"]
    outline.save()

    interview.refresh_from_db()
    assert interview.outline_questions == ["问题一"]


def test_another_tenants_outline_is_refused(inspection, leader, interviewers, other_org):
    outline = OutlineTemplate(organization=other_org, name="x", role="principal", pk=999999)

    with pytest.raises(DomainError, match="outlines offered"):
        _record(inspection, leader, interviewers, outline=outline)


# --- ticking -------------------------------------------------------------------------------


def test_ticking_marks_the_item_done_by_the_interview(inspection, leader, interviewers, checklists):
    item = item_named(inspection, "四必谈", "主要领导")

    interview = _record(inspection, leader, interviewers, items=[item])

    item.refresh_from_db()
    assert (item.interview_id, item.is_done, item.done_by_id) == (interview.pk, True, leader.pk)


def test_an_item_done_by_another_interview_is_refused(inspection, leader, interviewers, checklists):
    item = item_named(inspection, "四必谈", "主要领导")
    _record(inspection, leader, interviewers, items=[item])

    with pytest.raises(DomainError, match="already done"):
        _record(inspection, leader, interviewers, items=[item], interviewee_name="李华")


def test_an_item_done_by_documents_cannot_be_ticked_by_an_interview(
    inspection, leader, interviewers, checklists
):
    item = item_named(inspection, "五必查", "三重一大事项")

    with pytest.raises(DomainError, match="done by a document"):
        _record(inspection, leader, interviewers, items=[item])


def test_deleting_the_interview_unticks_its_items(inspection, leader, interviewers, checklists):
    item = item_named(inspection, "四必谈", "主要领导")
    interview = _record(inspection, leader, interviewers, items=[item])

    services.delete_interview(interview=interview, actor=leader)

    item.refresh_from_db()
    assert (item.interview_id, item.done_at) == (None, None)


def test_editing_without_the_item_unticks_it(inspection, leader, interviewers, checklists):
    item = item_named(inspection, "四必谈", "主要领导")
    interview = _record(inspection, leader, interviewers, items=[item])

    services.update_interview(interview=interview, actor=leader, details=details(interviewers))

    item.refresh_from_db()
    assert item.is_done is False


def test_an_item_is_ticked_by_a_document(inspection, office_user, checklists):
    item = item_named(inspection, "五必查", "三重一大事项")

    services.tick_item(item=item, actor=office_user, document_note="2024年党委会会议纪要")

    item.refresh_from_db()
    assert (item.document_note, item.is_done) == ("2024年党委会会议纪要", True)


def test_an_interview_item_is_not_ticked_by_a_document(inspection, office_user, checklists):
    item = item_named(inspection, "四必谈", "班子成员")

    with pytest.raises(DomainError, match="done by an interview"):
        services.tick_item(item=item, actor=office_user, document_note="花名册")


# --- a closed inspection -------------------------------------------------------------------


def _closed(inspection: Inspection) -> Inspection:
    Inspection.objects.filter(pk=inspection.pk).update(stage=Stage.CLOSED)
    return inspection


def test_a_closed_inspection_refuses_a_new_interview(inspection, leader, interviewers):
    _closed(inspection)

    with pytest.raises(DomainError, match="is closed"):
        _record(inspection, leader, interviewers)


def test_a_closed_inspection_keeps_its_interview(inspection, leader, interview):
    _closed(inspection)

    with pytest.raises(DomainError, match="is closed"):
        services.delete_interview(interview=interview, actor=leader)
    assert Interview.objects.filter(pk=interview.pk).exists()


def test_an_item_is_ticked_by_a_document_request(inspection, office_user, checklists):
    from tests.factories_documents import DocumentRequestFactory

    request = DocumentRequestFactory(inspection=inspection, title="2024年党委会会议纪要")
    item = item_named(inspection, "五必查", "三重一大事项")

    services.tick_item(item=item, actor=office_user, document_request=request)

    item.refresh_from_db()
    assert (item.document_request_id, item.is_done) == (request.pk, True)


def test_another_inspections_document_request_is_refused(inspection, office_user, checklists):
    from tests.factories_documents import DocumentRequestFactory

    elsewhere = DocumentRequestFactory(inspection__round=inspection.round)
    item = item_named(inspection, "五必查", "三重一大事项")

    with pytest.raises(DomainError, match="document request of this inspection"):
        services.tick_item(item=item, actor=office_user, document_request=elsewhere)


def test_a_member_removed_from_the_team_is_refused(inspection, leader, interviewers, office_user):
    seat = interviewers[1].team_memberships.get()
    team_services.remove_member(member=seat, actor=office_user, reason="抽调参加审计专项")

    with pytest.raises(DomainError, match="do not work this inspection"):
        _record(inspection, leader, interviewers, method=Method.PHONE)
