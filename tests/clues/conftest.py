"""The petition tests' fixtures (``tests.clues.fixtures``)."""

from tests.clues.fixtures import *  # noqa: F403
