"""API tokens: keys for machines, each belonging to one membership (a user in one organization).

A key reads ``xc_<prefix>_<secret>``; only its SHA-256 digest is stored (the key has 256 random
bits, so a slow password hash adds nothing but a cost on every call). ``resolve_api_token`` is
what the tenancy middleware asks for a request carrying ``Authorization: Bearer <key>``; the
call then runs as the token's membership, with its roles and grants, exactly as a page would.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import ApiToken, Membership, Organization, User
from accounts.roles import MANAGE_MEMBERS
from accounts.services import add_member
from xuncha.tenancy import dangerously_unscoped

KEY_PREFIX = "xc_"
# A token's last use is written at most this often: a busy integration does not turn every call
# into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
MAX_NAME_LENGTH = 100


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def can_manage_tokens_of(*, actor_membership: Membership, membership: Membership) -> bool:
    """A member manages their own tokens; an org admin those of the organization's service
    accounts."""
    if membership.organization_id != actor_membership.organization_id:
        return False
    if membership.pk == actor_membership.pk:
        return True
    return membership.user.is_service_account and actor_membership.has_perm(MANAGE_MEMBERS)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(_("A token name is at most 100 characters."), field="name")
    return name


def _check_expiry(expires_at: datetime.datetime | None) -> None:
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("The expiry must lie in the future."), field="expires_at")


@transaction.atomic
def create_api_token(
    *,
    membership: Membership,
    actor: User,
    actor_membership: Membership,
    name: str,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for ``membership``; returns it with its key, which is never shown again."""
    if not can_manage_tokens_of(actor_membership=actor_membership, membership=membership):
        raise DomainError(_("You may make tokens only for yourself or for a service account."))
    if not membership.is_active:
        raise DomainError(_("This membership is not active."))
    name = _check_name(name)
    _check_expiry(expires_at)
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organization_id=membership.organization_id,
        membership=membership,
        name=name,
        prefix=prefix,
        digest=_digest(key),
        created_by=actor,
        expires_at=expires_at,
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor: User, actor_membership: Membership) -> ApiToken:
    if not can_manage_tokens_of(actor_membership=actor_membership, membership=token.membership):
        raise DomainError(_("You may revoke only your own tokens or a service account's."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def create_service_account(
    *, org: Organization, actor: User, name: str, roles: list[str]
) -> Membership:
    """A user for a machine: no password (it never signs in to the pages), roles like a
    member's; its tokens are made by an org admin."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the service account a name."), field="name")
    base = f"svc-{org.code}-{slugify(name) or 'system'}"[:140]
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    username, counter = base, 1
    while username in taken:
        counter += 1
        username = f"{base}-{counter}"
    user = User(username=username, full_name=name, is_service_account=True)
    user.set_unusable_password()
    user.save()
    return add_member(org=org, actor=actor, user=user, roles=roles)


@dataclass(frozen=True)
class Resolved:
    """What a presented key came to: a usable token, or the reason it was refused."""

    token: ApiToken | None
    refusal: str | None = None


def resolve_api_token(key: str) -> Resolved:
    """Look a presented key up across organizations (the key names its organization)."""
    refused = Resolved(None, _("The API token is not valid, has expired or was revoked."))
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return refused
    with dangerously_unscoped():
        token = (
            ApiToken.objects.select_related("membership__organization", "membership__user")
            .filter(digest=_digest(key))
            .first()
        )
    now = timezone.now()
    if token is None or not token.is_usable(now):
        return refused
    membership = token.membership
    if not (
        membership.is_active and membership.organization.is_active and membership.user.is_active
    ):
        return refused
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        with dangerously_unscoped():
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return Resolved(token)
