"""State changes around one inspection: its schedule (进度表), the tenant's default durations,
preparation intelligence, work plan and tasks, milestones, problems and look-backs (回头看).
The stage moves themselves live in ``rounds.services.lifecycle``."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import Organization, User
from rounds.models import (
    Inspection,
    InspectionSettings,
    IntelligenceItem,
    IntelligenceRequest,
    Milestone,
    Problem,
    Round,
    StagePlan,
    StageTransition,
    TeamMember,
    WorkTask,
)
from rounds.selectors.inspection_detail import inspection_part_list
from rounds.services.archive import check_round_editable
from rounds.services.closed import while_open
from rounds.services.effective_dates import check_past_day
from rounds.taxonomy import STAGE_ORDER, FocusArea, Stage

# Stages planned on the schedule: every stage but "closed", which has no duration.
PLANNED_STAGES: list[str] = [stage for stage in STAGE_ORDER if stage != Stage.CLOSED]
# Default lengths (days) of the stages the tenant settings do not cover; a suggestion the
# office edits before saving. Mobilization is the one-day entry meeting (进驻动员会).
DEFAULT_STAGE_DAYS: dict[str, int] = {
    Stage.PLANNING: 7,
    Stage.PREPARATION: 14,
    Stage.MOBILIZATION: 1,
    Stage.REPORTING: 30,
    Stage.FEEDBACK: 14,
    Stage.ACCEPTANCE: 30,
}
# Intelligence covers "problems of the last 3 years": the request's year and the 3 before it.
INTELLIGENCE_YEARS = 3

Date = datetime.date | None
Dates = tuple[Date, Date]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the month's end (31 Jan + 1 → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def default_schedule(
    *, settings: InspectionSettings, start: datetime.date
) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Consecutive stages from ``start``; dates are inclusive, so a stage of N days starting on
    S ends on S + N - 1 (on-site: 30 days from 1 April ends 30 April), and rectification of
    M months ends the day before the same date M months later (1 June + 2 → 31 July)."""
    schedule = {}
    for stage in PLANNED_STAGES:
        if stage == Stage.RECTIFICATION:
            end = add_months(start, settings.rectification_months) - datetime.timedelta(days=1)
        else:
            days = settings.onsite_days if stage == Stage.ONSITE else DEFAULT_STAGE_DAYS[stage]
            end = start + datetime.timedelta(days=days - 1)
        schedule[stage] = (start, end)
        start = end + datetime.timedelta(days=1)
    return schedule


def schedule_field(stage: str, edge: str) -> str:
    """The schedule form's field of a stage's planned ``start`` or ``end`` (where a refusal
    of that date is shown)."""
    return f"{stage}_{edge}"


def _check_within_round(round: Round, stage: str, start: Date, end: Date) -> None:
    for edge, day in (("start", start), ("end", end)):
        if day is not None and not round.start_date <= day <= round.end_date:
            raise DomainError(
                _("“%(stage)s” is planned on %(date)s, outside the round (%(start)s to %(end)s).")
                % {
                    "stage": Stage(stage).label,
                    "date": day,
                    "start": round.start_date,
                    "end": round.end_date,
                },
                field=schedule_field(stage, edge),
            )


Latest = tuple[datetime.date, str] | None  # the latest date among earlier stages, and whose


def _check_order(stage: str, start: Date, end: Date, starts: Latest, ends: Latest) -> None:
    checks = (
        (
            "start",
            start,
            starts,
            _("“%(stage)s” cannot start before “%(earlier)s” starts (%(date)s)."),
        ),
        ("end", end, ends, _("“%(stage)s” cannot end before “%(earlier)s” ends (%(date)s).")),
        ("end", end, starts, _("“%(stage)s” cannot end before “%(earlier)s” starts (%(date)s).")),
    )
    for edge, day, earlier, message in checks:
        if day is not None and earlier is not None and day < earlier[0]:
            values = {"stage": Stage(stage).label, "earlier": Stage(earlier[1]).label}
            raise DomainError(
                message % (values | {"date": earlier[0]}), field=schedule_field(stage, edge)
            )


