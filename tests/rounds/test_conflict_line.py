"""The conflict rule covers the whole line: a 绵阳分公司 cadre may not inspect 江油市分公司 under
it, nor a 江油 cadre 绵阳分公司 above it, and the same for a declared relative's unit. Every way
of putting a person on a unit refuses both directions (the team services, their forms, the
accepted suggestion) and the team suggestion never proposes such a person."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.errors import DomainError
from accounts.models import Unit
from rounds.models import Inspection, Inspector, InspectorSpecialty, Team, TeamMember
from rounds.services import teams as services
from rounds.services.conflicts import conflict_reasons, line_paths
from rounds.services.suggestion import suggest_team
from tests.factories import (
    InspectorFactory,
    RelativeDeclarationFactory,
    RoundFactory,
    TeamFactory,
    UnitFactory,
)

# (the person's unit, the inspected unit): a cadre of the unit above, of the unit below.
DIRECTIONS = {"above": ("mianyang", "jiangyou"), "below": ("jiangyou", "mianyang")}


@pytest.fixture
def units(unit_tree) -> dict[str, Unit]:
    """The shared tree plus 江油市分公司 under 绵阳分公司 and 高新区分公司 beside 锦江."""
    jiangyou = UnitFactory(
        parent=unit_tree["mianyang"], name="江油市分公司", code="my-jy", kind="county_branch"
    )
    gaoxin = UnitFactory(
        parent=unit_tree["chengdu"], name="高新区分公司", code="cd-gx", kind="county_branch"
    )
    return unit_tree | {"jiangyou": jiangyou, "gaoxin": gaoxin}


@pytest.fixture
def team(org) -> Team:
    return TeamFactory(round=RoundFactory(organization=org, focus_areas=[]), name="第一巡察组")


def _person(org, units, how: str, where: str, name: str = "王五", **fields) -> Inspector:
    """Someone tied to ``units[where]``: at home there, or with a relative working there."""
    home = units[where] if how == "home" else None
    inspector = InspectorFactory(organization=org, name=name, home_unit=home, **fields)
    if how == "relative":
        RelativeDeclarationFactory(inspector=inspector, unit=units[where], relative_name="张三")
    return inspector


# -- the rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("home", "inspected", "expected"),
    [
        ("jiangyou", "jiangyou", "王五不得巡察江油市分公司：该单位是其所在单位。"),
        ("jiangyou", "mianyang", "王五不得巡察绵阳分公司：其所在单位江油市分公司隶属于该单位。"),
        ("mianyang", "jiangyou", "王五不得巡察江油市分公司：该单位隶属于其所在单位绵阳分公司。"),
    ],
)
def test_each_direction_of_the_home_line_has_its_own_reason(org, units, home, inspected, expected):
    inspector = _person(org, units, "home", home)

    assert conflict_reasons(inspector=inspector, unit=units[inspected]) == [expected]


def test_the_line_is_the_units_above_and_each_units_subtree(units):
    outlet, jinjiang, mianyang = (
        units["outlet"].path,
        units["jinjiang"].path,
        units["mianyang"].path,
    )

    above, roots = line_paths([outlet, mianyang, outlet])

    assert above == sorted([units["chengdu"].path, jinjiang])
    assert roots == [outlet, mianyang]


# -- the services --------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["home", "relative"])
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_adding_someone_on_an_assigned_units_line_is_refused(
    org, units, team, office_user, how, direction
):
    theirs, inspected = DIRECTIONS[direction]
    services.assign_unit(team=team, actor=office_user, unit=units[inspected])
    inspector = _person(org, units, how, theirs)

    with pytest.raises(DomainError, match="王五不得巡察" + units[inspected].name):
        services.add_member(team=team, actor=office_user, inspector=inspector, role="member")

    assert not TeamMember.objects.exists()


@pytest.mark.parametrize("how", ["home", "relative"])
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_assigning_a_unit_on_a_members_line_is_refused(
    org, units, team, office_user, how, direction
):
    theirs, inspected = DIRECTIONS[direction]
    inspector = _person(org, units, how, theirs)
    services.add_member(team=team, actor=office_user, inspector=inspector, role="member")

    with pytest.raises(DomainError, match=units[theirs].name):
        services.assign_unit(team=team, actor=office_user, unit=units[inspected])

    assert not Inspection.objects.exists()


@pytest.mark.parametrize("how", ["home", "relative"])
def test_a_unit_off_the_line_is_assigned(org, units, team, office_user, how):
    """Same person, a unit of another branch: neither above nor below."""
    inspector = _person(org, units, how, "mianyang")
    services.add_member(team=team, actor=office_user, inspector=inspector, role="member")

    services.assign_unit(team=team, actor=office_user, unit=units["jinjiang"])

    assert Inspection.objects.get().unit == units["jinjiang"]


# -- the forms -----------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["home", "relative"])
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_member_form_shows_the_refusal_and_saves_nothing(
    login, org, units, team, office_user, how, direction
):
    theirs, inspected = DIRECTIONS[direction]
    services.assign_unit(team=team, actor=office_user, unit=units[inspected])
    inspector = _person(org, units, how, theirs)

    response = login(office_user).post(
        reverse("rounds:team_member_add", args=[team.pk]),
        {"inspector": inspector.pk, "role": "member"},
    )

    assert response.status_code == 200
    error = response.context["form"].non_field_errors()[0]
    assert error.startswith("王五不得巡察" + units[inspected].name)
    assert error in response.content.decode()
    assert not TeamMember.objects.exists()


@pytest.mark.parametrize("how", ["home", "relative"])
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_assign_form_shows_the_refusal_and_saves_nothing(
    login, org, units, team, office_user, how, direction
):
    theirs, inspected = DIRECTIONS[direction]
    inspector = _person(org, units, how, theirs)
    services.add_member(team=team, actor=office_user, inspector=inspector, role="member")

    response = login(office_user).post(
        reverse("rounds:team_assign_unit", args=[team.pk]), {"unit": units[inspected].pk}
    )

    assert response.status_code == 200
    error = response.context["form"].non_field_errors()[0]
    assert units[theirs].name in error
    assert error in response.content.decode()
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_accepting_a_suggestion_with_someone_on_the_line_saves_nothing(
    login, org, units, team, office_user, direction
):
    theirs, inspected = DIRECTIONS[direction]
    lead = InspectorFactory(organization=org, name="李组长", leader_eligible=True)
    home = _person(org, units, "home", theirs)
    data = {
        "unit": units[inspected].pk,
        "inspectors": [lead.pk, home.pk],
        f"role_{lead.pk}": "leader",
        f"role_{home.pk}": "member",
    }

    response = login(office_user).post(reverse("rounds:team_suggest", args=[team.pk]), data)

    assert response.status_code == 400
    assert "王五不得巡察" + units[inspected].name in response.content.decode()
    assert (TeamMember.objects.count(), Inspection.objects.count()) == (0, 0)


# -- the suggestion ------------------------------------------------------------------------------


def _proposed(team, unit) -> list[str]:
    return [candidate.name for candidate, _ in suggest_team(team=team, unit=unit).picks]


@pytest.mark.parametrize("how", ["home", "relative"])
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_suggestion_never_proposes_someone_on_the_units_line(org, units, team, how, direction):
    theirs, inspected = DIRECTIONS[direction]
    _person(org, units, how, theirs, leader_eligible=True)
    _person(org, units, how, "chengdu", name="赵六", leader_eligible=True)

    assert _proposed(team, units[inspected]) == ["赵六"]


@pytest.mark.parametrize("how", ["home", "relative"])
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_suggestion_never_proposes_someone_on_the_line_of_the_teams_other_units(
    org, units, team, office_user, how, direction
):
    theirs, inspected = DIRECTIONS[direction]
    services.assign_unit(team=team, actor=office_user, unit=units[inspected])
    _person(org, units, how, theirs, leader_eligible=True)
    _person(org, units, how, "gaoxin", name="赵六", leader_eligible=True)

    assert _proposed(team, units["outlet"]) == ["赵六"]


@pytest.mark.parametrize("inspected", ["chengdu", "jinjiang", "outlet", "mianyang", "jiangyou"])
def test_suggestion_proposes_only_whom_the_rule_allows(org, units, team, inspected):
    """One person at home in each unit and one with a relative in each: the SQL statement
    proposes only people the Python rule finds free, as many as a proposal holds (seven)."""
    for where in units:
        _person(org, units, "home", where, name=f"家-{where}", leader_eligible=True)
        _person(org, units, "relative", where, name=f"亲-{where}", leader_eligible=True)
    pool = Inspector.objects.select_related("home_unit").prefetch_related("relatives__unit")
    free = {i.name for i in pool if not conflict_reasons(inspector=i, unit=units[inspected])}

    proposed = _proposed(team, units[inspected])

    assert set(proposed) <= free
    assert len(proposed) == min(len(free), 7) > 0


def test_deputy_is_leader_eligible_when_someone_free_is(org, units, team):
    InspectorFactory(organization=org, name="A普通")
    InspectorFactory(organization=org, name="B组长", leader_eligible=True)
    InspectorFactory(organization=org, name="C组长", leader_eligible=True)

    proposal = suggest_team(team=team, unit=units["chengdu"])

    assert [c.name for c in proposal.role_of("leader")] == ["B组长"]
    assert [c.name for c in proposal.role_of("deputy")] == ["C组长"]
    assert [c.name for c in proposal.role_of("member")] == ["A普通"]


def test_deputy_beside_a_sitting_leader_is_leader_eligible(org, units, team, office_user):
    sitting = InspectorFactory(organization=org, name="现任组长", leader_eligible=True)
    services.add_member(team=team, actor=office_user, inspector=sitting, role="leader")
    InspectorFactory(organization=org, name="A普通")
    eligible = InspectorFactory(organization=org, name="B组长", leader_eligible=True)
    InspectorSpecialty.objects.create(organization=org, inspector=eligible, specialty="audit")

    proposal = suggest_team(team=team, unit=units["chengdu"])

    assert [c.name for c in proposal.role_of("deputy")] == ["B组长"]


def test_deputy_falls_back_to_anyone_free_without_a_second_eligible(org, units, team):
    InspectorFactory(organization=org, name="A普通")
    InspectorFactory(organization=org, name="B组长", leader_eligible=True)

    proposal = suggest_team(team=team, unit=units["chengdu"])

    assert [c.name for c in proposal.role_of("deputy")] == ["A普通"]
