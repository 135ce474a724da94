"""factory_boy factories. Rows that have business rules are made through the services."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.db import models

from accounts import services, tokens
from accounts.models import ApiToken, Membership, Organization, Unit, User
from accounts.roles import Role
from files.models import StoredFile
from rounds.models import (
    Announcement,
    CoveragePlan,
    CoverageTarget,
    ExtensionVisit,
    Inspection,
    Inspector,
    IntelligenceItem,
    IntelligenceRequest,
    Milestone,
    Problem,
    Recusal,
    RelativeDeclaration,
    Round,
    Team,
    TeamMember,
    TrainingRecord,
    WorkTask,
)
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from xuncha.tenancy import org_scope

PASSWORD = "Correct-horse-42"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试党委{n}")
    code = factory.Sequence(lambda n: f"org{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"干部{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.Factory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    roles: Any = (Role.OFFICE,)

    @classmethod
    def _create(cls, model_class: type, **kwargs: Any) -> Membership:
        with org_scope(kwargs["organization"]):  # set-up runs as that organization's request
            return services.add_member(
                org=kwargs["organization"], actor=None, user=kwargs["user"], roles=kwargs["roles"]
            )


class ApiTokenFactory(factory.Factory):
    """A token of a new service account (the tokens an org admin manages), made through the
    token services; the key is not kept."""

    class Meta:
        model = ApiToken

    organization = factory.SubFactory(OrganizationFactory)
    name = "集团OA同步"

    @classmethod
    def _create(cls, model_class: type, **kwargs: Any) -> ApiToken:
        org = kwargs["organization"]
        admin = MembershipFactory(organization=org, roles=(Role.ORG_ADMIN,))
        with org_scope(org):
            account = tokens.create_service_account(
                org=org, actor=admin.user, name="集团OA系统", roles=[Role.OFFICE]
            )
            token, _ = tokens.create_api_token(
                membership=account, actor=admin.user, actor_membership=admin, name=kwargs["name"]
            )
        return token


class UnitFactory(factory.Factory):
    class Meta:
        model = Unit

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"单位{n}")
    code = factory.Sequence(lambda n: f"U{n:04d}")
    kind = Unit.Kind.BRANCH
    parent = None

    @classmethod
    def _create(cls, model_class: type, **kwargs: Any) -> Unit:
        if kwargs["parent"] is not None:
            kwargs["organization"] = kwargs["parent"].organization
        org = kwargs.pop("organization")
        with org_scope(org):  # set-up runs as that organization's request
            return services.create_unit(actor=None, org=org, **kwargs)


class InspectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspector

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"巡察干部{n}")
    position = "主任科员"
    leader_eligible = False


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    inspector = factory.SubFactory(InspectorFactory)
    organization = factory.SelfAttribute("inspector.organization")
    title = "巡察业务培训"
    completed_on = datetime.date(2025, 3, 1)
    hours = 8


class RelativeDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelativeDeclaration

    inspector = factory.SubFactory(InspectorFactory)
    organization = factory.SelfAttribute("inspector.organization")
    unit = factory.SubFactory(UnitFactory, organization=factory.SelfAttribute("..organization"))
    relative_name = "张三"
    relation = "配偶"
    declared_on = datetime.date(2025, 1, 1)


class _EarnsCoverageFactory(factory.django.DjangoModelFactory):
    """A row that changes what earns coverage (an inspection, an extension visit, a target),
    made as its service would: the stored coverage of its unit's plan targets is refreshed."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        super()._after_postgeneration(instance, create, results)
        if create:
            from rounds.services.coverage import refresh_coverage

            with org_scope(instance.organization):  # set-up runs as that organization's request
                refresh_coverage(organization=instance.organization, unit_ids=[instance.unit_id])


class CoveragePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoveragePlan

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"2024—2026年巡察规划{n}")
    start_year = 2024
    end_year = 2026


class CoverageTargetFactory(_EarnsCoverageFactory):
    class Meta:
        model = CoverageTarget

    plan = factory.SubFactory(CoveragePlanFactory)
    organization = factory.SelfAttribute("plan.organization")
    unit = factory.SubFactory(UnitFactory, organization=factory.SelfAttribute("..organization"))


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"2025年第{n}轮巡察")
    kind = Round.Kind.ROUTINE
    start_date = datetime.date(2025, 3, 1)
    end_date = datetime.date(2025, 6, 30)
    focus_areas = factory.LazyFunction(lambda: ["political", "personnel"])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    round = factory.SubFactory(RoundFactory)
    organization = factory.SelfAttribute("round.organization")
    name = factory.Sequence(lambda n: f"第{n}巡察组")


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    organization = factory.SelfAttribute("team.organization")
    round = factory.SelfAttribute("team.round")
    inspector = factory.SubFactory(
        InspectorFactory, organization=factory.SelfAttribute("..organization")
    )
    role = TeamMember.Role.MEMBER


class InspectionFactory(_EarnsCoverageFactory):
    class Meta:
        model = Inspection

    round = factory.SubFactory(RoundFactory)
    organization = factory.SelfAttribute("round.organization")
    unit = factory.SubFactory(UnitFactory, organization=factory.SelfAttribute("..organization"))
    team = None
    stage = Stage.PLANNING


class RecusalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recusal

    member = factory.SubFactory(TeamMemberFactory)
    organization = factory.SelfAttribute("member.organization")
    unit = factory.SubFactory(UnitFactory, organization=factory.SelfAttribute("..organization"))
    reason = "曾在该单位任职"
    declared_on = datetime.date(2025, 3, 1)