def _latest(latest: Latest, day: Date, stage: str) -> Latest:
    return (day, stage) if day is not None and (latest is None or day > latest[0]) else latest


def check_schedule(*, round: Round, dates: Mapping[str, Dates]) -> None:
    """Refuses a schedule a team could not follow: a stage ending before it starts, a date
    outside the round's period, or a stage planned before an earlier one (in the order of
    ``STAGE_ORDER``). Stages may overlap (the mobilization meeting opens the on-site work),
    but a later stage neither starts before an earlier one starts nor ends before an earlier
    one ends or starts. Stages without dates are skipped."""
    starts: Latest = None
    ends: Latest = None
    for stage in PLANNED_STAGES:
        start, end = dates.get(stage, (None, None))
        if start and end and end < start:
            raise DomainError(
                _("“%(stage)s” ends before it starts.") % {"stage": Stage(stage).label},
                field=schedule_field(stage, "end"),
            )
        _check_within_round(round, stage, start, end)
        _check_order(stage, start, end, starts, ends)
        starts, ends = _latest(starts, start, stage), _latest(ends, end, stage)


@transaction.atomic
@while_open
def save_schedule(
    *, inspection: Inspection, actor: User, dates: Mapping[str, Dates]
) -> list[StagePlan]:
    """Save the planned dates of each stage in ``dates`` (one StagePlan row per stage); the
    stages not in ``dates`` keep theirs, and the whole schedule must pass ``check_schedule``."""
    for stage in dates:
        if stage not in PLANNED_STAGES:
            raise DomainError(_("Unknown stage: %(stage)s") % {"stage": stage})
    stored = StagePlan.objects.for_org(inspection.organization).filter(inspection=inspection)
    schedule: dict[str, Dates] = {
        plan.stage: (plan.planned_start, plan.planned_end) for plan in stored
    }
    check_schedule(round=inspection.round, dates=schedule | dict(dates))
    plans = []
    for stage, (start, end) in dates.items():
        plan, _created = StagePlan.objects.for_org(inspection.organization).update_or_create(
            inspection=inspection,
            stage=stage,
            defaults={"planned_start": start, "planned_end": end},
            create_defaults={
                "organization": inspection.organization,
                "planned_start": start,
                "planned_end": end,
            },
        )
        plans.append(plan)
    return plans


# What an inspection office would set (DESIGN.md §3: on-site work of weeks, rectification of
# 2 months by default, at least 2 supervision visits): anything outside is a typing mistake.
ONSITE_DAYS = (7, 120)
RECTIFICATION_MONTHS = (1, 12)
SUPERVISION_VISITS = (0, 10)
ANNOUNCEMENT_LEAD_DAYS = (0, 60)


def _check_settings_bounds(
    *, onsite_days: int, rectification_months: int, min_supervision_visits: int
) -> None:
    bounds = (
        ("onsite_days", onsite_days, ONSITE_DAYS, _("On-site work lasts %(min)d to %(max)d days.")),
        (
            "rectification_months",
            rectification_months,
            RECTIFICATION_MONTHS,
            _("Rectification lasts %(min)d to %(max)d months."),
        ),
        (
            "min_supervision_visits",
            min_supervision_visits,
            SUPERVISION_VISITS,
            _("The minimum number of supervision visits is %(min)d to %(max)d."),
        ),
    )
    for field, value, (low, high), message in bounds:
        if not low <= value <= high:
            raise DomainError(message % {"min": low, "max": high}, field=field)


