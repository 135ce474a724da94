"""Demo surveys of the running round: the 民主测评 of 成都分公司's leadership team (open, with an
open link, a sheet of 30 codes for the cadre meeting and twenty responses already in) and an
open 满意度问卷. Idempotent: skipped when the inspection already has surveys."""

from __future__ import annotations

from django.http import QueryDict

from accounts.demo import as_person
from accounts.models import Organization, Unit, User
from rounds.demo import RUNNING_ROUND
from rounds.models import Inspection
from surveys import services
from surveys.models import Kind, Response, Survey
from xuncha.tenancy import org_scope

ORG_CODE = "sctelecom"
LEADERS = [
    ("张明", "党委书记、总经理"),
    ("李华", "党委副书记、纪委书记"),
    ("王磊", "副总经理"),
    ("刘芳", "副总经理"),
    ("陈刚", "总会计师"),
]
# Grades of the five leaders in each of twenty responses (g 好, f 较好, a 一般, p 差), the
# overall grade first: about 90% positive, as a sound team scores.
_BALLOTS = [
    "gggggf", "ggfggg", "gggfgg", "fggggf", "gggggg", "ggfgag", "ggggfg", "fgfggg",
    "gggggg", "gfgagg", "ggggga", "gggfgg", "fggggg", "gggggp", "ggfggg", "gagfgg",
    "gggggg", "ggggfg", "fgggga", "ggggfg",
]  # fmt: skip
_GRADE = {"g": "good", "f": "fairly_good", "a": "average", "p": "poor"}
_TEXTS = {
    3: "希望班子进一步加强对基层单位的调研指导，多听一线员工意见。",
    7: "建议公开招标采购流程，加强对工程项目的监督。",
    12: "班子团结，作风务实，希望继续保持。",
}
_SATISFACTION = ["1", "1", "2", "1", "3", "1", "2", "1"]


def _ballot(survey: Survey, index: int, ballot: str) -> QueryDict:
    post = QueryDict(mutable=True)
    subjects = list(survey.subjects.order_by("position"))
    for question in survey.questions.order_by("position"):
        if question.kind == Kind.SINGLE:
            post[f"q{question.pk}"] = {"g": "1", "f": "2", "a": "3", "p": "4"}[ballot[0]]
        elif question.kind == Kind.GRID:
            for subject, grade in zip(subjects, ballot[1:], strict=True):
                post[f"q{question.pk}_s{subject.pk}"] = _GRADE[grade]
        elif question.kind == Kind.TEXT and index in _TEXTS:
            post[f"q{question.pk}"] = _TEXTS[index]
    return post


def _satisfaction(survey: Survey, choice: str) -> QueryDict:
    post = QueryDict(mutable=True)
    for question in survey.questions.order_by("position"):
        if question.kind == Kind.SINGLE:
            post[f"q{question.pk}"] = choice
        elif question.kind == Kind.RATING:
            post[f"q{question.pk}"] = "4" if choice != "3" else "2"
    return post


def _evaluation(inspection: Inspection, leader: User, templates: list) -> None:
    evaluation = next(t for t in templates if t.purpose == "evaluation")
    survey = services.create_survey(
        inspection=inspection,
        actor=leader,
        template=evaluation,
        unit=inspection.unit,
        title="成都分公司领导班子及成员民主测评",
        expected_respondents=60,
        open_link=True,
    )
    services.set_subjects(survey=survey, actor=leader, subjects=LEADERS)
    services.open_survey(survey=survey, actor=leader)
    batch = services.issue_codes(survey=survey, actor=leader, label="中层以上干部大会", count=30)
    codes = list(batch.codes.order_by("pk").values_list("code", flat=True))
    for index, ballot in enumerate(_BALLOTS):
        through_code = index % 3 != 2  # two in three at the meeting, the rest by the link
        services.submit_response(
            survey=survey,
            channel=Response.Channel.CODE if through_code else Response.Channel.LINK,
            get=_ballot(survey, index, ballot).getlist,
            code=codes[index] if through_code else "",
        )


def _satisfaction_survey(inspection: Inspection, leader: User, templates: list) -> None:
    template = next(t for t in templates if t.purpose == "satisfaction")
    survey = services.create_survey(
        inspection=inspection,
        actor=leader,
        template=template,
        unit=inspection.unit,
        title="成都分公司党风廉政建设满意度问卷",
        expected_respondents=100,
        open_link=True,
    )
    services.open_survey(survey=survey, actor=leader)
    for choice in _SATISFACTION:
        services.submit_response(
            survey=survey, channel=Response.Channel.LINK, get=_satisfaction(survey, choice).getlist
        )


def seed_surveys() -> None:
    org = Organization.objects.filter(code=ORG_CODE).first()
    if org is None:
        return
    leader = User.objects.get(username="sc_team_leader")
    with org_scope(org):
        unit = Unit.objects.for_org(org).get(code="sc-cd")
        inspection = (
            Inspection.objects.for_org(org)
            .filter(round__name=RUNNING_ROUND, unit=unit)
            .select_related("unit", "round")
            .first()
        )
        if inspection is None or Survey.objects.for_org(org).filter(inspection=inspection):
            return
        with as_person(leader, org):
            templates = services.ensure_default_templates(org=org)
            _evaluation(inspection, leader, templates)
            _satisfaction_survey(inspection, leader, templates)
