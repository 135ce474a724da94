"""The pool part of the rounds API."""

ROUTES: list = []
