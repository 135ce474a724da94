"""Demo inspection work for 中国电信四川公司党委: an inspector pool, a 3-year coverage plan, a
closed round (宜宾, archived once done) and a running one with two teams, one inspection already
on site. The closed round is past work entered after the fact: its stage moves and problem carry
the days of its 2025 schedule as effective dates. An earlier round's inspection (翠屏区) was
closed and reopened by the leadership group, so it waits in their work queue to be closed again.
On site in 成都 a member has left the team with a reason, and another's recusal was approved
with a replacement. Idempotent: skipped when the demo round exists."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.demo import as_person
from accounts.models import Organization, Unit, User
from rounds.models import Inspection, Inspector, Round, Team
from rounds.selectors.inspections import inspection_settings
from rounds.selectors.teams import team_member_list
from rounds.services import (
    announcements,
    archive,
    closed,
    coverage,
    inspections,
    lifecycle,
    pool,
    teams,
)
from xuncha.tenancy import org_scope

ORG_CODE = "sctelecom"
RUNNING_ROUND = "2026年第一轮巡察"

# name, position, home unit code, specialties, leader-eligible, external, linked username
POOL = [
    (
        "王建国",
        "原绵阳分公司党委书记（退二线）",
        None,
        ["party", "discipline"],
        True,
        True,
        "sc_team_leader2",
    ),
    (
        "李秀英",
        "原南充分公司纪委书记（退二线）",
        None,
        ["discipline", "organization"],
        True,
        True,
        None,
    ),
    ("赵志强", "省公司纪委办公室主任", None, ["discipline"], True, False, "sc_team_leader"),
    ("陈静", "审计部高级审计师", "sc-nc-sq", ["audit", "finance"], False, False, "sc_team_member"),
    ("刘洋", "成都分公司人力资源部副经理", "sc-cd", ["organization"], False, False, None),
    ("周敏", "财务部会计主管", "sc-yb-cp", ["finance"], False, False, None),
    ("吴刚", "工程建设部项目经理", "sc-my-fc", ["engineering"], False, False, None),
    ("孙丽", "法律事务部法务专员", None, ["legal"], False, False, None),
    ("郑伟", "党群工作部副主任", "sc-nc", ["party", "organization"], True, False, None),
    ("黄磊", "市场部渠道经理", "sc-yb", ["business"], False, False, None),
    ("何芳", "纪委监督检查室干部", None, ["discipline"], False, False, None),
    ("林涛", "审计部审计师", "sc-my", ["audit"], False, False, None),
    ("马超", "财务部资金管理岗", "sc-cd-sl", ["finance"], False, False, None),
    ("高洁", "党委组织部干部", None, ["organization", "party"], False, False, None),
]


def seed_rounds() -> None:
    org = Organization.objects.filter(code=ORG_CODE).first()
    if org is None:
        return
    office = User.objects.get(username="sc_office")
    with org_scope(org):  # as a request of this organization would run
        if Round.objects.for_org(org).filter(name=RUNNING_ROUND).exists():
            return
        with as_person(office, org):  # the 修改记录 names the office worker
            people = _pool(org, office)
            _promote(people["刘洋"], office)
            _plan(org, office)
            _reopened_round(org, office, people)
            _closed_round(org, office, people)
            _running_round(org, office, people)


def _unit(org: Organization, code: str) -> Unit:
    return Unit.objects.for_org(org).get(code=code)


def _pool(org: Organization, office: User) -> dict:
    people = {}
    for name, position, unit_code, skills, leader, external, username in POOL:
        people[name] = pool.create_inspector(
            org=org,
            actor=office,
            name=name,
            position=position,
            home_unit=_unit(org, unit_code) if unit_code else None,
            specialties=skills,
            leader_eligible=leader,
            is_external=external,
            user=User.objects.get(username=username) if username else None,
        )
        pool.add_training(
            inspector=people[name],
            actor=office,
            title="巡察业务骨干培训班",
            completed_on=datetime.date(2025, 11, 20),
            hours=16,
        )
    pool.declare_relative(
        inspector=people["周敏"],
        actor=office,
        unit=_unit(org, "sc-my-jy"),
        relative_name="周强",
        relation="兄弟",
        declared_on=datetime.date(2025, 1, 10),
    )
    return people


def _promote(inspector: Inspector, office: User) -> None:
    """An edit after the fact, so the inspector's 修改记录 shows old → new."""
    pool.update_inspector(
        inspector=inspector,
        actor=office,
        name=inspector.name,
        position="成都分公司人力资源部经理",
        user=inspector.user,
        home_unit=inspector.home_unit,
        is_external=inspector.is_external,
        leader_eligible=inspector.leader_eligible,
        phone=inspector.phone,
        notes=inspector.notes,
        is_active=inspector.is_active,
        specialties=inspector.specialties.values_list("specialty", flat=True),
    )


