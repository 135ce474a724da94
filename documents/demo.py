"""Demo document requests (调阅) of the inspection of 成都分公司 (on site): the default checklist
of usual documents, and five requests of 第一巡察组 — two delivered by the unit's liaison with
real PDF files, one delivered and returned, one overdue, one still due — so the liaison's
portal and the team's list look like the work in progress. Idempotent: skipped when the
inspection has requests."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.demo import as_person
from accounts.models import Organization, User
from documents import services
from documents.models import DocumentRequest
from rounds.demo import ORG_CODE, RUNNING_ROUND
from rounds.models import Inspection
from xuncha.tenancy import org_scope

NOTE = "复印件加盖公章；原件在档案室，可现场查阅。"


def _pdf(title: str, lines: list[str]) -> bytes:
    """A small real PDF (WeasyPrint), as a unit's office would scan or export it."""
    import weasyprint

    body = "".join(f"<p>{line}</p>" for line in lines)
    html = (
        "<style>@page{size:A4;margin:2.5cm}body{font-family:'Noto Serif CJK SC',serif}"
        "h1{font-size:20pt;text-align:center}</style>"
        f"<h1>{title}</h1>{body}<p style='text-align:right'>成都分公司党委办公室</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def _upload(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _pdf(title, lines), content_type="application/pdf")


def seed_documents() -> None:
    org = Organization.objects.get(code=ORG_CODE)
    with org_scope(org):
        inspection = (
            Inspection.objects.for_org(org)
            .select_related("unit")
            .get(round__name=RUNNING_ROUND, unit__code="sc-cd")
        )
        if DocumentRequest.objects.for_org(org).filter(inspection=inspection).exists():
            return
        _seed(org, inspection)


def _seed(org: Organization, inspection: Inspection) -> None:
    leader = User.objects.get(username="sc_team_leader")
    liaison = User.objects.get(username="sc_liaison")
    items = services.ensure_default_items(org=org)
    today = timezone.localdate()
    with as_person(leader, org):
        made = services.request_documents(
            inspection=inspection,
            actor=leader,
            unit=inspection.unit,
            due_on=today + datetime.timedelta(days=5),
            usual_items=items[:4],
            description=NOTE,
            team_notes="重点核查2024年以来大额资金支出和工程项目决策程序。",
        )
        # Asked twelve days ago, due two days ago, not delivered: overdue.
        DocumentRequest.objects.create(
            organization=org,
            inspection=inspection,
            unit=inspection.unit,
            title=items[6].name,
            description=items[6].description,
            from_usual=items[6],
            requested_by=leader,
            requested_on=today - datetime.timedelta(days=12),
            due_on=today - datetime.timedelta(days=2),
        )
    minutes, vouchers, personnel, _projects = made
    with as_person(liaison, org):
        services.answer_document_request(
            document_request=minutes,
            actor=liaison,
            uploads=[
                _upload(
                    "2025年党委会会议纪要.pdf",
                    "中共中国电信成都分公司委员会会议纪要",
                    ["2025年第3次党委会", "议题一：研究2025年度重点工程项目投资计划。"],
                ),
                _upload(
                    "“三重一大”事项决策台账.pdf",
                    "“三重一大”事项决策台账（2024—2025年）",
                    ["共计决策事项47项，均经党委会前置研究。"],
                ),
            ],
            note="2024年以前的纪要原件在档案室，请巡察组现场查阅。",
        )
        services.answer_document_request(
            document_request=personnel,
            actor=liaison,
            uploads=[
                _upload(
                    "干部选拔任用工作纪实.pdf",
                    "干部选拔任用工作纪实材料",
                    ["2024年度提拔中层干部5名，纪实材料附后。"],
                )
            ],
        )
        services.answer_document_request(
            document_request=vouchers,
            actor=liaison,
            uploads=[
                _upload(
                    "2024年12月会计凭证.pdf",
                    "会计凭证（2024年12月）",
                    ["凭证号001—086，原件已送巡察组驻点办公室。"],
                )
            ],
            note="原件已送至巡察组驻点办公室。",
        )
    with as_person(leader, org):
        services.mark_returned(document_request=vouchers, actor=leader)
