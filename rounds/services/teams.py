"""State changes of rounds and teams: one keyword-only function per business action.

Team members get object-level access to their team's inspections only: every change of a
team's members or units ends with ``accounts.grants.sync_grants`` for the people concerned,
which derives their guardian grants from the facts (see ``rounds.permissions``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.grants import sync_grants, sync_grants_of
from accounts.models import Organization, Unit, User
from history.changes import save_changes
from rounds.models import (
    Inspection,
    Inspector,
    Recusal,
    Round,
    StagePlan,
    Team,
    TeamMember,
)
from rounds.selectors.teams import recusal_all, team_inspection_list, team_member_list
from rounds.services.archive import check_round_editable
from rounds.services.closed import while_round_open
from rounds.services.conflicts import conflict_reasons
from rounds.services.coverage import refresh_coverage
from rounds.services.round_dates import check_round_change
from rounds.staffing import approved_recusal_list
from rounds.taxonomy import FocusArea, Stage

# A round runs from its deployment to the acceptance of its inspections' rectification: weeks
# or months, never more than a year (366 days counting both ends, so a leap year fits).
MAX_ROUND_DAYS = 366
# A leader is authorized for one round ("一次一授权"), usually shortly before it starts, when
# the party committee deploys it; an authorization older than this is a mistyped year.
MAX_AUTHORIZATION_LEAD_DAYS = 180


def check_round_period(*, start_date: datetime.date, end_date: datetime.date) -> None:
    """Refuses an end before the start and a round longer than ``MAX_ROUND_DAYS``."""
    if end_date < start_date:
        raise DomainError(_("The end date cannot be before the start date."), field="end_date")
    days = (end_date - start_date).days + 1
    if days > MAX_ROUND_DAYS:
        raise DomainError(
            _(
                "A round lasts at most %(max)d days; %(start)s to %(end)s is %(days)d days. "
                "Check the years."
            )
            % {"max": MAX_ROUND_DAYS, "start": start_date, "end": end_date, "days": days},
            field="end_date",
        )


def check_authorization_date(*, round: Round, authorized_on: datetime.date) -> None:
    """A leader's authorization dates from the round's preparation or the round itself: not
    after the round has ended, nor more than ``MAX_AUTHORIZATION_LEAD_DAYS`` before it starts."""
    if authorized_on > round.end_date:
        raise DomainError(
            _(
                "The authorization is dated %(date)s, after the round ended (%(end)s): a leader "
                "is authorized for one round, before or during it."
            )
            % {"date": authorized_on, "end": round.end_date},
            field="authorized_on",
        )
    # Counted in days, not as a date before the start: a round of year 1 has no such date.
    if (round.start_date - authorized_on).days > MAX_AUTHORIZATION_LEAD_DAYS:
        raise DomainError(
            _(
                "The authorization is dated %(date)s, more than %(days)d days before the round "
                "starts (%(start)s): a leader is authorized for this round, not a past one."
            )
            % {
                "date": authorized_on,
                "days": MAX_AUTHORIZATION_LEAD_DAYS,
                "start": round.start_date,
            },
            field="authorized_on",
        )


def _check_round_keeps_its_work(
    *, round: Round, start_date: datetime.date, end_date: datetime.date
) -> None:
    """A new period must still hold the teams' authorizations and the planned stage dates."""
    moved = Round(start_date=start_date, end_date=end_date)
    teams = Team.objects.for_org(round.organization).filter(round=round)
    for name, day in teams.values_list("name", "authorized_on"):
        if day is None:
            continue
        try:
            check_authorization_date(round=moved, authorized_on=day)
        except DomainError as error:
            field = "end_date" if day > end_date else "start_date"
            raise DomainError(f"{name}: {error.message}", field=field) from None
    plans = StagePlan.objects.for_org(round.organization).filter(inspection__round=round)
    early = Q(planned_start__lt=start_date) | Q(planned_end__lt=start_date)
    late = Q(planned_start__gt=end_date) | Q(planned_end__gt=end_date)
    for outside, field in ((early, "start_date"), (late, "end_date")):
        plan = plans.filter(outside).select_related("inspection__unit").order_by("pk").first()
        if plan is not None:
            raise DomainError(
                _(
                    "The schedule of the inspection of %(unit)s plans “%(stage)s” outside "
                    "this period; change the schedule first."
                )
                % {"unit": plan.inspection.unit.name, "stage": plan.get_stage_display()},
                field=field,
            )


