"""The demo's document requests: the liaison's portal and the team's list look real."""

from __future__ import annotations

from django.urls import reverse

from accounts.demo import seed_accounts
from accounts.models import Organization, User
from documents.demo import seed_documents
from documents.models import DeliveryFile, DocumentRequest
from rounds.demo import seed_rounds
from xuncha.tenancy import org_scope


def _seed() -> Organization:
    seed_accounts()
    seed_rounds()
    seed_documents()
    return Organization.objects.get(code="sctelecom")


def test_the_demo_has_requests_in_every_state_and_is_idempotent(db):
    org = _seed()
    seed_documents()

    with org_scope(org):
        requests = DocumentRequest.objects.for_org(org)
        statuses = sorted(requests.values_list("status", flat=True))
        overdue = requests.filter(DocumentRequest.overdue_q()).count()
        files = DeliveryFile.objects.for_org(org).select_related("file")
        kinds = {row.file.kind for row in files}
        delivered_by = set(
            requests.exclude(delivered_by=None).values_list("delivered_by__username", flat=True)
        )
    assert statuses == ["delivered", "delivered", "requested", "requested", "returned"]
    assert overdue == 1
    assert (files.count(), kinds, delivered_by) == (4, {"pdf"}, {"sc_liaison"})


def test_the_liaison_answers_in_the_demo(db, login):
    _seed()
    client = login(User.objects.get(username="sc_liaison"))

    page = client.get(reverse("documents:liaison_home")).content.decode()

    assert "成都分公司" in page
    assert "选人用人档案" not in page  # delivered: not waiting
    assert "工程项目及招投标资料" in page
