"""Routes of rounds, teams, unit assignments, recusals and the team suggestion."""

from django.urls import path

from rounds.views import staffing, teams

urlpatterns = [
    path("rounds/", teams.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", teams.RoundCreateView.as_view(), name="round_create"),
    path("rounds/<int:pk>/", teams.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/edit/", teams.RoundUpdateView.as_view(), name="round_edit"),
    path("rounds/<int:round_pk>/teams/new/", teams.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/", teams.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", teams.TeamUpdateView.as_view(), name="team_edit"),
    path(
        "teams/<int:team_pk>/members/add/",
        teams.TeamMemberAddView.as_view(),
        name="team_member_add",
    ),
    path(
        "teams/members/<int:pk>/remove/",
        staffing.TeamMemberRemoveView.as_view(),
        name="team_member_remove",
    ),
    path(
        "teams/<int:team_pk>/units/assign/",
        teams.AssignUnitView.as_view(),
        name="team_assign_unit",
    ),
    path(
        "teams/assignments/<int:pk>/unassign/",
        teams.UnassignUnitView.as_view(),
        name="team_unassign_unit",
    ),
    path("teams/<int:team_pk>/suggest/", teams.TeamSuggestView.as_view(), name="team_suggest"),
    path(
        "teams/<int:team_pk>/recusals/new/",
        teams.RecusalCreateView.as_view(),
        name="recusal_create",
    ),
    path(
        "teams/recusals/<int:pk>/decide/",
        staffing.RecusalDecideView.as_view(),
        name="recusal_decide",
    ),
]
