"""State changes for accounts: one keyword-only function per business action."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from accounts import unit_hooks
from accounts.errors import DomainError
from accounts.grants import sync_grants
from accounts.models import Membership, MembershipRole, Organization, Unit, UnitGrant, User
from accounts.phones import check_phone
from accounts.roles import Role
from accounts.selectors import membership_identity_is_shared, unit_subtree
from accounts.tasks import send_welcome_email
from history.changes import save_changes


def create_organization(
    *, name: str, code: str, parent: Organization | None = None
) -> Organization:
    return Organization.objects.create(name=name, code=code, parent=parent)


def _set_roles(*, membership: Membership, roles: Iterable[str]) -> None:
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise DomainError(_("Unknown role: %(role)s") % {"role": ", ".join(sorted(unknown))})
    current = set(
        MembershipRole.objects.for_org(membership.organization)
        .filter(membership=membership)
        .values_list("role", flat=True)
    )
    MembershipRole.objects.for_org(membership.organization).filter(
        membership=membership, role__in=current - wanted
    ).delete()
    MembershipRole.objects.bulk_create(
        MembershipRole(organization=membership.organization, membership=membership, role=role)
        for role in sorted(wanted - current)
    )
    membership.__dict__.pop("roles", None)
    membership.__dict__.pop("permissions", None)


@transaction.atomic
def create_member(
    *,
    org: Organization,
    actor: User | None,
    username: str,
    password: str,
    roles: Iterable[str],
    full_name: str = "",
    email: str = "",
    phone: str = "",
    title: str = "",
    notify: bool = True,
) -> Membership:
    """Create a user account and make it a member of ``org`` with ``roles``.

    With ``notify``, the new member gets a welcome e-mail (never containing the password)."""
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("The username %(username)s is already taken.") % {"username": username},
            field="username",
        )
    phone = check_phone(phone)
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    user.set_password(password)
    user.save()
    membership = add_member(org=org, actor=actor, user=user, roles=roles, title=title)
    if email and notify:
        send_welcome_email.delay_on_commit(org.pk, membership.pk)
    return membership


@transaction.atomic
def add_member(
    *, org: Organization, actor: User | None, user: User, roles: Iterable[str], title: str = ""
) -> Membership:
    """Make an existing account a member of another organization (two-level offices)."""
    if Membership.objects.for_org(org).filter(user=user).exists():
        raise DomainError(_("%(user)s is already a member.") % {"user": user})
    membership = Membership.objects.create(organization=org, user=user, title=title)
    _set_roles(membership=membership, roles=roles)
    sync_grants(user=user, organization=org)  # e.g. an inspector already seated on a team
    return membership


def _admin_count(org: Organization) -> int:
    return (
        MembershipRole.objects.for_org(org)
        .filter(role=Role.ORG_ADMIN, membership__is_active=True, membership__user__is_active=True)
        .count()
    )


@transaction.atomic
def update_member(
    *,
    membership: Membership,
    actor: User,
    roles: Iterable[str],
    is_active: bool,
    full_name: str,
    email: str,
    title: str,
    units: Iterable[Unit] | None = None,
    phone: str | None = None,
) -> Membership:
    """Save a member's profile, roles and (when given) the units granted to them and their
    phone number (``None``: unchanged)."""
    org = membership.organization
    membership = Membership.objects.for_org(org).select_for_update().get(pk=membership.pk)
    roles = set(roles)
    was_admin = membership.has_role(Role.ORG_ADMIN) and membership.is_active
    stays_admin = Role.ORG_ADMIN in roles and is_active
    if was_admin and not stays_admin and _admin_count(org) <= 1:
        raise DomainError(_("An organization must keep at least one active system administrator."))
    user = membership.user
    if phone is None:
        phone = user.phone
    elif phone != user.phone:  # a number stored before the rule may stay as it is
        phone = check_phone(phone)
    identity_changes = (user.full_name, user.email, user.phone) != (full_name, email, phone)
    if (
        identity_changes
        and not actor.is_superuser
        and membership_identity_is_shared(membership=membership)
    ):
        raise DomainError(
            _(
                "This person also belongs to other organizations; only they can change "
                "their name, e-mail and phone."
            )
        )
    _set_roles(membership=membership, roles=roles)
    save_changes(membership, {"is_active": is_active, "title": title})
    save_changes(user, {"full_name": full_name, "email": email, "phone": phone})
    if units is not None:
        _set_unit_grants(membership=membership, units=units)
    # Roles, activity and units are facts the object grants follow.
    sync_grants(user=membership.user, organization=org)
    return membership


def _set_unit_grants(*, membership: Membership, units: Iterable[Unit]) -> None:
    org = membership.organization
    wanted = {unit.pk: unit for unit in units}
    if any(unit.organization_id != org.pk for unit in wanted.values()):
        raise DomainError(_("Units must belong to this organization."))
    grants = UnitGrant.objects.for_org(org).filter(membership=membership)
    grants.exclude(unit_id__in=wanted).delete()
    current = set(grants.values_list("unit_id", flat=True))
    UnitGrant.objects.bulk_create(
        UnitGrant(organization=org, membership=membership, unit=wanted[pk])
        for pk in sorted(wanted.keys() - current)
    )


@transaction.atomic
def set_granted_units(*, membership: Membership, actor: User | None, units: Iterable[Unit]) -> None:
    """Give a member (typically a liaison) exactly ``units``; the object grants follow, for as
    long as the membership is active and its roles may see granted units."""
    _set_unit_grants(membership=membership, units=units)
    sync_grants(user=membership.user, organization=membership.organization)


@transaction.atomic
def set_two_factor_roles(*, org: Organization, actor: User, roles: Iterable[str]) -> Organization:
    org.two_factor_roles = sorted(set(roles) & set(Role.values))
    org.save(update_fields=["two_factor_roles"])
    return org


def _path_for(unit: Unit, parent: Unit | None) -> str:
    return f"{parent.path if parent else ''}{unit.pk:08d}/"


def _check_parent(*, org: Organization, parent: Unit | None) -> None:
    if parent is None:
        return
    if parent.organization_id != org.pk:
        raise DomainError(_("The parent unit must belong to this organization."))
    if not parent.is_active:
        raise DomainError(_("The parent unit %(name)s is deactivated.") % {"name": parent.name})


def _check_code(*, org: Organization, code: str, exclude_pk: int | None = None) -> None:
    clash = Unit.objects.for_org(org).filter(code=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(_("Another unit already uses the code %(code)s.") % {"code": code})


@transaction.atomic
def create_unit(
    *,
    org: Organization,
    actor: User | None,
    name: str,
    code: str,
    kind: str = Unit.Kind.OTHER,
    parent: Unit | None = None,
) -> Unit:
    _check_parent(org=org, parent=parent)
    _check_code(org=org, code=code)
    unit = Unit(
        pk=_next_unit_id(),
        organization=org,
        parent=parent,
        name=name,
        code=code,
        kind=kind,
        depth=parent.depth + 1 if parent else 0,
    )
    unit.path = _path_for(unit, parent)
    unit.save(force_insert=True)
    return unit


def _next_unit_id() -> int:
    """The id reserved before the insert: the path holds the unit's own id, and the row is
    inserted whole, so its history starts with the complete row (no insert-then-fix-up)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Unit._meta.db_table])
        return cursor.fetchone()[0]


