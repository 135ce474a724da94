"""The teams part of the rounds API."""

ROUTES: list = []