def _plan(org: Organization, office: User) -> None:
    plan = coverage.create_plan(
        org=org,
        actor=office,
        name="2025—2027年市州分公司巡察规划",
        start_year=2025,
        end_year=2027,
        description="3年实现市州分公司巡察全覆盖，延伸巡察县区分公司和重点分支局。",
    )
    for code, year in [("sc-yb", 2025), ("sc-cd", 2026), ("sc-my", 2026), ("sc-nc", 2027)]:
        coverage.add_targets(
            plan=plan,
            actor=office,
            unit=_unit(org, code),
            include_subunits=True,
            planned_year=year,
        )


def _team(rnd: Round, office: User, name: str, ref: str, members: list) -> Team:
    team = teams.create_team(
        round=rnd,
        actor=office,
        name=name,
        authorization_ref=ref,
        authorized_on=rnd.start_date - datetime.timedelta(days=7),
    )
    for inspector, role in members:
        teams.add_member(team=team, actor=office, inspector=inspector, role=role)
    return team


Schedule = dict[str, tuple[datetime.date, datetime.date]]


def _on(day: datetime.date) -> datetime.date:
    """A day of a past schedule as an effective date: never after today."""
    return min(day, timezone.localdate())


def _announce(
    inspection: Inspection, office: User, schedule: Schedule, *, publish: bool = True
) -> None:
    """The announcement (巡察公告) the on-site stage waits for; a draft without ``publish``."""
    start, end = schedule["onsite"]
    announcements.save_announcement(
        inspection=inspection,
        actor=office,
        period_start=start,
        period_end=min(end, inspection.round.end_date),
        scope="贯彻落实党中央决策部署、全面从严治党、选人用人和基层党组织建设等情况。",
        phone="028-86001234",
        mailbox="xuncha@example.com",
        postal_box="成都市第12号信箱",
        reception_hours="工作日8:30—17:30",
    )
    if publish:
        announcements.publish_announcement(inspection=inspection, actor=office)


def _walk_to(
    inspection: Inspection, office: User, stage: str, start: datetime.date, *, past: bool = False
) -> Schedule:
    """Satisfy each gate the way an office would, and move the inspection up to ``stage``;
    ``past``: work entered after the fact, each move effective on its stage's planned start."""
    settings = inspection_settings(org=inspection.organization)
    schedule = inspections.default_schedule(settings=settings, start=start)
    inspections.save_schedule(inspection=inspection, actor=office, dates=schedule)

    def effective(target: str) -> datetime.date | None:
        return _on(schedule[target][0]) if past else None

    inspections.save_work_plan(
        inspection=inspection,
        actor=office,
        focus_areas=inspection.round.focus_areas,
        work_plan="聚焦党的领导、党的建设、全面从严治党，重点检查选人用人、对外合作和“四风”问题。",
    )
    lifecycle.start_preparation(
        inspection=inspection,
        actor=office,
        reason="工作方案已审定",
        effective_on=effective("preparation"),
    )
    request = inspections.add_intelligence_request(
        inspection=inspection,
        actor=office,
        department="audit",
        requested_on=start,
        note="请提供近三年审计发现的问题及整改情况。",
    )
    inspections.answer_intelligence_request(request=request, actor=office, answered_on=start)
    inspections.add_intelligence_item(
        inspection=inspection,
        actor=office,
        request=request,
        source="audit",
        year=start.year - 1,
        summary="对外合作项目结算审核不严，存在超付风险",
    )
    if stage == "preparation":  # its intelligence in: 进驻动员 may come next
        return schedule
    lifecycle.start_mobilization(
        inspection=inspection,
        actor=office,
        reason="巡前情况已汇总",
        effective_on=effective("mobilization"),
    )
    if stage != "mobilization":
        _announce(inspection, office, schedule)
        lifecycle.start_onsite(
            inspection=inspection,
            actor=office,
            reason="进驻动员会已召开",
            effective_on=effective("onsite"),
        )
    return schedule


def _closed_round(org: Organization, office: User, people: dict) -> None:
    rnd = teams.create_round(
        org=org,
        actor=office,
        name="2025年第二轮巡察",
        kind=Round.Kind.ROUTINE,
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 3, 31),  # rectification and acceptance run into 2026
        focus_areas=["political", "external", "four_styles"],
    )
    team = _team(
        rnd,
        office,
        "第一巡察组",
        "川电信党委〔2025〕31号",
        [
            (people["李秀英"], "leader"),
            (people["郑伟"], "deputy"),
            (people["孙丽"], "member"),
            (people["林涛"], "member"),
            (people["高洁"], "member"),
            (people["何芳"], "member"),
        ],
    )
    inspection = teams.assign_unit(team=team, actor=office, unit=_unit(org, "sc-yb"))
    schedule = _walk_to(inspection, office, "onsite", rnd.start_date, past=True)
    coverage.record_extension_visit(
        inspection=inspection,
        actor=office,
        unit=_unit(org, "sc-yb-cp"),
        occasion="onsite",
        visited_on=datetime.date(2025, 9, 25),
        visit_reference="现场巡察期间延伸走访",
    )
    inspections.add_problem(
        inspection=inspection,
        actor=office,
        category="external",
        severity="serious",
        description="对外合作项目管理不规范，部分合作方资质审核缺失",
        found_on=_on(schedule["onsite"][0] + datetime.timedelta(days=10)),
    )
    _close_past(inspection, office, schedule)
    archive.archive_round(round=rnd, actor=office)  # done: off the lists, 显示已归档 shows it