def _round_fields(
    *,
    name: str,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    focus_areas: Iterable[str],
    description: str,
) -> dict[str, Any]:
    """The checked fields of a round, as create and update store them."""
    if kind not in Round.Kind.values:
        raise DomainError(_("Unknown kind of round: %(kind)s") % {"kind": kind}, field="kind")
    check_round_period(start_date=start_date, end_date=end_date)
    areas = list(dict.fromkeys(focus_areas))
    unknown = set(areas) - set(FocusArea.values)
    if unknown:
        raise DomainError(_("Unknown focus area: %(area)s") % {"area": ", ".join(sorted(unknown))})
    return {
        "name": name,
        "kind": kind,
        "start_date": start_date,
        "end_date": end_date,
        "focus_areas": areas,
        "description": description,
    }


@transaction.atomic
def create_round(
    *,
    org: Organization,
    actor: User | None,
    name: str,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    focus_areas: Iterable[str] = (),
    description: str = "",
) -> Round:
    fields = _round_fields(
        name=name,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        focus_areas=focus_areas,
        description=description,
    )
    return Round.objects.create(organization=org, created_by=actor, **fields)


@transaction.atomic
@while_round_open
def update_round(
    *,
    round: Round,
    actor: User,
    name: str,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    focus_areas: Iterable[str] = (),
    description: str = "",
) -> Round:
    fields = _round_fields(
        name=name,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        focus_areas=focus_areas,
        description=description,
    )
    check_round_update(round=round, start_date=start_date, end_date=end_date)
    changed = save_changes(round, fields)
    if {"start_date", "end_date"} & set(changed):  # which plan periods its inspections count in
        inspected = Inspection.objects.for_org(round.organization).filter(round=round)
        refresh_coverage(
            organization=round.organization, unit_ids=inspected.values_list("unit_id", flat=True)
        )
    return round


def check_round_update(*, round: Round, start_date: datetime.date, end_date: datetime.date) -> None:
    """What ``update_round`` would refuse about new dates, asked before saving (the round form
    asks it before it asks to confirm a change of coverage)."""
    check_round_period(start_date=start_date, end_date=end_date)
    check_round_change(round=round, start_date=start_date, end_date=end_date)
    if (start_date, end_date) != (round.start_date, round.end_date):
        _check_round_keeps_its_work(round=round, start_date=start_date, end_date=end_date)


def _check_team_fields(
    *,
    round: Round,
    name: str,
    authorization_ref: str,
    authorized_on: datetime.date | None,
    exclude_pk: int | None = None,
    kept_date: datetime.date | None = None,
) -> None:
    """``kept_date``: the authorization date already stored, accepted as it stands (an
    archived round is refused by its callers' ``@while_round_open``)."""
    clash = Team.objects.for_org(round.organization).filter(round=round, name=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("This round already has a team named %(name)s.") % {"name": name}, field="name"
        )
    if bool(authorization_ref) != bool(authorized_on):
        raise DomainError(
            _("Give both the authorization document number and its date."),
            field="authorization_ref" if authorized_on else "authorized_on",
        )
    if authorized_on is not None and authorized_on != kept_date:
        check_authorization_date(round=round, authorized_on=authorized_on)


@transaction.atomic
@while_round_open
def create_team(
    *,
    round: Round,
    actor: User,
    name: str,
    authorization_ref: str = "",
    authorized_on: datetime.date | None = None,
) -> Team:
    """A team of ``round``; its leader's authorization is valid for this round only
    ("一次一授权") and records who entered it."""
    _check_team_fields(
        round=round, name=name, authorization_ref=authorization_ref, authorized_on=authorized_on
    )
    return Team.objects.create(
        organization=round.organization,
        round=round,
        name=name,
        authorization_ref=authorization_ref,
        authorized_on=authorized_on,
        authorized_by=actor if authorization_ref else None,
    )


