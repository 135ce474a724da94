"""State changes of the inspector pool: one keyword-only function per business action."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.grants import sync_grants_of
from accounts.models import Membership, Organization, Unit, User
from accounts.phones import check_phone, is_phone, phone_error
from history.changes import save_changes
from rounds.imports import InspectorRow, already_in_pool
from rounds.models import Inspector, InspectorSpecialty, RelativeDeclaration, TrainingRecord
from rounds.selectors.pool import inspector_keys, inspector_same_person_list
from rounds.taxonomy import Specialty


def _check_units(
    *, org: Organization, units: Iterable[Unit | None], current: Unit | None = None
) -> None:
    """Units must be this organization's and active (read afresh: the caller's copy may be
    stale); ``current`` — an inspector's existing home unit — may stay although deactivated."""
    wanted = {unit.pk: unit for unit in units if unit is not None and unit != current}
    if any(unit.organization_id != org.pk for unit in wanted.values()):
        raise DomainError(_("The unit must belong to this organization."))
    active = set(
        Unit.objects.for_org(org).filter(pk__in=wanted, is_active=True).values_list("pk", flat=True)
    )
    inactive = sorted(wanted.keys() - active)
    if inactive:
        name = wanted[inactive[0]].name
        raise DomainError(_("The unit %(name)s is deactivated.") % {"name": name})


def _check_user(*, org: Organization, user: User | None, inspector: Inspector | None) -> None:
    if user is None:
        return
    if not Membership.objects.for_org(org).filter(user=user, is_active=True).exists():
        raise DomainError(_("The user account must be an active member of this organization."))
    others = Inspector.objects.for_org(org).filter(user=user)
    if inspector is not None:
        others = others.exclude(pk=inspector.pk)
    if others.exists():
        raise DomainError(
            _("%(user)s is already linked to another inspector of the pool.") % {"user": user}
        )


def _check_not_in_pool(
    *, org: Organization, name: str, home_unit: Unit | None, inspector: Inspector | None
) -> None:
    """The pool's rule for one person, as the XLSX import applies it: the same name in the same
    home unit (or both without one) is someone already in the pool."""
    same = inspector_same_person_list(org=org, name=name, home_unit=home_unit)
    if inspector is not None:
        same = same.exclude(pk=inspector.pk)
    if same.exists():
        raise DomainError(already_in_pool(), field="name")


def _set_specialties(*, inspector: Inspector, specialties: Iterable[str]) -> None:
    wanted = set(specialties)
    unknown = wanted - set(Specialty.values)
    if unknown:
        raise DomainError(_("Unknown specialty: %(s)s") % {"s": ", ".join(sorted(unknown))})
    rows = InspectorSpecialty.objects.for_org(inspector.organization).filter(inspector=inspector)
    current = set(rows.values_list("specialty", flat=True))
    rows.filter(specialty__in=current - wanted).delete()
    InspectorSpecialty.objects.bulk_create(
        InspectorSpecialty(
            organization=inspector.organization, inspector=inspector, specialty=specialty
        )
        for specialty in sorted(wanted - current)
    )


@transaction.atomic
def create_inspector(
    *,
    org: Organization,
    actor: User | None,
    name: str,
    position: str = "",
    user: User | None = None,
    home_unit: Unit | None = None,
    is_external: bool = False,
    leader_eligible: bool = False,
    phone: str = "",
    notes: str = "",
    is_active: bool = True,
    specialties: Iterable[str] = (),
) -> Inspector:
    _check_units(org=org, units=[home_unit])
    _check_user(org=org, user=user, inspector=None)
    _check_not_in_pool(org=org, name=name, home_unit=home_unit, inspector=None)
    phone = check_phone(phone)
    inspector = Inspector.objects.create(
        organization=org,
        name=name,
        position=position,
        user=user,
        home_unit=home_unit,
        is_external=is_external,
        leader_eligible=leader_eligible,
        phone=phone,
        notes=notes,
        is_active=is_active,
    )
    _set_specialties(inspector=inspector, specialties=specialties)
    return inspector