def _close_past(inspection: Inspection, office: User, schedule: Schedule) -> None:
    """Report, feed back, rectify and accept on the schedule's days; leadership closes."""
    for step in ["reporting", "feedback", "rectification", "acceptance"]:
        lifecycle.advance(
            inspection=inspection,
            actor=office,
            to_stage=step,
            reason="按期推进",
            effective_on=_on(schedule[step][0]),
        )
    lifecycle.close_inspection(
        inspection=inspection,
        actor=User.objects.get(username="sc_leadership"),
        reason="整改验收合格，销号",
        effective_on=_on(schedule["acceptance"][1] + datetime.timedelta(days=1)),
    )


def _reopened_round(org: Organization, office: User, people: dict) -> None:
    """A past inspection closed, then reopened by the leadership group: it is back at
    acceptance, with the reason on its timeline, waiting in their queue to be closed."""
    rnd = teams.create_round(
        org=org,
        actor=office,
        name="2025年第一轮巡察",
        kind=Round.Kind.SPECIAL,
        start_date=datetime.date(2025, 1, 6),
        end_date=datetime.date(2025, 12, 31),
        focus_areas=["political", "four_styles"],
    )
    team = _team(
        rnd,
        office,
        "第一巡察组",
        "川电信党委〔2024〕52号",
        [(people["王建国"], "leader"), (people["何芳"], "member"), (people["马超"], "member")],
    )
    inspection = teams.assign_unit(team=team, actor=office, unit=_unit(org, "sc-yb-cp"))
    schedule = _walk_to(inspection, office, "onsite", rnd.start_date, past=True)
    inspections.add_problem(
        inspection=inspection,
        actor=office,
        category="four_styles",
        severity="minor",
        description="公务用车管理不严，存在节假日私用现象",
        found_on=_on(schedule["onsite"][0] + datetime.timedelta(days=5)),
    )
    _close_past(inspection, office, schedule)
    closed.reopen_inspection(
        inspection=inspection,
        actor=User.objects.get(username="sc_leadership"),
        reason="群众来信反映公务用车问题整改不到位，重新组织验收",
    )


def _running_round(org: Organization, office: User, people: dict) -> None:
    rnd = teams.create_round(
        org=org,
        actor=office,
        name=RUNNING_ROUND,
        kind=Round.Kind.ROUTINE,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 12, 31),
        focus_areas=["political", "personnel", "external", "four_styles"],
    )
    first = _team(
        rnd,
        office,
        "第一巡察组",
        "川电信党委〔2026〕12号",
        [
            (people["赵志强"], "leader"),
            (people["郑伟"], "deputy"),
            (people["陈静"], "member"),
            (people["孙丽"], "member"),
            (people["林涛"], "member"),
            (people["黄磊"], "member"),
        ],
    )
    second = _team(
        rnd,
        office,
        "第二巡察组",
        "川电信党委〔2026〕13号",
        [
            (people["王建国"], "leader"),
            (people["李秀英"], "deputy"),
            (people["高洁"], "member"),
            (people["何芳"], "member"),
            (people["马超"], "member"),
            (people["刘洋"], "member"),
        ],
    )
    chengdu = teams.assign_unit(team=first, actor=office, unit=_unit(org, "sc-cd"))
    _walk_to(chengdu, office, "onsite", rnd.start_date)
    _team_changes(first, office, people)
    mianyang = teams.assign_unit(team=second, actor=office, unit=_unit(org, "sc-my"))
    # In preparation, its announcement drafted: publishing it and printing its QR codes is next.
    schedule = _walk_to(mianyang, office, "preparation", datetime.date(2026, 3, 16))
    _announce(mianyang, office, schedule, publish=False)
    seat = team_member_list(team=second).get(inspector=people["何芳"])
    teams.declare_recusal(  # pending: the office's queue has it to decide
        member=seat,
        actor=office,
        unit=_unit(org, "sc-my"),
        reason="曾在绵阳分公司纪委工作，与现任班子成员共事多年",
        declared_on=rnd.start_date,
    )


def _team_changes(team: Team, office: User, people: dict) -> None:
    """On site: a member leaves with a reason (the team's 修改记录 keeps it); another's recusal
    for the unit is approved with someone free in the round working it instead."""
    seats = {s.inspector.name: s for s in team_member_list(team=team).select_related("inspector")}
    teams.remove_member(member=seats["林涛"], actor=office, reason="抽调参加省公司审计专项工作")
    recusal = teams.declare_recusal(
        member=seats["黄磊"],
        actor=office,
        unit=_unit(team.organization, "sc-cd"),
        reason="配偶在成都分公司市场部任职",
        declared_on=team.round.start_date,
    )
    teams.decide_recusal(recusal=recusal, actor=office, approve=True, replacement=people["周敏"])