@transaction.atomic
@while_round_open
def update_team(
    *,
    team: Team,
    actor: User,
    name: str,
    authorization_ref: str = "",
    authorized_on: datetime.date | None = None,
) -> Team:
    _check_team_fields(
        round=team.round,
        name=name,
        authorization_ref=authorization_ref,
        authorized_on=authorized_on,
        exclude_pk=team.pk,
        kept_date=team.authorized_on,
    )
    values: dict[str, object] = {
        "name": name,
        "authorization_ref": authorization_ref,
        "authorized_on": authorized_on,
    }
    if (authorization_ref, authorized_on) != (team.authorization_ref, team.authorized_on):
        values["authorized_by"] = actor if authorization_ref else None
    save_changes(team, values)
    return team


def _lock_round(team: Team) -> None:
    """Team changes of one round are serialized: "one team per person" and "one inspection per
    unit" are checked across the round's teams. An archived round's teams are read-only."""
    check_round_editable(
        Round.objects.for_org(team.organization).select_for_update().get(pk=team.round_id)
    )


def members_in_round(*, team: Team) -> QuerySet[TeamMember]:
    """Everyone on any team of ``team``'s round."""
    return (
        TeamMember.objects.for_org(team.organization)
        .filter(round_id=team.round_id)
        .select_related("team")
    )


def _loaded_inspectors(org: Organization, pks: Iterable[int]) -> list[Inspector]:
    return list(
        Inspector.objects.for_org(org)
        .filter(pk__in=list(pks))
        .select_related("home_unit")
        .prefetch_related("relatives__unit")
        .order_by("name", "pk")
    )


def _refuse_conflicts(inspectors: Iterable[Inspector], units: Iterable[Unit]) -> None:
    units = list(units)
    reasons = [
        reason
        for inspector in inspectors
        for unit in units
        for reason in conflict_reasons(inspector=inspector, unit=unit)
    ]
    if reasons:
        raise DomainError(" ".join(reasons))


def _check_free_in_round(*, team: Team, inspector: Inspector) -> None:
    """One team per person per round: not on a team of ``team``'s round, nor replacing a
    recused member on one of its inspections."""
    taken = members_in_round(team=team).filter(inspector=inspector).first()
    if taken is None:
        replacing = (
            approved_recusal_list(team.organization)
            .filter(member__round_id=team.round_id, replacement=inspector)
            .select_related("member__team")
            .first()
        )
        taken = replacing.member if replacing is not None else None
    if taken is not None:
        raise DomainError(
            _("%(person)s is already on %(team)s in this round.")
            % {"person": inspector, "team": taken.team.name}
        )


def _check_new_member(*, team: Team, inspector: Inspector, role: str) -> None:
    if inspector.organization_id != team.organization_id:
        raise DomainError(_("The inspector must belong to this organization."))
    if not inspector.is_active:
        raise DomainError(_("%(person)s is no longer active in the pool.") % {"person": inspector})
    if role not in TeamMember.Role.values:
        raise DomainError(_("Unknown team role: %(role)s") % {"role": role})
    _check_free_in_round(team=team, inspector=inspector)
    if role == TeamMember.Role.LEADER:
        if not inspector.leader_eligible:
            raise DomainError(
                _("%(person)s is not eligible as a team leader.") % {"person": inspector}
            )
        if team_member_list(team=team).filter(role=TeamMember.Role.LEADER).exists():
            raise DomainError(_("This team already has a leader."))


