"""The teams part of the rounds API: a round's teams (巡察组) with their leader's authorization
(一次一授权), members and units, the team suggestion, removals and recusals (回避) — read by
those who see rounds, changed by the inspection office through the same services as the team
pages (``rounds.views.teams``, ``rounds.views.staffing``)."""

from rounds.api.teams.views import (
    RecusalViewSet,
    RoundTeamViewSet,
    TeamMembersViewSet,
    TeamMemberViewSet,
    TeamRecusalsViewSet,
    TeamViewSet,
)

ROUTES = [
    (r"rounds/(?P<round_pk>[^/.]+)/teams", RoundTeamViewSet, "round-team"),
    ("teams", TeamViewSet, "team"),
    (r"teams/(?P<team_pk>[^/.]+)/members", TeamMembersViewSet, "team-team-member"),
    ("team-members", TeamMemberViewSet, "team-member"),
    (r"teams/(?P<team_pk>[^/.]+)/recusals", TeamRecusalsViewSet, "team-recusal"),
    ("recusals", RecusalViewSet, "recusal"),
]
