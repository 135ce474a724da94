"""`make demo` prints a credential table; every printed credential must sign in."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, Unit, User
from history.selectors import history_for
from rounds.models import CoveragePlan, Inspection, Inspector
from rounds.selectors.coverage import plan_figures
from xuncha.tenancy import dangerously_unscoped, org_scope


@pytest.fixture
def printed_credentials(db) -> list[tuple[str, str]]:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    rows = [line.split() for line in out.getvalue().splitlines()[1:-1] if line.strip()]
    return [(row[-2], row[-1]) for row in rows]


def test_seed_ends_with_the_address_it_was_given(db):
    out = StringIO()

    call_command("seed_demo", url="http://127.0.0.1:8123/", stdout=out)

    last = out.getvalue().splitlines()[-1]
    assert last == (
        "Xuncha demo: http://127.0.0.1:8123/ — sign in as sc_office (巡察办) or any account "
        "above, password Xuncha-demo-2026"
    )


def test_seed_prints_one_user_per_role_and_organization(printed_credentials):
    assert len(printed_credentials) == 3 * 8 + 2  # and the second team's leader, the multi-org user


def test_every_printed_credential_signs_in(printed_credentials):
    for username, password in printed_credentials:
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        )
        assert response.status_code == 302, username
        assert client.get(reverse("home")).status_code == 200, username


def test_seed_builds_the_seed_organizations_with_their_trees(printed_credentials):
    sichuan = Organization.objects.get(name="中国电信四川公司党委")
    xixiu = Organization.objects.get(name="西秀区委")
    assert xixiu.parent.name == "安顺市委"
    with org_scope(sichuan):
        outlet = Unit.objects.for_org(sichuan).get(name="春熙路分局")
    assert (outlet.parent.name, outlet.parent.parent.name) == ("锦江区分公司", "成都分公司")


def test_seed_twice_changes_nothing(printed_credentials):
    with dangerously_unscoped():  # every organization's rows
        before = Unit.objects.count()
    call_command("seed_demo", stdout=StringIO())
    with dangerously_unscoped():
        assert Unit.objects.count() == before


def _history_panel(client, name: str, obj) -> str:
    response = client.get(reverse(name, args=[obj.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="history"') :]


def test_demo_pages_show_edits_by_named_people(printed_credentials, login):
    sichuan = Organization.objects.get(code="sctelecom")
    office = User.objects.get(username="sc_office")
    with org_scope(sichuan):
        unit = Unit.objects.for_org(sichuan).get(code="sc-cd-sl")
        inspector = Inspector.objects.for_org(sichuan).get(name="刘洋")
    client = login(office)

    unit_panel = _history_panel(client, "accounts:unit_detail", unit)
    inspector_panel = _history_panel(client, "rounds:inspector_detail", inspector)

    admin = User.objects.get(username="sc_org_admin")
    assert admin.full_name in unit_panel
    assert "名称：</span> 双流县分公司 → 双流区分公司" in unit_panel
    assert office.full_name in inspector_panel
    assert "成都分公司人力资源部副经理 → 成都分公司人力资源部经理" in inspector_panel


def test_the_demo_liaisons_unit_grant_names_the_admin_who_gave_it(printed_credentials, login):
    admin = User.objects.get(username="sc_org_admin")
    liaison = User.objects.get(username="sc_liaison")
    with org_scope(Organization.objects.get(code="sctelecom")):
        membership = liaison.memberships.get()

    panel = _history_panel(login(admin), "accounts:member_edit", membership)

    grant = next(row for row in panel.split("<tr>") if "单位授权" in row)
    assert f"<td>{admin.full_name}</td>" in grant
    assert "— → 成都分公司" in grant


def test_seed_twice_records_each_demo_edit_once(printed_credentials):
    sichuan = Organization.objects.get(code="sctelecom")
    call_command("seed_demo", stdout=StringIO())
    with org_scope(sichuan):
        unit = Unit.objects.for_org(sichuan).get(code="sc-cd-sl")
        entries = history_for(unit).entries
    assert [entry.action for entry in entries] == ["修改", "创建"]
    # What the command does outside the named person's edit stays the command's.
    assert entries[1].person == "系统（seed_demo）"


def test_seed_includes_running_and_closed_inspection_work(printed_credentials):
    sichuan = Organization.objects.get(code="sctelecom")
    with org_scope(sichuan):
        stages = dict(Inspection.objects.for_org(sichuan).values_list("unit__name", "stage"))
        plan = CoveragePlan.objects.for_org(sichuan).get()
        figures = plan_figures(org=sichuan, plan=plan, today=datetime.date(2026, 6, 1))
    assert stages == {
        "宜宾分公司": "closed",
        "翠屏区分公司": "acceptance",  # closed, then reopened by the leadership group
        "成都分公司": "onsite",
        "绵阳分公司": "preparation",  # its announcement drafted, not yet published
    }
    # 宜宾 and 成都 by inspection, 翠屏区分公司 by an extension visit: 3 of 12 targets.
    assert (figures.covered, figures.total) == (3, 12)


def test_the_demo_has_a_service_account_for_the_groups_oa(printed_credentials, login):
    admin = User.objects.get(username="sc_org_admin")

    page = login(admin).get(reverse("accounts:api_tokens")).content.decode()

    assert "集团OA系统" in page
    oa = User.objects.get(is_service_account=True)
    assert (oa.full_name, oa.has_usable_password()) == ("集团OA系统", False)