@transaction.atomic
def update_unit(*, unit: Unit, actor: User, name: str, code: str, kind: str) -> Unit:
    _check_code(org=unit.organization, code=code, exclude_pk=unit.pk)
    save_changes(unit, {"name": name, "code": code, "kind": kind})
    return unit


@transaction.atomic
def move_unit(*, unit: Unit, actor: User, new_parent: Unit | None) -> Unit:
    """Re-hang a unit (with its whole subtree) under ``new_parent``, or at the root."""
    org = unit.organization
    unit = Unit.objects.for_org(org).select_for_update().get(pk=unit.pk)
    if (new_parent.pk if new_parent else None) == unit.parent_id:
        return unit
    _check_parent(org=org, parent=new_parent)
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise DomainError(_("A unit cannot be moved under itself or one of its sub-units."))
    old_path, new_path = unit.path, _path_for(unit, new_parent)
    delta = (new_parent.depth + 1 if new_parent else 0) - unit.depth
    # The units below follow in one statement; the unit itself is saved once, so its history
    # holds one event with its new parent and position.
    unit_subtree(unit=unit).exclude(pk=unit.pk).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    unit.parent, unit.path, unit.depth = new_parent, new_path, unit.depth + delta
    unit.save(update_fields=["parent", "path", "depth"])
    return unit


def check_deactivation(*, unit: Unit) -> None:
    """Refuse deactivating ``unit`` and its sub-units while another app objects (an
    inspection under way in one of them: ``accounts.unit_hooks``)."""
    refusals = unit_hooks.deactivation_refusals(unit_subtree(unit=unit).filter(is_active=True))
    if refusals:
        raise DomainError(" ".join(refusals))


@transaction.atomic
def deactivate_unit(*, unit: Unit, actor: User) -> int:
    """Deactivate a unit and every unit under it (merged or abolished units)."""
    Unit.objects.for_org(unit.organization).select_for_update().filter(pk=unit.pk).first()
    check_deactivation(unit=unit)
    return unit_subtree(unit=unit).filter(is_active=True).update(is_active=False)


@transaction.atomic
def reactivate_unit(*, unit: Unit, actor: User, with_subunits: bool = False) -> int:
    """Reactivate ``unit`` (and, with ``with_subunits``, its deactivated sub-units: the subtree
    a deactivation took away). Returns the number of units reactivated."""
    if unit.parent is not None and not unit.parent.is_active:
        raise DomainError(
            _("Reactivate the parent unit %(name)s first.") % {"name": unit.parent.name}
        )
    units = unit_subtree(unit=unit)
    if not with_subunits:
        units = units.filter(pk=unit.pk)
    return units.filter(is_active=False).update(is_active=True)
