"""The coverage part of the rounds API."""

ROUTES: list = []
