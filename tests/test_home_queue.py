"""The home page's work queue: each role sees what waits for it, each entry linking to the page
where it is done; empty queues say so and what to do next; roles whose work is not built yet
see what will reach them; another organization's work never appears; the page reads the same
number of queries for 3 and 30 inspections, whatever the role."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Organization, User
from accounts.roles import Role
from rounds import gates
from rounds.models import Inspection, Recusal, StagePlan, Team, TeamMember
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    IntelligenceRequestFactory,
    MembershipFactory,
    MilestoneFactory,
    RecusalFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    UnitFactory,
    UserFactory,
    WorkTaskFactory,
    seat_on_team,
)
from tests.factories_documents import DocumentRequestFactory
from xuncha.tenancy import org_scope

HOME = reverse("home")
QUEUE = reverse("accounts:work_queue")
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


class _Element(HTMLParser):
    """The text and links inside the element with ``id`` (the rendered page, as a reader sees
    it)."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id, self.depth, self.found = element_id, 0, False
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.depth == 0 and attributes.get("id") == self.element_id:
            self.found, self.depth = True, 1
            return
        if self.depth:
            if tag not in {"br", "img", "input", "meta", "link", "hr"}:
                self.depth += 1
            if tag == "a":
                self._href, self._link_text = attributes.get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._link_text).strip(), self._href))
            self._href = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)
            if self._href is not None:
                self._link_text.append(data)


def _part(response, element_id: str) -> _Element:
    assert response.status_code == 200
    element = _Element(element_id)
    element.feed(response.content.decode())
    assert element.found, f"#{element_id} is not on the page"
    return element


def _text(response, element_id: str) -> str:
    return " ".join("".join(_part(response, element_id).text).split())


def _links(response, element_id: str) -> list[tuple[str, str]]:
    return _part(response, element_id).links


def _detail(inspection: Inspection, anchor: str) -> str:
    return f"{reverse('rounds:inspection_detail', args=[inspection.pk])}#{anchor}"


def _member(org: Organization, *roles: str, username: str) -> User:
    return MembershipFactory(
        organization=org, user=UserFactory(username=username), roles=roles
    ).user


@pytest.fixture
def round_(org):
    return RoundFactory(organization=org, name="2025年第一轮巡察")


@pytest.fixture
def planned(round_, unit_tree) -> Inspection:
    """In planning with no team and no focus areas: both gates of preparation are unmet."""
    return InspectionFactory(round=round_, unit=unit_tree["chengdu"], focus_areas=[])


def _ready(inspection: Inspection) -> Inspection:
    """Both gates of preparation met: a team with a leader, focus areas chosen."""
    inspection.team = TeamFactory(round=inspection.round)
    inspection.focus_areas = ["funds"]
    inspection.save(update_fields=["team", "focus_areas"])
    TeamMemberFactory(team=inspection.team, role=TeamMember.Role.LEADER)
    return inspection


def _in_stage(inspection: Inspection, stage: str) -> Inspection:
    inspection.stage = stage
    inspection.save(update_fields=["stage"])
    return inspection


# --- the inspection office --------------------------------------------------------------------


def test_office_sees_an_inspection_held_by_its_gates_with_their_messages(
    login, office_user, planned
):
    response = login(office_user).get(HOME)

    text = _text(response, "queue-rounds-waiting")
    assert "成都分公司" in text
    assert "请配备巡察组并指定组长。" in text
    assert "请选择工作方案的巡察重点。" in text
    assert "下一阶段：巡前准备" in text


def test_each_gate_links_to_where_it_is_met(login, office_user, planned):
    response = login(office_user).get(HOME)

    assert _links(response, "queue-rounds-waiting") == [
        ("成都分公司", _detail(planned, "waiting-for")),
        ("请配备巡察组并指定组长。", _detail(planned, "team")),
        ("请选择工作方案的巡察重点。", reverse("rounds:inspection_workplan", args=[planned.pk])),
    ]


def test_an_inspection_whose_gates_are_met_is_not_waiting(login, office_user, planned):
    _ready(planned)

    text = _text(login(office_user).get(HOME), "queue-rounds-waiting")

    assert "成都分公司" not in text
    assert "暂无待办。 所有进行中的巡察均可进入下一阶段。" in text


def test_gates_of_later_stages_hold_inspections_in_the_stage_before(
    login, office_user, round_, unit_tree
):
    preparing = _in_stage(
        InspectionFactory(round=round_, unit=unit_tree["mianyang"]), "preparation"
    )
    IntelligenceRequestFactory(inspection=preparing)  # requested, not answered
    _in_stage(InspectionFactory(round=round_, unit=unit_tree["jinjiang"]), Stage.ONSITE)  # none

    text = _text(login(office_user).get(HOME), "queue-rounds-waiting")

    assert "绵阳分公司" in text
    assert "须待所有情况征询函均已回复。" in text
    assert "锦江区分公司" not in text


