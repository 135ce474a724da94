"""The team's interview pages, the checklist page, and who is told 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviews import services
from interviews.models import Interview
from tests.factories_interviews import InterviewFactory
from tests.interviews.conftest import details, item_named


def _form(people, **changes) -> dict:
    return {
        "interviewee_name": "张明",
        "interviewee_position": "党委书记",
        "category": "leadership",
        "method": "in_person",
        "held_at": "2025-04-02T09:30",
        "place": "第一会议室",
        "interviewers": [p.pk for p in people],
        "notes": "谈话要点（保密）",
        **changes,
    }


def _list(inspection) -> str:
    return reverse("interviews:interview_list", args=[inspection.pk])


def _create(inspection) -> str:
    return reverse("interviews:interview_create", args=[inspection.pk])


def _detail(interview) -> str:
    return reverse("interviews:interview_detail", args=[interview.pk])


def _checklist(inspection) -> str:
    return reverse("interviews:checklist", args=[inspection.pk])


# --- recording -------------------------------------------------------------------------------


def test_the_leader_records_an_interview_ticking_an_item(
    login, leader, inspection, interviewers, checklists
):
    item = item_named(inspection, "四必谈", "主要领导")

    response = login(leader).post(_create(inspection), _form(interviewers, items=[item.pk]))

    interview = Interview.objects.get(inspection=inspection)
    assert response["Location"] == _detail(interview)
    item.refresh_from_db()
    assert item.interview_id == interview.pk


def test_one_interviewer_for_a_face_to_face_talk_is_an_error_on_the_form(
    login, leader, inspection, interviewers
):
    response = login(leader).post(_create(inspection), _form(interviewers[:1]))

    assert response.status_code == 200
    assert "面谈须由至少2名谈话人进行" in response.content.decode()
    assert not Interview.objects.filter(inspection=inspection).exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"held_at": "2025-13-45T99:99"},
        {"held_at": "not a time"},
        {"interviewers": ["999999"]},
        {"interviewers": ["abc"]},
        {"category": "boss"},
        {"interviewee_name": "张\x00明"},
        {"notes": "要点\x00"},
        {"items": ["999999"]},
        {"outline": "999999"},
    ],
    ids=[
        "bad-date",
        "not-a-time",
        "unknown-person",
        "not-an-id",
        "category",
        "nul",
        "nul-notes",
        "unknown-item",
        "unknown-outline",
    ],
)
def test_hostile_input_changes_nothing(login, leader, inspection, interviewers, changes):
    response = login(leader).post(_create(inspection), _form(interviewers, **changes))

    assert response.status_code == 200
    assert not Interview.objects.filter(inspection=inspection).exists()


def test_the_form_offers_only_the_people_working_the_inspection(
    login, leader, inspection, interviewers, org
):
    from tests.factories import InspectorFactory

    InspectorFactory(organization=org, name="王外人")

    page = login(leader).get(_create(inspection)).content.decode()

    assert interviewers[0].name in page
    assert "王外人" not in page


# --- reading ---------------------------------------------------------------------------------


def test_the_detail_page_shows_notes_outline_ticks_and_history(
    login, leader, inspection, interviewers, checklists, org
):
    services.ensure_default_templates(org=org)
    from interviews.models import OutlineTemplate

    outline = OutlineTemplate.objects.for_org(org).get(role="principal")
    item = item_named(inspection, "四必谈", "主要领导")
    login(leader).post(
        _create(inspection), _form(interviewers, items=[item.pk], outline=outline.pk)
    )
    interview = Interview.objects.get(inspection=inspection)

    page = login(leader).get(_detail(interview)).content.decode()

    assert "谈话要点（保密）" in page
    assert outline.questions[0] in page
    assert "四必谈 · 主要领导" in page
    assert "修改记录" in page


def test_the_team_member_reads_the_list(login, team_member_user, interview, inspection):
    page = login(team_member_user).get(_list(inspection)).content.decode()

    assert interview.interviewee_name in page


def test_the_list_filters_by_method(login, leader, inspection):
    InterviewFactory(inspection=inspection, interviewee_name="李电话", method="phone")
    InterviewFactory(inspection=inspection, interviewee_name="王座谈", method="forum")

    page = login(leader).get(_list(inspection), {"method": "forum"}).content.decode()

    assert ("王座谈" in page, "李电话" in page) == (True, False)


def test_the_list_runs_the_same_queries_for_3_and_30_interviews(
    login, leader, inspection, interviewers, django_assert_num_queries
):
    client = login(leader)
    for count in (3, 27):
        for _ in range(count):
            interview = InterviewFactory(inspection=inspection)
            interview.seats.create(organization=inspection.organization, inspector=interviewers[0])
        with django_assert_num_queries(10):
            assert client.get(_list(inspection)).status_code == 200


# --- who is told 404 -------------------------------------------------------------------------

OUTSIDERS = ["office_user", "leadership_user", "unit_liaison", "other_team_member"]


def _interview_urls(interview) -> list[tuple[str, str]]:
    inspection = interview.inspection
    return [
        ("get", _list(inspection)),
        ("get", _create(inspection)),
        ("post", _create(inspection)),
        ("get", _detail(interview)),
        ("get", reverse("interviews:interview_edit", args=[interview.pk])),
        ("post", reverse("interviews:interview_edit", args=[interview.pk])),
        ("post", reverse("interviews:interview_delete", args=[interview.pk])),
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_outside_the_team_finds_an_interview_page(request, login, who, interview):
    client = login(request.getfixturevalue(who))

    answers = {
        url: getattr(client, method)(url).status_code for method, url in _interview_urls(interview)
    }

    assert set(answers.values()) == {404}, answers


def test_the_liaison_gets_404_on_the_checklist_page_too(login, unit_liaison, inspection):
    assert login(unit_liaison).get(_checklist(inspection)).status_code == 404


def test_the_liaison_never_sees_the_notes(login, unit_liaison, interview):
    for _method, url in _interview_urls(interview):
        assert "保密" not in login(unit_liaison).get(url).content.decode()


# --- the checklist page ----------------------------------------------------------------------


def test_the_checklist_page_shows_the_item_done_by_the_interview(
    login, leader, inspection, interviewers, checklists
):
    item = item_named(inspection, "四必谈", "主要领导")
    interview = services.record_interview(
        inspection=inspection, actor=leader, details=details(interviewers), items=[item]
    )

    page = login(leader).get(_checklist(inspection)).content.decode()

    assert f'checklist-item is-done" id="item-{item.pk}"' in page
    assert _detail(interview) in page


def test_the_office_sees_the_checklist_without_links_to_interviews(
    login, office_user, interview, inspection, checklists
):
    item = item_named(inspection, "四必谈", "主要领导")
    services.update_interview(
        interview=interview,
        actor=interview.recorded_by,
        details=_details_of(interview),
        items=[item],
    )

    page = login(office_user).get(_checklist(inspection)).content.decode()

    assert "主要领导" in page
    assert _detail(interview) not in page
    assert interview.interviewee_name not in page


def _details_of(interview) -> services.InterviewDetails:
    return services.InterviewDetails(
        interviewee_name=interview.interviewee_name,
        category=interview.category,
        method=interview.method,
        held_at=interview.held_at,
        interviewers=[seat.inspector for seat in interview.seats.all()],
    )


def test_the_office_ticks_an_item_by_a_document(login, office_user, inspection, checklists):
    item = item_named(inspection, "五必查", "三重一大事项")
    url = reverse("interviews:checklist_item_tick", args=[item.pk])

    login(office_user).post(url, {"document_note": "2024年党委会会议纪要"})

    item.refresh_from_db()
    assert item.document_note == "2024年党委会会议纪要"


def test_the_checklists_start_from_the_page(login, leader, inspection):
    login(leader).post(reverse("interviews:checklist_start", args=[inspection.pk]))

    page = login(leader).get(_checklist(inspection)).content.decode()
    assert "下属单位主要负责人" in page


def test_deleting_asks_first(login, leader, interview):
    url = reverse("interviews:interview_delete", args=[interview.pk])

    response = login(leader).post(url)

    assert response.status_code == 200
    assert Interview.objects.filter(pk=interview.pk).exists()


def test_deleting_after_confirmation(login, leader, interview):
    url = reverse("interviews:interview_delete", args=[interview.pk])

    login(leader).post(url, {"confirmed": "1"})

    assert not Interview.objects.filter(pk=interview.pk).exists()


def test_the_checklist_names_the_document_request_that_did_the_item(
    login, office_user, inspection, checklists
):
    from tests.factories_documents import DocumentRequestFactory

    request = DocumentRequestFactory(inspection=inspection, title="近三年党委会会议纪要")
    item = item_named(inspection, "五必查", "三重一大事项")
    client = login(office_user)

    client.post(
        reverse("interviews:checklist_item_tick", args=[item.pk]), {"document_request": request.pk}
    )

    assert "“近三年党委会会议纪要”" in client.get(_checklist(inspection)).content.decode()


def test_the_interview_page_shows_an_edit_in_its_history(login, leader, interview, interviewers):
    client = login(leader)
    url = reverse("interviews:interview_edit", args=[interview.pk])
    client.post(url, _form(interviewers, place="纪委书记办公室"))

    page = client.get(_detail(interview)).content.decode()

    assert "成都分公司第一会议室" in page  # the old place, in 修改记录
    assert "纪委书记办公室" in page


def test_the_office_home_queue_links_to_the_missing_items(
    login, office_user, inspection, checklists
):
    page = login(office_user).get(reverse("home")).content.decode()

    assert _checklist(inspection) + "#missing" in page


def test_a_closed_inspections_interview_is_read_but_not_edited(login, leader, interview):
    from rounds.models import Inspection

    Inspection.objects.filter(pk=interview.inspection_id).update(stage="closed")
    client = login(leader)

    assert client.get(_detail(interview)).status_code == 200
    edit = client.get(reverse("interviews:interview_edit", args=[interview.pk]))
    assert edit.status_code == 302
