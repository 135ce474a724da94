"""Archiving plans and rounds (归档): hidden from lists and pickers, shown with "show archived",
reachable, read-only, confirmed first, undone by unarchiving; a used plan or round is never
deleted."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.errors import DomainError
from history.tracking import event_model
from rounds.models import CoveragePlan, CoverageTarget, Recusal, Round, Team
from rounds.selectors.teams import round_look_back_list
from rounds.services import archive, coverage
from rounds.services import inspections as inspection_services
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import (
    CoveragePlanFactory,
    InspectionFactory,
    InspectorFactory,
    RecusalFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
)

CONFIRMED = {"confirmed": "1"}
BADGE = '<span class="badge text-bg-secondary">已归档</span>'  # a listed row's


def _url(name: str, *args) -> str:
    return reverse(f"rounds:{name}", args=args)


@pytest.fixture
def plan(org, unit_tree, office_user) -> CoveragePlan:
    plan = CoveragePlanFactory(organization=org, name="2024—2026年规划")
    coverage.add_targets(plan=plan, actor=office_user, unit=unit_tree["mianyang"])
    return plan


@pytest.fixture
def round_(org) -> Round:
    return RoundFactory(
        organization=org,
        name="2024年第一轮巡察",
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2024, 6, 30),
    )


@pytest.fixture
def team(round_) -> Team:
    return TeamFactory(round=round_, name="第一巡察组")


@pytest.fixture
def archived_plan(plan, office_user) -> CoveragePlan:
    return archive.archive_plan(plan=plan, actor=office_user)


@pytest.fixture
def archived_round(team, office_user) -> Round:
    """Archived with its team, before any unit was assigned."""
    return archive.archive_round(round=team.round, actor=office_user)


def _names(response) -> list[str]:
    return [row.name for row in response.context["object_list"]]


# -- lists hide archived records; "show archived" lists them too ------------------------------


def test_an_archived_plan_leaves_the_plan_list(login, office_user, archived_plan, org):
    CoveragePlanFactory(organization=org, name="2027—2029年规划")

    response = login(office_user).get(_url("plan_list"))

    assert _names(response) == ["2027—2029年规划"]


def test_show_archived_lists_the_archived_plan_with_its_badge(login, office_user, archived_plan):
    response = login(office_user).get(_url("plan_list"), {"archived": "1"})

    assert _names(response) == ["2024—2026年规划"]
    assert BADGE in response.content.decode()


def test_an_archived_round_leaves_the_round_list(login, office_user, archived_round, org):
    RoundFactory(organization=org, name="2025年第一轮巡察")

    response = login(office_user).get(_url("round_list"))

    assert _names(response) == ["2025年第一轮巡察"]
    assert list(response.context["years"]) == [2025]


def test_show_archived_lists_the_archived_round(login, office_user, archived_round):
    response = login(office_user).get(_url("round_list"), {"archived": "1"})

    assert _names(response) == ["2024年第一轮巡察"]
    assert BADGE in response.content.decode()


def test_the_inspection_lists_round_filter_leaves_out_archived_rounds(
    login, office_user, archived_round, org, unit_tree
):
    RoundFactory(organization=org, name="2025年第一轮巡察")
    InspectionFactory(round=archived_round, unit=unit_tree["chengdu"], stage=Stage.CLOSED)
    client = login(office_user)

    hidden = client.get(_url("inspection_list"))
    shown = client.get(_url("inspection_list"), {"archived": "1"})
    chosen = client.get(_url("inspection_list"), {"round": archived_round.pk})

    assert [r.name for r in hidden.context["rounds"]] == ["2025年第一轮巡察"]
    assert [r.name for r in shown.context["rounds"]] == ["2025年第一轮巡察", "2024年第一轮巡察"]
    assert archived_round in chosen.context["rounds"]  # the filter chosen stays selectable
    assert len(chosen.context["rows"]) == 1  # its closed inspection is still listed


def test_an_archived_look_back_round_is_not_offered_for_look_backs(org, office_user):
    kept = RoundFactory(organization=org, kind=Round.Kind.LOOK_BACK, name="回头看（一）")
    gone = RoundFactory(organization=org, kind=Round.Kind.LOOK_BACK, name="回头看（二）")
    archive.archive_round(round=gone, actor=office_user)

    assert list(round_look_back_list(org=org)) == [kept]


def test_a_look_back_into_an_archived_round_is_refused(org, office_user, unit_tree):
    closed = InspectionFactory(organization=org, unit=unit_tree["chengdu"], stage=Stage.CLOSED)
    look_back = RoundFactory(organization=org, kind=Round.Kind.LOOK_BACK)
    archive.archive_round(round=look_back, actor=office_user)

    with pytest.raises(DomainError, match="已归档"):
        inspection_services.create_look_back(
            inspection=closed, actor=office_user, target_round=look_back
        )

    assert not look_back.inspections.exists()


@pytest.mark.parametrize("archived", ["", "1"])
def test_round_list_runs_the_same_queries_for_3_and_30_rounds_either_way(
    login, office_user, org, django_assert_num_queries, archived
):
    client = login(office_user)

    for count in (3, 27):
        for _ in range(count):
            rnd = RoundFactory(organization=org)
            InspectionFactory(round=rnd, stage=Stage.CLOSED)
            archive.archive_round(round=RoundFactory(organization=org), actor=office_user)
        with django_assert_num_queries(7):
            assert client.get(_url("round_list"), {"archived": archived}).status_code == 200


@pytest.mark.parametrize("archived", ["", "1"])
def test_plan_list_runs_the_same_queries_for_3_and_30_plans_either_way(
    login, office_user, org, django_assert_num_queries, archived
):
    client = login(office_user)

    for count in (3, 27):
        for _ in range(count):
            CoveragePlanFactory(organization=org)
            archive.archive_plan(plan=CoveragePlanFactory(organization=org), actor=office_user)
        with django_assert_num_queries(6):
            assert client.get(_url("plan_list"), {"archived": archived}).status_code == 200


# -- detail pages stay reachable and say so --------------------------------------------------


def test_an_archived_plans_page_says_archived_and_offers_no_edits(
    login, office_user, archived_plan
):
    response = login(office_user).get(_url("plan_detail", archived_plan.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="archived-badge"' in page
    assert _url("plan_edit", archived_plan.pk) not in page
    assert _url("plan_unarchive", archived_plan.pk) in page


def test_an_archived_rounds_page_says_archived_and_offers_no_edits(
    login, office_user, archived_round
):
    response = login(office_user).get(_url("round_detail", archived_round.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="archived-badge"' in page
    assert _url("round_edit", archived_round.pk) not in page
    assert _url("round_unarchive", archived_round.pk) in page


# -- archiving asks first, then archives; unarchiving undoes it ------------------------------


@pytest.mark.parametrize("kind", ["plan", "round"])
def test_archiving_without_confirmation_shows_what_it_affects_and_changes_nothing(
    login, office_user, plan, round_, kind
):
    record = {"plan": plan, "round": round_}[kind]

    response = login(office_user).post(_url(f"{kind}_archive", record.pk))

    record.refresh_from_db()
    assert response.status_code == 200
    assert response.templates[0].name == "_confirm.html"
    assert "只读" in response.content.decode()
    assert record.archived_at is None


def test_the_plans_confirmation_counts_its_targets(login, office_user, plan):
    response = login(office_user).post(_url("plan_archive", plan.pk))

    assert "1个" in str(response.context["effects"][1])


def test_office_archives_a_plan_once_confirmed_and_the_history_names_them(login, office_user, plan):
    response = login(office_user).post(_url("plan_archive", plan.pk), CONFIRMED)

    plan.refresh_from_db()
    event = event_model(CoveragePlan).objects.filter(pgh_obj_id=plan.pk).latest("pgh_id")
    assert response.url == _url("plan_detail", plan.pk)
    assert plan.archived_at is not None
    assert (event.archived_at, event.pgh_context["user"]) == (plan.archived_at, office_user.pk)
    assert CoverageTarget.objects.filter(plan=plan).count() == 1  # its targets are kept


def test_office_archives_a_round_whose_inspections_are_closed(login, office_user, team, unit_tree):
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"], stage=Stage.CLOSED)

    response = login(office_user).post(_url("round_archive", team.round.pk), CONFIRMED)

    team.round.refresh_from_db()
    assert response.url == _url("round_detail", team.round.pk)
    assert team.round.archived_at is not None


def test_a_round_with_running_inspections_is_not_archived(login, office_user, team, unit_tree):
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"], stage=Stage.ONSITE)
    client = login(office_user)

    asked = client.post(_url("round_archive", team.round.pk))
    forced = client.post(_url("round_archive", team.round.pk), CONFIRMED, follow=True)

    team.round.refresh_from_db()
    assert asked.url == _url("round_detail", team.round.pk)  # refused before asking
    assert "成都分公司" in forced.content.decode()
    assert team.round.archived_at is None


@pytest.mark.parametrize("kind", ["plan", "round"])
def test_unarchiving_brings_the_record_back_to_its_list(
    login, office_user, archived_plan, archived_round, kind
):
    record = {"plan": archived_plan, "round": archived_round}[kind]
    client = login(office_user)

    response = client.post(_url(f"{kind}_unarchive", record.pk))

    record.refresh_from_db()
    assert response.url == _url(f"{kind}_detail", record.pk)
    assert record.archived_at is None
    assert record.name in _names(client.get(_url(f"{kind}_list")))


def test_an_unarchived_plan_can_be_edited_again(office_user, archived_plan):
    plan = archive.unarchive_plan(plan=archived_plan, actor=office_user)

    coverage.update_plan(
        plan=plan, actor=office_user, name="改名规划", start_year=2024, end_year=2026
    )

    plan.refresh_from_db()
    assert plan.name == "改名规划"


@pytest.mark.parametrize("persona", ["team_member_user", "leadership_user"])
@pytest.mark.parametrize("name", ["plan_archive", "plan_unarchive", "plan_delete"])
def test_only_the_office_archives_plans(request, login, plan, persona, name):
    client = login(request.getfixturevalue(persona))

    response = client.post(_url(name, plan.pk), CONFIRMED)

    plan.refresh_from_db()
    assert response.status_code == 403
    assert plan.archived_at is None


# -- archived records are read-only ----------------------------------------------------------


def _archived_pages(plan: CoveragePlan, round_: Round, team: Team) -> list[tuple[str, str, str]]:
    """(edit page, its record's page) of an archived plan, round and team."""
    plan_page, round_page = _url("plan_detail", plan.pk), _url("round_detail", round_.pk)
    return [
        (_url("plan_edit", plan.pk), plan_page, "plan"),
        (_url("plan_target_add", plan.pk), plan_page, "plan"),
        (_url("round_edit", round_.pk), round_page, "round"),
        (_url("team_create", round_.pk), round_page, "round"),
        (_url("team_edit", team.pk), round_page, "round"),
        (_url("team_member_add", team.pk), round_page, "round"),
        (_url("team_assign_unit", team.pk), round_page, "round"),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("page", range(7))
def test_the_edit_pages_of_archived_records_refuse(
    login, office_user, archived_plan, archived_round, method, page
):
    team = archived_round.teams.get()
    url, back, _kind = _archived_pages(archived_plan, archived_round, team)[page]
    data = {"name": "改了", "start_year": 2024, "end_year": 2026} if method == "post" else None

    response = getattr(login(office_user), method)(url, data, follow=True)

    assert response.redirect_chain == [(back, 302)]
    assert "已归档，只读" in response.content.decode()
    assert CoveragePlan.objects.get().name == "2024—2026年规划"
    assert Team.objects.get().name == "第一巡察组"


def test_removing_a_target_of_an_archived_plan_is_refused(login, office_user, archived_plan):
    target = archived_plan.targets.get()

    response = login(office_user).post(_url("plan_target_remove", target.pk), follow=True)

    assert "已归档，只读" in response.content.decode()
    assert archived_plan.targets.count() == 1


def _plan_edits(plan, actor, unit):
    yield lambda: coverage.update_plan(
        plan=plan, actor=actor, name="x", start_year=2024, end_year=2026
    )
    yield lambda: coverage.add_targets(plan=plan, actor=actor, unit=unit)
    yield lambda: coverage.remove_target(target=plan.targets.get(), actor=actor)


def test_every_plan_service_refuses_an_archived_plan(office_user, archived_plan, unit_tree):
    for edit in _plan_edits(archived_plan, office_user, unit_tree["chengdu"]):
        with pytest.raises(DomainError, match="已归档"):
            edit()

    archived_plan.refresh_from_db()
    assert (archived_plan.name, archived_plan.targets.count()) == ("2024—2026年规划", 1)


def test_every_team_service_refuses_an_archived_round(office_user, archived_round, unit_tree):
    team = archived_round.teams.get()
    inspector = InspectorFactory(organization=archived_round.organization)
    seated = TeamMemberFactory(team=team)
    pending = RecusalFactory(member=seated, unit=unit_tree["outlet"])
    edits = [
        lambda: team_services.create_team(round=archived_round, actor=office_user, name="新组"),
        lambda: team_services.update_team(team=team, actor=office_user, name="改名组"),
        lambda: team_services.add_member(
            team=team, actor=office_user, inspector=inspector, role="member"
        ),
        lambda: team_services.assign_unit(team=team, actor=office_user, unit=unit_tree["outlet"]),
        lambda: team_services.remove_member(member=seated, actor=office_user),
        lambda: team_services.declare_recusal(
            member=seated,
            actor=office_user,
            unit=unit_tree["chengdu"],
            reason="亲属在该单位任职",
            declared_on=datetime.date(2024, 3, 1),
        ),
        lambda: team_services.decide_recusal(recusal=pending, actor=office_user, approve=True),
    ]
    for edit in edits:
        with pytest.raises(DomainError, match="已归档"):
            edit()

    assert [t.name for t in Team.objects.all()] == ["第一巡察组"]
    assert (team.members.get(), team.inspections.count()) == (seated, 0)
    assert list(seated.recusals.values_list("decision", flat=True)) == [Recusal.Decision.PENDING]


def test_an_empty_archived_rounds_dates_are_read_only(office_user, round_):
    archive.archive_round(round=round_, actor=office_user)

    with pytest.raises(DomainError, match="已归档"):
        team_services.update_round(
            round=round_,
            actor=office_user,
            name=round_.name,
            kind=round_.kind,
            start_date=round_.start_date,
            end_date=round_.end_date.replace(day=29),
        )

    round_.refresh_from_db()
    assert round_.end_date == datetime.date(2024, 6, 30)


# -- deleting: only what nothing uses ----------------------------------------------------------


def test_an_unused_plan_is_deleted_once_confirmed(login, office_user, org):
    empty = CoveragePlanFactory(organization=org)
    client = login(office_user)

    asked = client.post(_url("plan_delete", empty.pk))
    assert CoveragePlan.objects.filter(pk=empty.pk).exists()
    response = client.post(_url("plan_delete", empty.pk), CONFIRMED)

    assert asked.templates[0].name == "_confirm.html"
    assert response.url == _url("plan_list")
    assert not CoveragePlan.objects.filter(pk=empty.pk).exists()


def test_a_plan_with_targets_is_not_deleted(login, office_user, plan):
    response = login(office_user).post(_url("plan_delete", plan.pk), CONFIRMED, follow=True)

    assert f"巡察规划“{plan.name}”已有巡察对象单位，不能删除，请改为归档。" in (
        response.content.decode()
    )
    assert CoveragePlan.objects.filter(pk=plan.pk).exists()


def test_an_unused_round_is_deleted_once_confirmed(login, office_user, round_):
    response = login(office_user).post(_url("round_delete", round_.pk), CONFIRMED)

    assert response.url == _url("round_list")
    assert not Round.objects.filter(pk=round_.pk).exists()


@pytest.mark.parametrize("use", ["team", "inspection"])
def test_a_round_with_teams_or_inspections_is_not_deleted(login, office_user, round_, use):
    TeamFactory(round=round_) if use == "team" else InspectionFactory(round=round_)

    response = login(office_user).post(_url("round_delete", round_.pk), CONFIRMED, follow=True)

    assert f"巡察轮次“{round_.name}”已有巡察组或巡察，不能删除，请改为归档。" in (
        response.content.decode()
    )
    assert Round.objects.filter(pk=round_.pk).exists()


def test_the_delete_services_refuse_used_records_too(office_user, plan, team):
    with pytest.raises(DomainError):
        archive.delete_plan(plan=plan, actor=office_user)
    with pytest.raises(DomainError):
        archive.delete_round(round=team.round, actor=office_user)

    assert (CoveragePlan.objects.count(), Round.objects.count()) == (1, 1)


def test_a_used_records_page_offers_no_delete(login, office_user, plan, team):
    client = login(office_user)

    plan_page = client.get(_url("plan_detail", plan.pk)).content.decode()
    round_page = client.get(_url("round_detail", team.round.pk)).content.decode()

    assert _url("plan_delete", plan.pk) not in plan_page
    assert _url("round_delete", team.round.pk) not in round_page