def test_office_sees_intelligence_answers_overdue_or_due_soon(
    login, office_user, round_, unit_tree
):
    inspection = _in_stage(
        InspectionFactory(round=round_, unit=unit_tree["chengdu"]), "preparation"
    )
    overdue = IntelligenceRequestFactory(inspection=inspection, due_on=TODAY - DAY)
    soon = IntelligenceRequestFactory(
        inspection=inspection, department="finance", due_on=TODAY + 2 * DAY
    )
    IntelligenceRequestFactory(inspection=inspection, department="legal", due_on=TODAY + 9 * DAY)
    IntelligenceRequestFactory(
        inspection=inspection, department="organization", due_on=TODAY - DAY, answered_on=TODAY
    )

    response = login(office_user).get(HOME)

    answer = reverse("rounds:intelligence_request_answer", args=[inspection.pk])
    assert _links(response, "queue-rounds-intelligence-due") == [
        ("审计部门", f"{answer}?request={overdue.pk}"),
        ("财务部门", f"{answer}?request={soon.pk}"),
    ]
    text = _text(response, "queue-rounds-intelligence-due")
    assert f"{(TODAY - DAY).isoformat()} 已逾期" in text
    assert f"{(TODAY + 2 * DAY).isoformat()} 到期" in text


def test_office_sees_the_stage_an_inspection_overran(login, office_user, round_, unit_tree):
    late = _in_stage(InspectionFactory(round=round_, unit=unit_tree["chengdu"]), Stage.ONSITE)
    for stage, end in ((Stage.PREPARATION, TODAY - 30 * DAY), (Stage.ONSITE, TODAY - 3 * DAY)):
        StagePlan.objects.create(
            organization=late.organization, inspection=late, stage=stage, planned_end=end
        )
    on_time = _in_stage(InspectionFactory(round=round_, unit=unit_tree["mianyang"]), Stage.ONSITE)
    StagePlan.objects.create(
        organization=on_time.organization, inspection=on_time, stage=Stage.ONSITE, planned_end=TODAY
    )

    response = login(office_user).get(HOME)

    assert _links(response, "queue-rounds-stage-overdue") == [
        ("成都分公司", _detail(late, "schedule"))
    ]
    text = _text(response, "queue-rounds-stage-overdue")
    assert f"计划于 {(TODAY - 3 * DAY).isoformat()} 结束，已超期 3 天" in text
    assert "现场巡察" in text


def test_office_sees_recusals_to_decide(login, office_user, round_, unit_tree):
    member = TeamMemberFactory(team__round=round_, inspector__name="李明")
    RecusalFactory(member=member, unit=unit_tree["mianyang"])
    RecusalFactory(member=member, unit=unit_tree["chengdu"], decision=Recusal.Decision.APPROVED)

    response = login(office_user).get(HOME)

    team_page = reverse("rounds:team_detail", args=[member.team_id])
    assert _links(response, "queue-rounds-recusals") == [
        ("李明 · 绵阳分公司", f"{team_page}#recusals")
    ]


def test_a_long_section_shows_five_and_links_to_all(login, office_user, round_):
    for _n in range(7):
        InspectionFactory(round=round_)

    response = login(office_user).get(HOME)

    links = _links(response, "queue-rounds-waiting")
    more = f"{QUEUE}?section=rounds.waiting"
    assert links[-1] == ("查看全部 7 项", more)
    assert len([link for link in links if link[1].endswith("#waiting-for")]) == 5
    assert _text(response, "queue-rounds-waiting").startswith("等待满足进入条件的巡察 7 ")  # badge


def test_the_full_list_of_a_section_shows_every_entry(login, office_user, round_):
    for _n in range(7):
        InspectionFactory(round=round_)

    response = login(office_user).get(QUEUE, {"section": "rounds.waiting"})

    entries = [link for link in _links(response, "queue-entries") if "#waiting-for" in link[1]]
    assert len(entries) == 7


def test_an_empty_office_queue_says_nothing_waits_and_what_to_do(login, office_user):
    response = login(office_user).get(HOME)

    assert "暂无待办。" in _text(response, "queue-rounds-intelligence-due")
    assert _links(response, "queue-rounds-intelligence-due") == [
        ("巡前准备阶段的巡察", f"{reverse('rounds:inspection_list')}?stage=preparation")
    ]
    assert _links(response, "queue-rounds-recusals") == [
        ("查看巡察轮次及巡察组", reverse("rounds:round_list"))
    ]


