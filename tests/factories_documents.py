"""Factories of the documents app, registered in the shared FACTORIES and ORG_KWARG."""

from __future__ import annotations

from tests.factories import FACTORIES, ORG_KWARG

FACTORIES.update({})
ORG_KWARG.update({})
