"""Pages that list a round's or a plan's rows show one page of them, the rest on the next."""

from __future__ import annotations

from django.urls import reverse

from rounds.models import CoverageTarget
from rounds.views.coverage import PlanDetailView
from rounds.views.teams import ROUND_INSPECTIONS_PER_PAGE
from tests.factories import CoveragePlanFactory, InspectionFactory, RoundFactory, UnitFactory


def _rows(html: str, table_id: str) -> int:
    table = html[html.index(f'id="{table_id}"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return body.count("<tr>")


def test_round_page_lists_one_page_of_inspections(login, office_user, org):
    rnd = RoundFactory(organization=org)
    for unit in UnitFactory.create_batch(ROUND_INSPECTIONS_PER_PAGE + 3, organization=org):
        InspectionFactory(organization=org, round=rnd, unit=unit)
    client, url = login(office_user), reverse("rounds:round_detail", args=[rnd.pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert (_rows(first, "inspections"), _rows(second, "inspections")) == (
        ROUND_INSPECTIONS_PER_PAGE,
        3,
    )


def test_plan_page_lists_one_page_of_targets(login, office_user, org):
    plan = CoveragePlanFactory(organization=org)
    units = UnitFactory.create_batch(PlanDetailView.paginate_by + 2, organization=org)
    CoverageTarget.objects.bulk_create(
        CoverageTarget(organization=org, plan=plan, unit=unit) for unit in units
    )
    client, url = login(office_user), reverse("rounds:plan_detail", args=[plan.pk])

    second = client.get(url, {"page": 2}).content.decode()

    assert _rows(second, "targets") == 2