# --- the leadership group ---------------------------------------------------------------------


def test_leadership_sees_inspections_to_close(login, leadership_user, planned):
    _in_stage(planned, Stage.ACCEPTANCE)

    response = login(leadership_user).get(HOME)

    assert _links(response, "queue-rounds-closing") == [
        ("成都分公司", _detail(planned, "waiting-for"))
    ]
    assert "可以销号" in _text(response, "queue-rounds-closing")


def test_leadership_sees_what_a_registered_closing_gate_still_waits_for(
    monkeypatch, login, leadership_user, planned
):
    """A gate such as the rectification app registers ("no closing while items are open")."""
    monkeypatch.setitem(gates.GATES, Stage.CLOSED, [])
    still_open = gates.Gate(lambda org: Q(pk__isnull=False), "仍有2项整改事项未销号。")
    gates.register_gate(Stage.CLOSED, still_open)
    _in_stage(planned, Stage.ACCEPTANCE)

    text = _text(login(leadership_user).get(HOME), "queue-rounds-closing")

    assert "仍有2项整改事项未销号。" in text
    assert "条件未满足" in text


def test_leadership_does_not_see_the_offices_queue(login, leadership_user, planned):
    content = login(leadership_user).get(HOME).content.decode()

    assert 'id="queue-office"' not in content
    assert "成都分公司" not in content


# --- team leaders and members -----------------------------------------------------------------


@pytest.fixture
def team(round_) -> Team:
    return TeamFactory(round=round_, name="第一巡察组")


@pytest.fixture
def team_leader(org, team, office_user) -> User:
    user = _member(org, Role.TEAM_LEADER, username="zuzhang")
    seat_on_team(team, user, role=TeamMember.Role.LEADER, actor=office_user)
    return user


@pytest.fixture
def led(team, team_leader, office_user, unit_tree) -> Inspection:
    return team_services.assign_unit(team=team, actor=office_user, unit=unit_tree["mianyang"])


def test_team_leader_sees_the_next_step_and_missing_work_plan_parts(login, team_leader, led):
    led.focus_areas = []
    led.save(update_fields=["focus_areas"])

    response = login(team_leader).get(HOME)

    workplan = reverse("rounds:inspection_workplan", args=[led.pk])
    assert _links(response, "queue-rounds-led") == [
        ("绵阳分公司", _detail(led, "waiting-for")),
        ("请选择工作方案的巡察重点。", workplan),  # the gate of preparation
        ("请撰写工作方案。", workplan),
        ("请为组员进行任务分工。", reverse("rounds:worktask_create", args=[led.pk])),
        ("请设定工作节点。", reverse("rounds:milestone_create", args=[led.pk])),
        ("请制定各阶段的进度安排。", reverse("rounds:inspection_schedule", args=[led.pk])),
    ]
    assert "下一阶段：巡前准备" in _text(response, "queue-rounds-led")


def test_missing_work_plan_parts_do_not_hold_the_move(login, team_leader, led):
    response = login(team_leader).get(HOME)

    assert _links(response, "queue-rounds-led")[-1] == (
        "可以进入“巡前准备”阶段。",
        _detail(led, "waiting-for"),
    )


def test_a_complete_work_plan_leaves_the_move_to_the_next_stage(login, team_leader, led, team):
    led.focus_areas, led.work_plan = ["funds"], "进驻前完成方案"
    led.save(update_fields=["focus_areas", "work_plan"])
    WorkTaskFactory(inspection=led, assignee=TeamMember.objects.get(team=team))
    MilestoneFactory(inspection=led)
    StagePlan.objects.create(
        organization=led.organization, inspection=led, stage=Stage.ONSITE, planned_end=TODAY
    )

    response = login(team_leader).get(HOME)

    assert _links(response, "queue-rounds-led") == [
        ("绵阳分公司", _detail(led, "waiting-for")),
        ("可以进入“巡前准备”阶段。", _detail(led, "waiting-for")),
    ]


def test_team_leader_does_not_see_another_teams_inspection(
    login, team_leader, led, round_, unit_tree
):
    InspectionFactory(round=round_, unit=unit_tree["chengdu"], team=TeamFactory(round=round_))

    text = _text(login(team_leader).get(HOME), "queue-rounds-led")

    assert "绵阳分公司" in text
    assert "成都分公司" not in text


def test_team_leader_without_a_team_is_told_how_work_reaches_them(login, org):
    user = _member(org, Role.TEAM_LEADER, username="zuzhang")

    text = _text(login(user).get(HOME), "queue-rounds-led")

    assert "暂无待办。 您目前没有带领进行中的巡察。" in text


