"""What waits for a member on the home page (``rounds.work_queue`` shows it): each selector is
one ordered queryset of the rows of one queue section, read with its first rows and its total
in the statement of the whole home page (``accounts.work_queue``).

The querysets select their model's rows with annotations only (no ``select_related``: the
home page reads them all in one statement), and each starts from what the member may act on
(``rounds.permissions``), so another organization's or another team's rows never appear.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from accounts.models import Membership
from rounds.gates import WaitingCheck, waiting_flagged, waiting_flags
from rounds.models import (
    Inspection,
    IntelligenceRequest,
    Milestone,
    Recusal,
    StagePlan,
    TeamMember,
    WorkTask,
)
from rounds.permissions import MANAGING_TEAM_ROLES, inspections_manageable, inspections_viewable
from rounds.taxonomy import STAGE_ORDER, Stage

DUE_SOON_DAYS = 3  # an intelligence answer due within this many days is "due soon"
# The work plan is complete before the team goes on site: missing parts are shown until then.
PLANNING_STAGES = frozenset(STAGE_ORDER[: STAGE_ORDER.index(Stage.ONSITE)])


def _names(prefix: str = "") -> dict[str, F]:
    """The unit and round names of an inspection (``prefix``: the path to it from the row)."""
    return {"unit_name": F(f"{prefix}unit__name"), "round_name": F(f"{prefix}round__name")}


def _bare(inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
    return inspections.select_related(None)


def inspection_waiting_list(
    *, membership: Membership, checks: list[WaitingCheck]
) -> QuerySet[Inspection]:
    """Inspections the member manages that a gate of their next stage holds up (``checks``:
    ``rounds.gates.waiting_checks``), each flagged by the gates it waits on; longest waiting
    first."""
    return (
        _bare(inspections_manageable(membership))
        .annotate(**_names(), **waiting_flags(checks, membership.organization))
        .filter(waiting_flagged(checks))
        .order_by(Coalesce("stage_entered_at", "created_at"), "pk")
    )


def intelligence_request_due_list(
    *, membership: Membership, today: datetime.date
) -> QuerySet[IntelligenceRequest]:
    """Unanswered intelligence requests of open inspections the member manages whose answer was
    due, or is due within ``DUE_SOON_DAYS``; the earliest due first."""
    org = membership.organization
    managed = _bare(inspections_manageable(membership)).exclude(stage=Stage.CLOSED)
    return (
        IntelligenceRequest.objects.for_org(org)
        .filter(
            answered_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
            inspection__in=managed.values("pk"),
        )
        .annotate(**_names("inspection__"))
        .order_by("due_on", "pk")
    )


def stage_plan_overdue_list(*, membership: Membership, today: datetime.date) -> QuerySet[StagePlan]:
    """The planned dates of the stage each open inspection the member manages is in, where the
    planned end has passed: the longest overdue first."""
    org = membership.organization
    managed = _bare(inspections_manageable(membership)).exclude(stage=Stage.CLOSED)
    return (
        StagePlan.objects.for_org(org)
        .filter(
            planned_end__lt=today,
            stage=F("inspection__stage"),
            inspection__in=managed.values("pk"),
        )
        .annotate(**_names("inspection__"))
        .order_by("planned_end", "pk")
    )


def recusal_pending_list(*, membership: Membership) -> QuerySet[Recusal]:
    """Recusal declarations awaiting a decision, the oldest first."""
    return (
        Recusal.objects.for_org(membership.organization)
        .filter(decision=Recusal.Decision.PENDING)
        .annotate(
            person_name=F("member__inspector__name"),
            unit_name=F("unit__name"),
            team_id=F("member__team_id"),
            team_name=F("member__team__name"),
        )
        .order_by("declared_on", "pk")
    )


def inspection_closing_list(
    *, membership: Membership, checks: list[WaitingCheck]
) -> QuerySet[Inspection]:
    """Inspections in acceptance, awaiting closing (销号) by the leadership group, each flagged
    by the gates of closing still unmet; the longest waiting first."""
    return (
        _bare(inspections_viewable(membership))
        .filter(stage=Stage.ACCEPTANCE)
        .annotate(**_names(), **waiting_flags(checks, membership.organization))
        .order_by(Coalesce("stage_entered_at", "created_at"), "pk")
    )


def inspection_led_list(
    *, membership: Membership, checks: list[WaitingCheck]
) -> QuerySet[Inspection]:
    """Open inspections of the teams the member leads (leader or deputy), with the gates of
    their next stage (``checks``) and the parts of their work plan still missing."""
    org = membership.organization
    seats = TeamMember.objects.for_org(org).filter(
        team=OuterRef("team_id"),
        inspector__user_id=membership.user_id,
        role__in=MANAGING_TEAM_ROLES,
    )
    inspection = OuterRef("pk")
    dated = Q(planned_start__isnull=False) | Q(planned_end__isnull=False)
    return (
        _bare(inspections_manageable(membership))
        .filter(Exists(seats))
        .exclude(stage=Stage.CLOSED)
        .annotate(
            **_names(),
            **waiting_flags(checks, membership.organization),
            has_tasks=Exists(WorkTask.objects.for_org(org).filter(inspection=inspection)),
            has_milestones=Exists(Milestone.objects.for_org(org).filter(inspection=inspection)),
            has_schedule=Exists(
                StagePlan.objects.for_org(org).filter(dated, inspection=inspection)
            ),
        )
        .order_by("-round__start_date", "unit__path", "pk")
    )


def work_task_assigned_list(*, membership: Membership) -> QuerySet[WorkTask]:
    """The tasks of the work split (任务分工) assigned to the member on the open inspections
    they see; the newest inspection first."""
    org = membership.organization
    visible = _bare(inspections_viewable(membership)).exclude(stage=Stage.CLOSED)
    return (
        WorkTask.objects.for_org(org)
        .filter(
            assignee__inspector__user_id=membership.user_id, inspection__in=visible.values("pk")
        )
        .annotate(**_names("inspection__"), inspection_stage=F("inspection__stage"))
        .order_by("-inspection__round__start_date", "inspection_id", "pk")
    )