@transaction.atomic
@while_round_open
def add_member(*, team: Team, actor: User, inspector: Inspector, role: str) -> TeamMember:
    """Put ``inspector`` on ``team`` as leader, deputy or member, unless a rule forbids it."""
    _lock_round(team)
    _check_new_member(team=team, inspector=inspector, role=role)
    units = [inspection.unit for inspection in team_inspection_list(team=team)]
    _refuse_conflicts(_loaded_inspectors(team.organization, [inspector.pk]), units)
    member = TeamMember.objects.create(
        organization=team.organization,
        team=team,
        round_id=team.round_id,
        inspector=inspector,
        role=role,
    )
    if inspector.user is not None:
        sync_grants(user=inspector.user, organization=team.organization)
    return member


def check_member_removable(*, member: TeamMember) -> None:
    """What refuses ``member``'s removal whatever the form says (asked before confirming)."""
    if member.tasks.exists():
        raise DomainError(
            _("%(person)s still has tasks in a work plan; reassign them first.")
            % {"person": member.inspector}
        )


def team_stages(*, team: Team) -> set[str]:
    """The stages the team's inspections are in (what its removals must ask)."""
    inspections = Inspection.objects.for_org(team.organization).filter(team=team)
    return set(inspections.values_list("stage", flat=True))


def under_way(stages: Iterable[str]) -> bool:
    """An inspection in one of ``stages`` is past planning and not closed."""
    return bool(set(stages) - {Stage.PLANNING, Stage.CLOSED})


def needs_new_leader(*, member: TeamMember, stages: Iterable[str]) -> bool:
    """``member`` leads a team with an inspection past planning: they leave only with a new
    leader named in the same action."""
    return member.role == TeamMember.Role.LEADER and bool(set(stages) - {Stage.PLANNING})


@transaction.atomic
@while_round_open
def remove_member(
    *,
    member: TeamMember,
    actor: User,
    reason: str = "",
    new_leader: Inspector | None = None,
    authorization_ref: str = "",
    authorized_on: datetime.date | None = None,
) -> TeamMember | None:
    """Take ``member`` off the team; return the new leader's seat, if one is named.

    While an inspection of the team is under way the ``reason`` is required; it is written on
    the row before it goes, so the removal's history event on the team page keeps it. The
    leader of a team with an inspection past planning leaves only with ``new_leader`` (someone
    from the pool, or a member of the team, promoted), who leads from this transaction on with
    their own authorization ("一次一授权": ``authorization_ref`` and ``authorized_on``)."""
    team = member.team
    _lock_round(team)
    member = team_member_list(team=team).select_for_update(of=("self",)).get(pk=member.pk)
    check_member_removable(member=member)
    stages, reason = team_stages(team=team), reason.strip()
    if under_way(stages) and not reason:
        raise DomainError(
            _("The team's inspections are under way: give the reason for removing %(person)s.")
            % {"person": member.inspector},
            field="reason",
        )
    if new_leader is None and needs_new_leader(member=member, stages=stages):
        raise DomainError(
            _(
                "%(person)s leads inspections past planning: name the new leader, with their "
                "authorization, in the same action."
            )
            % {"person": member.inspector},
            field="new_leader",
        )
    if new_leader is not None and member.role != TeamMember.Role.LEADER:
        raise DomainError(_("Only the leader's removal names a new leader."), field="new_leader")
    replacing = approved_recusal_list(team.organization).filter(member=member)
    users = [
        member.inspector.user,
        *_replacing_users(replacing.select_related("replacement__user")),
    ]
    if reason:
        member.removal_reason = reason
        member.save(update_fields=["removal_reason"])
    member.delete()
    seat = None
    if new_leader is not None:
        seat = _install_leader(
            team=team,
            actor=actor,
            inspector=new_leader,
            authorization_ref=authorization_ref,
            authorized_on=authorized_on,
        )
        users.append(new_leader.user)
    sync_grants_of(users=[u for u in users if u is not None], organization=team.organization)
    return seat