def test_team_member_sees_their_tasks(login, org, team, led, office_user):
    user = _member(org, Role.TEAM_MEMBER, username="zuyuan")
    seat = seat_on_team(team, user, actor=office_user)
    WorkTaskFactory(inspection=led, assignee=seat, description="负责财务收支专项检查")
    WorkTaskFactory(inspection=led, assignee=TeamMember.objects.get(team=team, role="leader"))

    response = login(user).get(HOME)

    assert _links(response, "queue-rounds-tasks") == [
        ("负责财务收支专项检查", _detail(led, "work-plan"))
    ]


# --- administration, roles not built yet, no role -------------------------------------------


def test_admin_sees_members_without_a_role(login, org, admin_user):
    waiting = MembershipFactory(organization=org, user=UserFactory(full_name="王芳"), roles=())

    response = login(admin_user).get(HOME)

    edit = reverse("accounts:member_edit", args=[waiting.pk])
    assert _links(response, "queue-accounts-members-without-role") == [("王芳", edit)]


@pytest.mark.parametrize(
    ("role", "says"),
    [
        (Role.DEPT_REVIEWER, "分派给本部门审核的整改事项"),
        (Role.CLUE_HANDLER, "巡察组移交的问题线索"),
    ],
)
def test_a_role_whose_work_is_not_built_is_told_what_will_reach_it(login, org, role, says):
    user = _member(org, role, username="someone")

    text = _text(login(user).get(HOME), f"queue-{role}")

    assert "即将推出" in text
    assert says in text


def test_a_liaison_is_shown_the_document_requests_to_answer(login, org, round_, unit_tree):
    user = _member(org, Role.LIAISON, username="liaison")
    membership = user.memberships.get(organization=org)
    with org_scope(org):
        account_services.set_granted_units(
            membership=membership, actor=None, units=[unit_tree["chengdu"]]
        )
    inspection = InspectionFactory(round=round_, unit=unit_tree["chengdu"])
    asked = DocumentRequestFactory(inspection=inspection, title="2024年党委会会议纪要")
    DocumentRequestFactory(inspection=InspectionFactory(round=round_, unit=unit_tree["mianyang"]))

    links = _links(login(user).get(HOME), "queue-liaison")

    assert links == [
        ("2024年党委会会议纪要", reverse("documents:liaison_request", args=[asked.pk]))
    ]


def test_a_member_without_a_role_is_told_how_to_get_one(login, org):
    user = _member(org, username="norole")

    text = _text(login(user).get(HOME), "queue-no-role")

    assert "请联系系统管理员为您分配相应角色。" in text


def test_each_role_held_shows_its_own_queue_in_order(login, org, planned):
    user = _member(org, Role.LEADERSHIP, Role.OFFICE, Role.CLUE_HANDLER, username="several")

    content = login(user).get(HOME).content.decode()

    positions = [content.index(f'id="queue-{role}"') for role in ("office", "leadership")]
    assert positions == sorted(positions)
    assert 'id="queue-clue_handler"' in content
    assert 'id="queue-team_leader"' not in content


# --- the full list of a section ---------------------------------------------------------------


def test_another_roles_section_is_not_found(login, leadership_user):
    client = login(leadership_user)

    assert client.get(QUEUE, {"section": "rounds.waiting"}).status_code == 404
    assert client.get(QUEUE, {"section": "nothing.here"}).status_code == 404


def test_the_queue_page_without_a_section_goes_home(login, office_user):
    response = login(office_user).get(QUEUE)

    assert (response.status_code, response["Location"]) == (302, HOME)


# --- tenants ----------------------------------------------------------------------------------


def _work_of(org: Organization, unit_name: str) -> None:
    """Something waiting in every office and leadership section, in ``org``."""
    with org_scope(org):
        round_ = RoundFactory(organization=org)
        waiting = InspectionFactory(
            round=round_, unit=UnitFactory(organization=org, name=unit_name)
        )
        late = _in_stage(InspectionFactory(round=round_), Stage.ONSITE)
        IntelligenceRequestFactory(inspection=late, due_on=TODAY - DAY)
        StagePlan.objects.create(
            organization=org, inspection=late, stage=Stage.ONSITE, planned_end=TODAY - DAY
        )
        _in_stage(InspectionFactory(round=round_), Stage.ACCEPTANCE)
        RecusalFactory(member__team__round=round_, unit=waiting.unit)