class _InspectionPartFactory(factory.django.DjangoModelFactory):
    inspection = factory.SubFactory(InspectionFactory)
    organization = factory.SelfAttribute("inspection.organization")


class ExtensionVisitFactory(_InspectionPartFactory, _EarnsCoverageFactory):
    class Meta:
        model = ExtensionVisit

    unit = factory.SubFactory(UnitFactory, organization=factory.SelfAttribute("..organization"))
    occasion = ExtensionVisit.Occasion.ONSITE
    visited_on = datetime.date(2025, 4, 1)
    visit_reference = "现场巡察走访"


class IntelligenceRequestFactory(_InspectionPartFactory):
    class Meta:
        model = IntelligenceRequest

    department = IntelligenceRequest.Department.AUDIT
    requested_on = datetime.date(2025, 3, 1)


class IntelligenceItemFactory(_InspectionPartFactory):
    class Meta:
        model = IntelligenceItem

    source = IntelligenceItem.Source.AUDIT
    year = 2024
    summary = "2024年审计发现招标程序不规范"


class WorkTaskFactory(_InspectionPartFactory):
    class Meta:
        model = WorkTask

    assignee = factory.SubFactory(
        TeamMemberFactory, team__round=factory.SelfAttribute("...inspection.round")
    )
    description = "负责选人用人专项检查"


class MilestoneFactory(_InspectionPartFactory):
    class Meta:
        model = Milestone

    title = "召开进驻动员会"
    due_on = datetime.date(2025, 3, 10)


class ProblemFactory(_InspectionPartFactory):
    class Meta:
        model = Problem

    category = "personnel"
    description = "干部选拔任用程序不规范"


class StoredFileFactory(factory.django.DjangoModelFactory):
    """A row only, no bytes in the storage; tests of the bytes use ``files.services``."""

    class Meta:
        model = StoredFile

    organization = factory.SubFactory(OrganizationFactory)
    name = "会议纪要.pdf"
    kind = "pdf"
    mime = "application/pdf"
    size = 1024
    sha256 = "0" * 64
    path = factory.Sequence(lambda n: f"factory/{n:032x}.pdf")


class AnnouncementFactory(_InspectionPartFactory):
    class Meta:
        model = Announcement

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Announcement:
        """One per inspection: asked for another, the inspection's own comes back."""
        inspection = kwargs["inspection"]
        with org_scope(inspection.organization):
            existing = Announcement.objects.for_org(inspection.organization).filter(
                inspection=inspection
            )
            return existing.first() or super()._create(model_class, *args, **kwargs)

    period_start = datetime.date(2025, 4, 1)
    period_end = datetime.date(2025, 4, 30)
    scope = "贯彻落实党中央决策部署情况"
    phone = "028-12345678"
    mailbox = "xuncha@example.com"


# Model -> factory, used by the isolation harness to make "another tenant's object" for any
# URL. A new tenant-owned model reachable by URL needs an entry here, or the harness fails.
FACTORIES: dict[type[models.Model], Any] = {
    Membership: MembershipFactory,
    ApiToken: ApiTokenFactory,
    Unit: UnitFactory,
    Inspector: InspectorFactory,
    TrainingRecord: TrainingRecordFactory,
    RelativeDeclaration: RelativeDeclarationFactory,
    CoveragePlan: CoveragePlanFactory,
    CoverageTarget: CoverageTargetFactory,
    Round: RoundFactory,
    Team: TeamFactory,
    TeamMember: TeamMemberFactory,
    Inspection: InspectionFactory,
    Recusal: RecusalFactory,
    ExtensionVisit: ExtensionVisitFactory,
    IntelligenceRequest: IntelligenceRequestFactory,
    IntelligenceItem: IntelligenceItemFactory,
    WorkTask: WorkTaskFactory,
    Milestone: MilestoneFactory,
    Problem: ProblemFactory,
    Announcement: AnnouncementFactory,
    StoredFile: StoredFileFactory,
}


# How to put a row and every parent it needs into one organization.
ORG_KWARG: dict[type[models.Model], str] = {
    TrainingRecord: "inspector__organization",
    RelativeDeclaration: "inspector__organization",
    CoverageTarget: "plan__organization",
    Team: "round__organization",
    TeamMember: "team__round__organization",
    Inspection: "round__organization",
    Recusal: "member__team__round__organization",
    ExtensionVisit: "inspection__round__organization",
    IntelligenceRequest: "inspection__round__organization",
    IntelligenceItem: "inspection__round__organization",
    WorkTask: "inspection__round__organization",
    Milestone: "inspection__round__organization",
    Problem: "inspection__round__organization",
    Announcement: "inspection__round__organization",
}


def make_for_org(model: type[models.Model], org: Organization) -> models.Model:
    try:
        factory_class = FACTORIES[model]
    except KeyError:
        raise LookupError(
            f"Register a factory for {model.__name__} in tests/factories.py"
        ) from None
    return factory_class(**{ORG_KWARG.get(model, "organization"): org})


def seat_on_team(
    team: Team, user: User, *, role: str = TeamMember.Role.MEMBER, actor: User | None = None
) -> TeamMember:
    """``user`` on ``team`` as an inspector of their own, through the team service (which gives
    the grants on the team's inspections)."""
    inspector = InspectorFactory(organization=team.organization, user=user, leader_eligible=True)
    return team_services.add_member(team=team, actor=actor, inspector=inspector, role=role)


# The apps of the on-site work keep their factories apart; importing them registers them.
from tests import (  # noqa: E402
    factories_clues,  # noqa: F401
    factories_documents,  # noqa: F401
    factories_interviews,  # noqa: F401
    factories_surveys,  # noqa: F401
)
