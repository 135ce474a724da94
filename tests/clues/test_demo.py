"""The demo petitions: seeded once on the running round's inspection of 成都分公司."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.demo import seed_accounts
from accounts.models import Organization
from clues.demo import seed_petitions
from clues.models import Channel, Petition, PetitionAttachment
from rounds.demo import seed_rounds
from xuncha.tenancy import org_scope


@pytest.mark.django_db
def test_the_demo_petitions_are_seeded_once():
    seed_accounts()
    seed_rounds()
    seed_petitions()
    seed_petitions()

    org = Organization.objects.get(code="sctelecom")
    with org_scope(org):
        petitions = Petition.objects.for_org(org)
        assert sorted(petitions.values_list("channel", flat=True)) == sorted(
            [Channel.ONLINE, Channel.PHONE, Channel.LETTER, Channel.MAILBOX]
        )
        phone = petitions.get(channel=Channel.PHONE)
        assert phone.received_by.username == "sc_team_member"
        assert PetitionAttachment.objects.for_org(org).get().file.kind == "png"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM clues_petition WHERE identity LIKE '%%王建国%%'")
        assert cursor.fetchone() == (0,)