@transaction.atomic
def update_inspection_settings(
    *,
    org: Organization,
    actor: User,
    onsite_days: int,
    rectification_months: int,
    min_supervision_visits: int,
    report_months: Iterable[int],
    announcement_lead_days: int | None = None,
) -> InspectionSettings:
    """``announcement_lead_days``: ``None`` keeps the stored value."""
    months = sorted(set(report_months))
    if not months or any(month <= 0 for month in months):
        raise DomainError(_("Report months must be positive whole numbers."), field="report_months")
    _check_settings_bounds(
        onsite_days=onsite_days,
        rectification_months=rectification_months,
        min_supervision_visits=min_supervision_visits,
    )
    low, high = ANNOUNCEMENT_LEAD_DAYS
    if announcement_lead_days is not None and not low <= announcement_lead_days <= high:
        raise DomainError(
            _("The announcement goes out %(min)d to %(max)d days before the on-site work.")
            % {"min": low, "max": high},
            field="announcement_lead_days",
        )
    settings, _created = InspectionSettings.objects.for_org(org).get_or_create(organization=org)
    if announcement_lead_days is not None:
        settings.announcement_lead_days = announcement_lead_days
    settings.onsite_days = onsite_days
    settings.rectification_months = rectification_months
    settings.min_supervision_visits = min_supervision_visits
    settings.report_months = ",".join(str(month) for month in months)
    settings.save()
    return settings


@transaction.atomic
@while_open
def add_intelligence_request(
    *,
    inspection: Inspection,
    actor: User,
    department: str,
    requested_on: datetime.date,
    due_on: datetime.date | None = None,
    note: str = "",
) -> IntelligenceRequest:
    if due_on and due_on < requested_on:
        raise DomainError(_("The answer cannot be due before the request is made."))
    check_past_day(
        requested_on, round=inspection.round, label=_("Requested on"), field="requested_on"
    )
    return IntelligenceRequest.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        department=department,
        requested_on=requested_on,
        due_on=due_on,
        note=note,
    )


@transaction.atomic
@while_open
def answer_intelligence_request(
    *, request: IntelligenceRequest, actor: User, answered_on: datetime.date
) -> IntelligenceRequest:
    if answered_on < request.requested_on:
        raise DomainError(_("A request cannot be answered before it was made."))
    check_past_day(
        answered_on, round=request.inspection.round, label=_("Answered on"), field="answered_on"
    )
    request.answered_on = answered_on
    request.save(update_fields=["answered_on"])
    return request


def _check_intelligence_year(year: int, reference: datetime.date) -> None:
    if not reference.year - INTELLIGENCE_YEARS <= year <= reference.year:
        raise DomainError(
            _("Intelligence must concern the last %(n)d years (%(first)d–%(last)d).")
            % {
                "n": INTELLIGENCE_YEARS,
                "first": reference.year - INTELLIGENCE_YEARS,
                "last": reference.year,
            }
        )


@transaction.atomic
@while_open
def add_intelligence_item(
    *,
    inspection: Inspection,
    actor: User,
    source: str,
    year: int,
    summary: str,
    detail: str = "",
    request: IntelligenceRequest | None = None,
) -> IntelligenceItem:
    """A past problem reported for the inspection; ``year`` must fall in the last 3 years
    before the request (or today, when the item answers no request)."""
    if request is not None and request.inspection_id != inspection.pk:
        raise DomainError(_("The request belongs to another inspection."))
    _check_intelligence_year(year, request.requested_on if request else timezone.localdate())
    return IntelligenceItem.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        request=request,
        source=source,
        year=year,
        summary=summary,
        detail=detail,
        recorded_by=actor,
    )


@transaction.atomic
@while_open
def save_work_plan(
    *, inspection: Inspection, actor: User, focus_areas: Iterable[str], work_plan: str
) -> Inspection:
    areas = list(dict.fromkeys(focus_areas))
    if any(area not in FocusArea.values for area in areas):
        raise DomainError(_("Unknown focus area."))
    inspection.focus_areas, inspection.work_plan = areas, work_plan
    inspection.save(update_fields=["focus_areas", "work_plan"])
    return inspection


@transaction.atomic
@while_open
def add_task(
    *, inspection: Inspection, actor: User, assignee: TeamMember, description: str
) -> WorkTask:
    if inspection.team_id is None or assignee.team_id != inspection.team_id:
        raise DomainError(_("Tasks go to members of this inspection's team."))
    return WorkTask.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        assignee=assignee,
        description=description,
    )


