"""Team suggestion: an eligible leader, a deputy and 5–7 members covering the needed
specialties, fewest rounds served first, nobody conflicted or already busy in the round."""

from __future__ import annotations

import pytest

from accounts.errors import DomainError
from rounds.models import Inspection, InspectorSpecialty, TeamMember
from rounds.services.suggestion import accept_proposal, suggest_team
from rounds.taxonomy import FocusArea
from tests.factories import (
    InspectionFactory,
    InspectorFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
)


@pytest.fixture
def team(org):
    # political → party building; funds → finance
    return TeamFactory(round=RoundFactory(organization=org, focus_areas=["political", "funds"]))


def _person(org, name, *specialties, rounds=0, leader=False, **fields):
    inspector = InspectorFactory(organization=org, name=name, leader_eligible=leader, **fields)
    for code in specialties:
        InspectorSpecialty.objects.create(organization=org, inspector=inspector, specialty=code)
    for _ in range(rounds):
        TeamMemberFactory(team=TeamFactory(round__organization=org), inspector=inspector)
    return inspector


def _names(proposal, role) -> list[str]:
    return [inspector.name for inspector in proposal.role_of(role)]


def test_leader_is_leader_eligible(org, team, unit_tree):
    _person(org, "An", rounds=0)
    _person(org, "Bo", rounds=2, leader=True)

    proposal = suggest_team(team=team, unit=unit_tree["chengdu"])

    assert _names(proposal, "leader") == ["Bo"]


def test_fewest_rounds_served_first_then_by_name(org, team, unit_tree):
    _person(org, "Cy", rounds=1, leader=True)
    _person(org, "Bo", rounds=0, leader=True)
    _person(org, "An", rounds=3, leader=True)
    _person(org, "Di", rounds=0, leader=True)

    proposal = suggest_team(team=team, unit=unit_tree["chengdu"])

    assert [i.name for i, _ in proposal.picks] == ["Bo", "Di", "Cy", "An"]


def test_needed_specialties_are_covered_before_filling_up(org, team, unit_tree):
    for n in range(8):
        _person(org, f"Gen{n}", leader=n == 0)
    _person(org, "Fin", "finance", rounds=4)
    _person(org, "Par", "party", rounds=4)

    proposal = suggest_team(team=team, unit=unit_tree["chengdu"])

    assert {"Fin", "Par"} <= set(_names(proposal, "member"))
    assert len(_names(proposal, "member")) == 5
    assert (proposal.needed, proposal.uncovered) == (["party", "finance"], [])


def test_conflicted_people_are_not_proposed(org, team, unit_tree):
    _person(org, "Home", leader=True, home_unit=unit_tree["outlet"])
    _person(org, "Free", leader=True, rounds=1)

    proposal = suggest_team(team=team, unit=unit_tree["chengdu"])

    assert [i.name for i, _ in proposal.picks] == ["Free"]


def test_people_on_another_team_of_the_round_are_not_proposed(org, team, unit_tree):
    busy = _person(org, "Busy", leader=True)
    TeamMemberFactory(team=TeamFactory(round=team.round), inspector=busy)

    proposal = suggest_team(team=team, unit=unit_tree["chengdu"])

    assert proposal.picks == []


def test_inactive_people_are_not_proposed(org, team, unit_tree):
    _person(org, "Gone", leader=True, is_active=False)

    assert suggest_team(team=team, unit=unit_tree["chengdu"]).picks == []


def test_specialties_nobody_has_are_reported_uncovered(org, team, unit_tree):
    _person(org, "Par", "party", leader=True)

    proposal = suggest_team(team=team, unit=unit_tree["chengdu"])

    assert proposal.uncovered == ["finance"]