def _install_leader(
    *,
    team: Team,
    actor: User,
    inspector: Inspector,
    authorization_ref: str,
    authorized_on: datetime.date | None,
) -> TeamMember:
    """Make ``inspector`` the leader of ``team`` (which has none now) and record their
    authorization: a member is promoted, anyone else joins from the pool."""
    if not (authorization_ref and authorized_on):
        raise DomainError(
            _("Record the new leader's authorization: its document number and date."),
            field="authorization_ref" if not authorization_ref else "authorized_on",
        )
    _check_team_fields(
        round=team.round,
        name=team.name,
        authorization_ref=authorization_ref,
        authorized_on=authorized_on,
        exclude_pk=team.pk,
    )
    seat = team_member_list(team=team).filter(inspector=inspector).first()
    if seat is None:
        seat = add_member(team=team, actor=actor, inspector=inspector, role=TeamMember.Role.LEADER)
    elif not inspector.leader_eligible:
        raise DomainError(
            _("%(person)s is not eligible as a team leader.") % {"person": inspector},
            field="new_leader",
        )
    else:
        save_changes(seat, {"role": TeamMember.Role.LEADER})
    values = {
        "authorization_ref": authorization_ref,
        "authorized_on": authorized_on,
        "authorized_by": actor,
    }
    save_changes(team, values)
    return seat


def _replacing_users(recusals: Iterable[Recusal]) -> list[User]:
    """The users replacing someone by ``recusals`` (their grants follow the recusals)."""
    return [r.replacement.user for r in recusals if r.replacement and r.replacement.user]


def _check_unit(*, team: Team, unit: Unit) -> Inspection | None:
    """The round's team-less inspection of ``unit`` to adopt, if any; refuses a unit that
    another team already inspects in this round."""
    if unit.organization_id != team.organization_id:
        raise DomainError(_("The unit must belong to this organization."))
    if not unit.is_active:
        raise DomainError(_("%(unit)s is deactivated.") % {"unit": unit.name})
    existing = (
        Inspection.objects.for_org(team.organization)
        .filter(round_id=team.round_id, unit=unit)
        .select_related("team")
        .first()
    )
    if existing is not None and existing.team is not None:  # loaded with the inspection
        raise DomainError(
            _("%(unit)s is already inspected in this round, by %(team)s.")
            % {"unit": unit.name, "team": existing.team.name}
        )
    return existing


@transaction.atomic
@while_round_open
def assign_unit(*, team: Team, actor: User, unit: Unit) -> Inspection:
    """Give ``unit`` to ``team``: one inspection per (round, unit), starting in planning."""
    _lock_round(team)
    existing = _check_unit(team=team, unit=unit)
    member_pks = team_member_list(team=team).values_list("inspector", flat=True)
    _refuse_conflicts(_loaded_inspectors(team.organization, member_pks), [unit])
    if existing is not None:  # e.g. a look-back created before its team was formed
        existing.team = team
        existing.save(update_fields=["team"])
        inspection = existing
    else:
        inspection = Inspection.objects.create(
            organization=team.organization,
            round_id=team.round_id,
            team=team,
            unit=unit,
            stage=Stage.PLANNING,
            stage_entered_at=timezone.now(),
            focus_areas=list(team.round.focus_areas),
            created_by=actor,
        )
    sync_team_grants(team=team)
    return inspection


@transaction.atomic
@while_round_open
def unassign_unit(*, inspection: Inspection, actor: User) -> None:
    """Take a unit back from its team while its inspection is still being planned."""
    team = inspection.team
    if team is None:
        raise DomainError(_("%(unit)s is not assigned to a team.") % {"unit": inspection.unit})
    _lock_round(team)
    inspection = (
        Inspection.objects.for_org(team.organization).select_for_update().get(pk=inspection.pk)
    )
    if inspection.stage != Stage.PLANNING:
        raise DomainError(
            _("The inspection of %(unit)s is past planning; its unit can no longer be unassigned.")
            % {"unit": inspection.unit}
        )
    if inspection.look_back_of_id is not None:  # keep the link to the inspection looked back on
        inspection.team = None
        inspection.save(update_fields=["team"])
    else:
        try:
            inspection.delete()
        except ProtectedError:  # on-site work (surveys, petitions…) is recorded against it
            raise DomainError(
                _(
                    "The inspection of %(unit)s already has records of its work (surveys, "
                    "petitions…); its unit can no longer be unassigned."
                )
                % {"unit": inspection.unit}
            ) from None
    refresh_coverage(organization=team.organization, unit_ids=[inspection.unit_id])
    sync_team_grants(team=team)