@transaction.atomic
def update_inspector(
    *,
    inspector: Inspector,
    actor: User,
    name: str,
    position: str,
    user: User | None,
    home_unit: Unit | None,
    is_external: bool,
    leader_eligible: bool,
    phone: str,
    notes: str,
    is_active: bool,
    specialties: Iterable[str],
) -> Inspector:
    org = inspector.organization
    inspector = Inspector.objects.for_org(org).select_for_update().get(pk=inspector.pk)
    # A unit deactivated since may stay someone's home unit; it cannot be newly chosen.
    _check_units(org=org, units=[home_unit], current=inspector.home_unit)
    _check_user(org=org, user=user, inspector=inspector)
    if (name, home_unit) != (inspector.name, inspector.home_unit):
        _check_not_in_pool(org=org, name=name, home_unit=home_unit, inspector=inspector)
    if phone != inspector.phone:  # a number stored before the rule may stay as it is
        phone = check_phone(phone)
    previous_user = inspector.user
    user_changed = inspector.user_id != (user.pk if user else None)
    changes = {
        "name": name,
        "position": position,
        "user": user,
        "home_unit": home_unit,
        "is_external": is_external,
        "leader_eligible": leader_eligible,
        "phone": phone,
        "notes": notes,
        "is_active": is_active,
    }
    save_changes(inspector, changes)
    _set_specialties(inspector=inspector, specialties=specialties)
    if user_changed:
        # The account behind a team member changed: the grants follow the seat.
        changed = [account for account in (previous_user, user) if account is not None]
        sync_grants_of(users=changed, organization=org)
    return inspector


@transaction.atomic
def declare_relative(
    *,
    inspector: Inspector,
    actor: User,
    unit: Unit,
    relative_name: str,
    relation: str,
    declared_on: datetime.date,
) -> RelativeDeclaration:
    """Record a close relative working in ``unit``: grounds for recusal from inspecting it."""
    if unit.organization_id != inspector.organization_id:
        raise DomainError(_("The unit must belong to this organization."))
    return RelativeDeclaration.objects.create(
        organization=inspector.organization,
        inspector=inspector,
        unit=unit,
        relative_name=relative_name,
        relation=relation,
        declared_on=declared_on,
    )


@transaction.atomic
def remove_relative(*, declaration: RelativeDeclaration, actor: User) -> None:
    declaration.delete()


@transaction.atomic
def add_training(
    *,
    inspector: Inspector,
    actor: User,
    title: str,
    completed_on: datetime.date,
    hours: Decimal,
) -> TrainingRecord:
    if hours < 0:
        raise DomainError(_("Training hours cannot be negative."))
    return TrainingRecord.objects.create(
        organization=inspector.organization,
        inspector=inspector,
        title=title,
        completed_on=completed_on,
        hours=hours,
    )


@transaction.atomic
def remove_training(*, training: TrainingRecord, actor: User) -> None:
    training.delete()


@transaction.atomic
def import_inspectors(
    *, org: Organization, actor: User, rows: Sequence[InspectorRow]
) -> list[Inspector]:
    """Create every parsed row of a pool workbook, or nothing (rounds.imports checked them)."""
    _check_units(org=org, units=[row.home_unit for row in rows])
    in_pool = inspector_keys(org=org)
    for row in rows:
        if set(row.specialties) - set(Specialty.values):
            raise DomainError(_("Row %(row)d: unknown specialty.") % {"row": row.row})
        error = None
        if row.phone and not is_phone(row.phone):
            error = phone_error()
        elif (row.name, row.home_unit.pk if row.home_unit else None) in in_pool:
            error = already_in_pool()
        if error is not None:
            raise DomainError(_("Row %(row)d: %(error)s") % {"row": row.row, "error": error})
    inspectors = Inspector.objects.bulk_create(
        Inspector(
            organization=org,
            name=row.name,
            position=row.position,
            home_unit=row.home_unit,
            is_external=row.is_external,
            leader_eligible=row.leader_eligible,
            phone=row.phone,
        )
        for row in rows
    )
    InspectorSpecialty.objects.bulk_create(
        InspectorSpecialty(organization=org, inspector=inspector, specialty=specialty)
        for inspector, row in zip(inspectors, rows, strict=True)
        for specialty in row.specialties
    )
    return inspectors