def test_at_most_seven_members_even_if_specialties_stay_uncovered(org, unit_tree):
    team = TeamFactory(round=RoundFactory(organization=org, focus_areas=FocusArea.values))
    _person(org, "Lead", leader=True)
    _person(org, "Dep")
    specialists = [
        "discipline",
        "organization",
        "party",
        "audit",
        "finance",
        "engineering",
        "legal",
        "business",
    ]
    for n, code in enumerate(specialists):
        _person(org, f"S{n}", code)

    proposal = suggest_team(team=team, unit=unit_tree["chengdu"])

    assert len(_names(proposal, "member")) == 7
    assert proposal.uncovered == ["business"]


def test_existing_leader_and_members_are_kept_in_account(org, team, unit_tree):
    TeamMemberFactory(team=team, inspector=_person(org, "Par", "party"), role="leader")
    _person(org, "Next", "party", leader=True)
    _person(org, "Fin", "finance")

    proposal = suggest_team(team=team, unit=unit_tree["chengdu"])

    assert _names(proposal, "leader") == []
    assert proposal.uncovered == []


def test_accept_adds_the_people_and_assigns_the_unit(org, team, unit_tree, office_user):
    lead, member = _person(org, "Lead", leader=True), _person(org, "Mem")

    accept_proposal(
        team=team,
        actor=office_user,
        unit=unit_tree["chengdu"],
        picks=[(member, "member"), (lead, "leader")],
    )

    assert set(TeamMember.objects.values_list("inspector__name", "role")) == {
        ("Lead", "leader"),
        ("Mem", "member"),
    }
    assert Inspection.objects.get().team == team


def test_refused_accept_saves_nothing(org, team, unit_tree, office_user):
    lead = _person(org, "Lead", leader=True)
    home = _person(org, "Home", home_unit=unit_tree["chengdu"])

    with pytest.raises(DomainError):
        accept_proposal(
            team=team,
            actor=office_user,
            unit=unit_tree["chengdu"],
            picks=[(lead, "leader"), (home, "member")],
        )

    assert (TeamMember.objects.count(), Inspection.objects.count()) == (0, 0)


def test_people_conflicted_with_the_teams_other_units_are_not_proposed(org, team, unit_tree):
    InspectionFactory(round=team.round, team=team, unit=unit_tree["mianyang"])
    _person(org, "Home", leader=True, home_unit=unit_tree["mianyang"])

    assert suggest_team(team=team, unit=unit_tree["chengdu"]).picks == []


def test_suggestion_runs_the_same_queries_for_1_and_7_current_members(
    org, team, unit_tree, django_assert_num_queries
):
    _person(org, "Free", "party", leader=True)
    for count in (1, 6):
        TeamMemberFactory.create_batch(count, team=team)
        with django_assert_num_queries(2):
            suggest_team(team=team, unit=unit_tree["chengdu"])


def test_suggestion_runs_the_same_queries_for_a_pool_of_3_and_30(
    org, team, unit_tree, django_assert_num_queries
):
    for count, picked in ((3, 3), (27, 7)):
        for n in range(count):
            _person(org, f"P{count}-{n}", ("party", "finance", "audit")[n % 3], leader=n % 2 == 0)
        with django_assert_num_queries(2):
            proposal = suggest_team(team=team, unit=unit_tree["chengdu"])
        assert len(proposal.picks) == picked


def test_a_round_without_focus_areas_still_gets_a_full_team(org, unit_tree):
    team = TeamFactory(round=RoundFactory(organization=org, focus_areas=[]))
    for n in range(8):
        _person(org, f"P{n}", "finance", leader=n == 3)

    proposal = suggest_team(team=team, unit=unit_tree["chengdu"])

    assert _names(proposal, "leader") == ["P3"]
    assert _names(proposal, "deputy") == ["P0"]
    assert _names(proposal, "member") == ["P1", "P2", "P4", "P5", "P6"]
    assert (proposal.needed, proposal.uncovered) == ([], [])


def test_specialties_the_current_members_bring_count_as_covered(org, team, unit_tree):
    TeamMemberFactory(team=team, inspector=_person(org, "Par", "party"), role="member")
    _person(org, "Lead", leader=True)

    proposal = suggest_team(team=team, unit=unit_tree["chengdu"])

    assert proposal.uncovered == ["finance"]
