"""The second factor (authenticator app, django-otp's TOTP devices): checking a code, and an
organization admin's reset of a member's.

django-otp throttles a device after each wrong code: no code, not even the right one, is
accepted for ``OTP_TOTP_THROTTLE_FACTOR`` × 1, 2, 4 … seconds. Here a single wrong code (a
typo) costs no wait, so the right code typed straight after it is accepted; from the second
wrong code in a row the back-off applies, and the two-factor page says how long to wait.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.errors import DomainError
from accounts.models import Membership, User
from accounts.selectors import membership_identity_is_shared


def code_wait_seconds(device: TOTPDevice) -> int:
    """Seconds before ``device`` accepts a code again after wrong ones (0: it accepts now)."""
    allowed, extra = device.verify_is_allowed()
    if allowed:
        return 0
    until = (extra or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def verify_code(*, device: TOTPDevice, token: str) -> bool:
    """Check ``token`` against ``device`` (django-otp's check, its throttle and drift)."""
    if device.verify_token(token):
        return True
    if device.throttling_failure_count == 1:
        # The first wrong code in a row: dated back by the first back-off step, so the next
        # try is checked at once; the back-off starts with the second wrong code.
        device.throttling_failure_timestamp = timezone.now() - timedelta(
            seconds=device.get_throttle_factor()
        )
        device.save(update_fields=["throttling_failure_timestamp"])
    return False


def second_factor_exists(*, user: User) -> bool:
    """Whether ``user`` has an authenticator app set up (a confirmed device)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def check_second_factor_reset(*, membership: Membership) -> None:
    """Refuse a reset that ``reset_second_factor`` would refuse (asked before confirming)."""
    if membership_identity_is_shared(membership=membership):
        # The same app guards the person's other organizations: not this one's to remove.
        raise DomainError(
            _(
                "This person also belongs to other organizations; only they can change "
                "their authenticator app."
            )
        )
    if not TOTPDevice.objects.filter(user=membership.user).exists():
        raise DomainError(
            _("%(name)s has no authenticator app set up.") % {"name": membership.user}
        )


def reset_second_factor(*, membership: Membership, actor: User) -> Membership:
    """Remove the member's authenticator app (every TOTP device of theirs): where a second
    factor is required they set one up again at their next page, a session verified with the
    removed app included. The reset is dated on the membership, so its 修改记录 shows it and
    who did it."""
    org = membership.organization
    membership = (
        Membership.objects.for_org(org)
        .select_for_update()
        .select_related("user")
        .get(pk=membership.pk)
    )
    check_second_factor_reset(membership=membership)
    TOTPDevice.objects.filter(user=membership.user).delete()
    membership.second_factor_reset_at = timezone.now()
    membership.save(update_fields=["second_factor_reset_at"])
    return membership
