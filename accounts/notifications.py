"""E-mails about accounts. No passwords and no confidential data ever go into a message."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import Membership, Organization
from xuncha.tenancy import org_scope


def send_welcome_email(*, organization_id: int, membership_id: int) -> bool:
    org = Organization.objects.filter(pk=organization_id).first()
    if org is None:
        return False
    with org_scope(org):  # a worker has no request scope
        membership = (
            Membership.objects.for_org(org)
            .select_related("user")
            .filter(pk=membership_id, is_active=True)
            .first()
        )
    if membership is None or not membership.user.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {"membership": membership, "user": membership.user, "org": org}
        subject = render_to_string("accounts/email/welcome_subject.txt", context).strip()
        body = render_to_string("accounts/email/welcome.txt", context)
    send_mail(subject, body, None, [membership.user.email])
    return True