@transaction.atomic
@while_open
def remove_task(*, task: WorkTask, actor: User) -> None:
    task.delete()


@transaction.atomic
@while_open
def add_milestone(
    *, inspection: Inspection, actor: User, title: str, due_on: datetime.date
) -> Milestone:
    return Milestone.objects.create(
        organization=inspection.organization, inspection=inspection, title=title, due_on=due_on
    )


@transaction.atomic
@while_open
def mark_milestone_done(*, milestone: Milestone, actor: User, done_on: datetime.date) -> Milestone:
    check_past_day(done_on, round=milestone.inspection.round, label=_("Done on"))
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
@while_open
def add_problem(
    *,
    inspection: Inspection,
    actor: User,
    category: str,
    severity: str,
    description: str,
    found_on: datetime.date | None = None,
) -> Problem:
    """``found_on``: the day the team found it (past work entered now), today by default."""
    if inspection.stage == Stage.CLOSED:
        raise DomainError(_("A closed inspection takes no new problems."))
    if found_on is None:
        found_on = timezone.localdate()
    check_past_day(found_on, round=inspection.round, label=_("Found on"), field="found_on")
    return Problem.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        category=category,
        severity=severity,
        description=description,
        found_on=found_on,
    )


@transaction.atomic
@while_open
def recheck_problem(*, problem: Problem, actor: User, result: str) -> Problem:
    """Record the re-check of a problem inherited by a look-back inspection."""
    if problem.inherited_from_id is None:
        raise DomainError(_("Only problems inherited by a look-back are re-checked."))
    if result not in {Problem.Recheck.RESOLVED, Problem.Recheck.RECURRED}:
        raise DomainError(_("Choose whether the problem was resolved or recurred."))
    problem.recheck = result
    problem.save(update_fields=["recheck"])
    return problem


def _check_look_back_target(inspection: Inspection, target_round: Round) -> None:
    if target_round.organization_id != inspection.organization_id:
        raise DomainError(_("The round belongs to another organization."))
    if inspection.stage != Stage.CLOSED:
        raise DomainError(_("Only a closed inspection can be looked back on."))
    if target_round.kind != Round.Kind.LOOK_BACK:
        raise DomainError(_("Choose a look-back round."))
    check_round_editable(target_round)


@transaction.atomic
def create_look_back(*, inspection: Inspection, actor: User, target_round: Round) -> Inspection:
    """A look-back (回头看) of a closed inspection in ``target_round``: same unit, linked to the
    source, starting in planning with the source's problems to re-check."""
    _check_look_back_target(inspection, target_round)
    org = inspection.organization
    if Inspection.objects.for_org(org).filter(round=target_round, unit=inspection.unit).exists():
        raise DomainError(
            _("%(unit)s already has an inspection in %(round)s.")
            % {"unit": inspection.unit, "round": target_round}
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            look_back = Inspection.objects.create(
                organization=org,
                round=target_round,
                unit=inspection.unit,
                look_back_of=inspection,
                stage=Stage.PLANNING,
                stage_entered_at=now,
                created_by=actor,
            )
    except IntegrityError as error:  # a concurrent creation for the same unit and round
        raise DomainError(_("This unit already has an inspection in that round.")) from error
    Problem.objects.bulk_create(
        Problem(
            organization=org,
            inspection=look_back,
            category=problem.category,
            severity=problem.severity,
            description=problem.description,
            found_on=problem.found_on,
            inherited_from=problem,
        )
        for problem in inspection_part_list(Problem, inspection)
    )
    StageTransition.objects.create(
        organization=org,
        inspection=look_back,
        from_stage="",
        to_stage=Stage.PLANNING,
        actor=actor,
        reason=_("Created as look-back of %(source)s.") % {"source": inspection},
        at=now,
    )
    return look_back