def sync_team_grants(*, team: Team) -> None:
    """Re-derive the grants of everyone working ``team``'s inspections (its units changed):
    its members and the replacements of its recused members."""
    seats = team_member_list(team=team).select_related("inspector__user")
    users = [seat.inspector.user for seat in seats if seat.inspector.user is not None]
    replacing = approved_recusal_list(team.organization).filter(member__team=team)
    users += _replacing_users(replacing.select_related("replacement__user"))
    sync_grants_of(users=users, organization=team.organization)


@transaction.atomic
@while_round_open
def declare_recusal(
    *,
    member: TeamMember,
    actor: User,
    unit: Unit,
    reason: str,
    declared_on: datetime.date,
) -> Recusal:
    """Record a member's recusal declaration (回避申请) for one unit."""
    if unit.organization_id != member.organization_id:
        raise DomainError(_("The unit must belong to this organization."))
    return Recusal.objects.create(
        organization=member.organization,
        member=member,
        unit=unit,
        reason=reason,
        declared_on=declared_on,
    )


@transaction.atomic
@while_round_open
def decide_recusal(
    *, recusal: Recusal, actor: User, approve: bool, replacement: Inspector | None = None
) -> Recusal:
    """Approve or reject a pending declaration.

    An approval takes effect on the inspection of the declared unit: the member leaves its
    work (their grants on it go, the team's other inspections stay theirs), and
    ``replacement`` works it in their role — or nobody does, and the inspection's gates say
    what it then lacks (``rounds.staffing``). The conflict rule applies either way: an
    approval does not let anyone inspect a conflicted unit."""
    _lock_round(recusal.member.team)
    recusal = (
        recusal_all(org=recusal.organization).select_for_update(of=("self",)).get(pk=recusal.pk)
    )
    if recusal.decision != Recusal.Decision.PENDING:
        raise DomainError(_("This declaration has already been decided."))
    if replacement is not None:
        if not approve:
            raise DomainError(_("Only an approval names a replacement."), field="replacement")
        _check_replacement(recusal=recusal, inspector=replacement)
    recusal.decision = Recusal.Decision.APPROVED if approve else Recusal.Decision.REJECTED
    recusal.decided_by = actor
    recusal.replacement = replacement
    recusal.save(update_fields=["decision", "decided_by", "replacement"])
    users = [recusal.member.inspector.user, replacement.user if replacement else None]
    sync_grants_of(users=[u for u in users if u is not None], organization=recusal.organization)
    return recusal


def _check_replacement(*, recusal: Recusal, inspector: Inspector) -> None:
    """Someone free in the round, without a conflict with the unit, fit for the recused
    member's role, on an inspection the team has."""
    member, team = recusal.member, recusal.member.team
    if inspector.organization_id != team.organization_id:
        raise DomainError(_("The inspector must belong to this organization."))
    if not inspector.is_active:
        raise DomainError(_("%(person)s is no longer active in the pool.") % {"person": inspector})
    inspected = Inspection.objects.for_org(team.organization).filter(team=team, unit=recusal.unit)
    if not inspected.exists():
        raise DomainError(
            _("%(team)s does not inspect %(unit)s: there is nobody to replace there.")
            % {"team": team.name, "unit": recusal.unit.name},
            field="replacement",
        )
    _check_free_in_round(team=team, inspector=inspector)
    if member.role == TeamMember.Role.LEADER and not inspector.leader_eligible:
        raise DomainError(
            _("%(person)s is not eligible as a team leader.") % {"person": inspector},
            field="replacement",
        )
    _refuse_conflicts(_loaded_inspectors(team.organization, [inspector.pk]), [recusal.unit])
