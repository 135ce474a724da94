"""The rounds part of the API, one module per area (as the pages' ``urls_*`` modules)."""

from rounds.api import announcements, coverage, inspection_parts, inspections, pool, teams

ROUTES = [
    *pool.ROUTES,
    *coverage.ROUTES,
    *teams.ROUTES,
    *inspections.ROUTES,
    *inspection_parts.ROUTES,
    *announcements.ROUTES,
]
