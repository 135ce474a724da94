"""The liaison's work-queue section (registered by the lead engineer with the home page's
tests): the requests waiting for their answer, soonest due first, linking to each."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from documents.models import DocumentRequest
from documents.work_queue import waiting_entries, waiting_rows
from tests.documents.conftest import deliver
from tests.factories_documents import DocumentRequestFactory


def test_the_section_lists_what_waits_for_the_liaison(org, inspection, liaison, doc_request):
    today = timezone.localdate()
    late = DocumentRequestFactory(
        inspection=inspection,
        title="公务用车台账",
        requested_on=today - datetime.timedelta(days=9),
        due_on=today - datetime.timedelta(days=1),
    )
    deliver(DocumentRequestFactory(inspection=inspection), liaison)
    membership = Membership.objects.for_org(org).get(user=liaison)

    entries = waiting_entries(membership, list(waiting_rows(membership)))

    assert [(e.title, e.tone) for e in entries] == [
        ("公务用车台账", "danger"),
        ("党委会会议纪要", "warning"),
    ]
    assert entries[0].url == reverse("documents:liaison_request", args=[late.pk])
    assert DocumentRequest.objects.for_org(org).count() == 3


def test_the_section_is_not_for_others(org, team_leader, other_liaison, doc_request):
    team = Membership.objects.for_org(org).get(user=team_leader)
    other = Membership.objects.for_org(org).get(user=other_liaison)

    assert waiting_rows(team) is None
    assert list(waiting_rows(other)) == []
