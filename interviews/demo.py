"""Demo interviews for 中国电信四川公司党委: on site in 成都, 第一巡察组 has started its
checklists (五必查、六必问、四必谈) and recorded four interviews — the party secretary face to
face (主要负责人 outline, ticking 四必谈·主要领导), the discipline secretary, a petitioner on
the phone and a forum of middle managers — and one item was done by a document. Items are
still missing, so the inspection waits for them before reporting. Idempotent: skipped when the
inspection has interviews."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from accounts.demo import as_person
from accounts.models import Organization, User
from interviews import services
from interviews.models import Category, ChecklistItem, Interview, Method, OutlineTemplate
from interviews.selectors import interviewer_candidate_list
from rounds.demo import ORG_CODE, RUNNING_ROUND
from rounds.models import Inspection
from xuncha.tenancy import org_scope

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: str, hour: int) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


# interviewee, position, unit, category, method, held at, place, interviewers, outline role,
# ticked items (checklist, text), notes, confirmed
INTERVIEWS = [
    (
        "张明",
        "党委书记、总经理",
        "成都分公司",
        Category.LEADERSHIP,
        Method.IN_PERSON,
        _at("2026-04-08", 9),
        "成都分公司巡察组谈话室",
        ["赵志强", "陈静"],
        "principal",
        [("四必谈", "主要领导"), ("六必问", "领导干部履职情况")],
        "谈及2025年两项超过500万元的采购未经党委会集体研究，由总经理办公会决定；"
        "表示将补充履行程序。对选人用人工作自评“基本规范”。",
        True,
    ),
    (
        "李卫东",
        "纪委书记",
        "成都分公司",
        Category.LEADERSHIP,
        Method.IN_PERSON,
        _at("2026-04-08", 15),
        "成都分公司巡察组谈话室",
        ["赵志强", "郑伟"],
        "discipline",
        [("四必谈", "班子成员"), ("六必问", "廉洁从政情况")],
        "近三年处置问题线索21件，其中谈话函询9件；反映对同级班子成员监督“不敢较真”。",
        True,
    ),
    (
        "刘某",
        "原外包施工队负责人",
        "",
        Category.PETITIONER,
        Method.PHONE,
        _at("2026-04-10", 10),
        "",
        ["陈静"],
        "",
        [("六必问", "作风表现")],
        "来电反映2024年基站配套工程结算拖欠、验收人员吃拿卡要；已请其提供合同与转账记录。",
        False,
    ),
    (
        "市场部、财务部、网络部中层干部（8人）",
        "部门负责人",
        "成都分公司",
        Category.MIDDLE,
        Method.FORUM,
        _at("2026-04-12", 14),
        "成都分公司三楼会议室",
        ["陈静", "孙丽"],
        "",
        [("四必谈", "重要岗位负责人"), ("六必问", "工作成效")],
        "多人反映绩效分配向机关倾斜；渠道酬金结算存在“先付后审”。",
        False,
    ),
]


def _inspection(org: Organization) -> Inspection | None:
    return (
        Inspection.objects.for_org(org)
        .filter(round__name=RUNNING_ROUND, unit__code="sc-cd")
        .select_related("round", "unit", "team")
        .first()
    )


def seed_interviews() -> None:
    org = Organization.objects.filter(code=ORG_CODE).first()
    if org is None:
        return
    leader = User.objects.get(username="sc_team_leader")
    with org_scope(org):
        inspection = _inspection(org)
        if inspection is None or Interview.objects.for_org(org).filter(inspection=inspection):
            return
        inspection.organization = org
        with as_person(leader, org):
            services.ensure_default_templates(org=org)
            services.start_checklists(inspection=inspection, actor=leader)
            for row in INTERVIEWS:
                _record(inspection, leader, row)
            item = _item(inspection, "五必查", "三重一大事项")
            services.tick_item(
                item=item, actor=leader, document_note="2025年党委会会议纪要（12次）及议题清单"
            )


def _item(inspection: Inspection, checklist: str, text: str) -> ChecklistItem:
    return ChecklistItem.objects.for_org(inspection.organization).get(
        inspection=inspection, checklist__name=checklist, text=text
    )


def _record(inspection: Inspection, leader: User, row: tuple) -> None:
    name, position, unit, category, method, held_at, place, people, role, ticks, notes, ok = row
    working = {person.name: person for person in interviewer_candidate_list(inspection=inspection)}
    outline = (
        OutlineTemplate.objects.for_org(inspection.organization).filter(role=role).first()
        if role
        else None
    )
    services.record_interview(
        inspection=inspection,
        actor=leader,
        details=services.InterviewDetails(
            interviewee_name=name,
            interviewee_position=position,
            interviewee_unit=unit,
            category=category,
            method=method,
            held_at=held_at,
            place=place,
            interviewers=[working[person] for person in people],
            outline=outline,
            notes=notes,
            confirmed_by_interviewee=ok,
        ),
        items=[_item(inspection, checklist, text) for checklist, text in ticks],
    )
