"""The inspections part of the rounds API."""

ROUTES: list = []