def test_another_organizations_work_never_appears(login, org, other_org, all_roles_user):
    _work_of(other_org, "安顺市水务投资有限公司")

    response = login(all_roles_user).get(HOME)

    assert "安顺市水务投资有限公司" not in response.content.decode()
    for section in ("waiting", "intelligence-due", "stage-overdue", "recusals", "closing"):
        assert "暂无待办。" in _text(response, f"queue-rounds-{section}"), section


def test_the_other_organization_sees_its_own_work(login, other_org, outsider):
    _work_of(other_org, "安顺市水务投资有限公司")

    response = login(outsider).get(HOME)

    assert "安顺市水务投资有限公司" in _text(response, "queue-rounds-waiting")
    for section in ("intelligence-due", "stage-overdue", "recusals", "closing"):
        assert "暂无待办。" not in _text(response, f"queue-rounds-{section}"), section


# --- cost -------------------------------------------------------------------------------------


def _fill(org: Organization, count: int, seat: TeamMember) -> None:
    """``count`` inspections of the team ``seat`` leads, each with something in every
    section: a gate unmet, an answer overdue, a stage overrun, a task for ``seat``, a
    recusal, a member without a role."""
    team = seat.team
    round_ = team.round
    for n in range(count):
        unit = UnitFactory(organization=org)
        stage = [Stage.ACCEPTANCE, Stage.PLANNING, Stage.PREPARATION, Stage.ONSITE][n % 4]
        inspection = InspectionFactory(round=round_, unit=unit, team=team, stage=stage)
        IntelligenceRequestFactory(inspection=inspection, due_on=TODAY - DAY)
        StagePlan.objects.create(
            organization=org, inspection=inspection, stage=stage, planned_end=TODAY - DAY
        )
        WorkTaskFactory(inspection=inspection, assignee=seat)
        RecusalFactory(member=seat, unit=unit)
        MembershipFactory(organization=org, roles=())
    team_services.sync_team_grants(team=team)


# Every page reads the session, the user, the memberships and their roles; then the whole
# queue is one statement (none for a role without sections).
@pytest.mark.parametrize(
    ("roles", "queries"),
    [
        ((Role.OFFICE,), 5),
        ((Role.LEADERSHIP,), 5),
        ((Role.TEAM_LEADER,), 5),
        ((Role.TEAM_MEMBER,), 5),
        ((Role.ORG_ADMIN,), 5),
        ((Role.LIAISON,), 5),
        (tuple(Role.values), 5),
    ],
    ids=["office", "leadership", "team_leader", "team_member", "org_admin", "liaison", "all"],
)
def test_the_home_page_runs_the_same_queries_for_3_and_30_inspections(
    login, org, round_, office_user, django_assert_num_queries, roles, queries
):
    user = _member(org, *roles, username="measured")
    team = TeamFactory(round=round_)
    seat = seat_on_team(team, user, role=TeamMember.Role.LEADER, actor=office_user)
    client = login(user)
    client.get(HOME)  # django-guardian looks its permission up once per process
    for count in (3, 27):
        _fill(org, count, seat)
        with django_assert_num_queries(queries):
            response = client.get(HOME)
        assert response.status_code == 200
        # Work was found, except by the liaison (asked for documents by no inspection here).
        assert ("queue-entry" in response.content.decode()) == (roles != (Role.LIAISON,))


def test_the_full_list_runs_the_same_queries_for_3_and_30_entries(
    login, office_user, round_, django_assert_num_queries
):
    client = login(office_user)
    for count in (3, 27):
        for _n in range(count):
            InspectionFactory(round=round_)
        # session, user, memberships, roles, the count and the page's rows
        with django_assert_num_queries(6):
            response = client.get(QUEUE, {"section": "rounds.waiting"})
        assert response.status_code == 200


def test_the_kept_statement_reads_rows_added_since(login, office_user, round_, unit_tree):
    client = login(office_user)
    client.get(HOME)
    InspectionFactory(round=round_, unit=unit_tree["mianyang"])

    assert "绵阳分公司" in _text(client.get(HOME), "queue-rounds-waiting")


def test_a_gate_registered_after_the_statement_was_kept_is_asked(
    monkeypatch, login, office_user, planned
):
    client = login(office_user)
    client.get(HOME)
    monkeypatch.setitem(gates.GATES, Stage.PREPARATION, list(gates.GATES[Stage.PREPARATION]))
    gates.register_gate(Stage.PREPARATION, gates.Gate(lambda org: Q(pk__isnull=False), "先开会。"))

    assert "先开会。" in _text(client.get(HOME), "queue-rounds-waiting")


def test_page_statements_run_without_postgres_jit(db):
    """JIT compiling cost 1.9 s for the home page's 12 ms statement on the bench data set."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
