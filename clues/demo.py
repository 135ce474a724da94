"""Demo petitions (信访举报) of the running round's inspection of 成都分公司: one from the
public page (anonymous, with a photo), one phone call recorded by 陈静 (real name), one letter
and one from the suggestion box recorded by 赵志强. Idempotent: skipped when the inspection
already has petitions."""

from __future__ import annotations

import datetime
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.demo import as_person
from accounts.models import Membership, Organization, Unit, User
from clues import services
from clues.crypto import Identity
from clues.models import Channel, Petition, Status
from rounds.demo import RUNNING_ROUND
from rounds.models import Inspection
from xuncha.tenancy import org_scope

ORG_CODE = "sctelecom"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def demo_png(width: int = 48, height: int = 32) -> bytes:
    """A small real PNG (a grey field with a darker band: a photo stand-in)."""
    rows = b"".join(
        b"\x00" + bytes([90 if height // 3 < y < 2 * height // 3 else 200] * 3 * width)
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def seed_petitions() -> None:
    org = Organization.objects.get(code=ORG_CODE)
    with org_scope(org):
        unit = Unit.objects.for_org(org).get(code="sc-cd")
        inspection = Inspection.objects.for_org(org).get(round__name=RUNNING_ROUND, unit=unit)
        if Petition.objects.for_org(org).filter(inspection=inspection).exists():
            return
        member = User.objects.get(username="sc_team_member")
        leader = User.objects.get(username="sc_team_leader")
        today = timezone.localdate()
        services.submit_petition(
            inspection=inspection,
            unit=unit,
            client=None,  # seeded, not a visitor: no rate limit counted
            is_anonymous=True,
            subject_persons="某区分局财务负责人",
            content=(
                "反映某区分局2025年以“节日慰问”名义违规发放津补贴，每人2000元，未经集体研究，"
                "从营销费用中列支。附当月发放签字表照片。"
            ),
            photos=[SimpleUploadedFile("签字表.png", demo_png(), content_type="image/png")],
        )
        with as_person(member, org):
            services.record_petition(
                inspection=inspection,
                actor=member,
                membership=Membership.objects.for_org(org).get(user=member),
                channel=Channel.PHONE,
                received_on=today - datetime.timedelta(days=2),
                is_anonymous=False,
                identity=Identity(name="王建国", phone="13812345678", work_unit="某区分局"),
                subject_persons="某区分局副局长",
                content="来电反映某区分局副局长长期公车私用，周末驾驶单位车辆接送家人。",
            )
        with as_person(leader, org):
            leader_membership = Membership.objects.for_org(org).get(user=leader)
            letter = services.record_petition(
                inspection=inspection,
                actor=leader,
                membership=leader_membership,
                channel=Channel.LETTER,
                received_on=today - datetime.timedelta(days=4),
                subject_persons="",
                content="匿名来信反映某营业部装修工程未经招标，直接指定施工单位。",
            )
            services.change_petition_status(
                petition=letter,
                actor=leader,
                membership=leader_membership,
                status=Status.UNDER_REVIEW,
            )
            services.record_petition(
                inspection=inspection,
                actor=leader,
                membership=leader_membership,
                channel=Channel.MAILBOX,
                received_on=today - datetime.timedelta(days=1),
                content="意见箱纸条：希望巡察组关注基层员工绩效工资分配不透明的问题。",
            )
