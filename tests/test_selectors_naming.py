"""Selectors are named ``<entity>_<verb>`` (``inspection_list``, ``team_member_list``) and no two
share a name, so ``from <app>.selectors.<module> import <name>`` always says what is read."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from types import ModuleType

from django.apps import apps

OUR_APPS = (
    "accounts",
    "rounds",
    "surveys",
    "interviews",
    "documents",
    "clues",
    "rectification",
    "history",
)
NAME = re.compile(r"^[a-z]+(_[a-z]+)*$")
# Entities that are no model of their own: a record's change history (its event rows).
EXTRA_ENTITIES = frozenset({"history"})


def _selector_modules() -> list[ModuleType]:
    modules = []
    for app in OUR_APPS:
        try:
            module = importlib.import_module(f"{app}.selectors")
        except ModuleNotFoundError:
            continue
        modules.append(module)
        if hasattr(module, "__path__"):  # a package: every module in it
            for info in pkgutil.iter_modules(module.__path__, f"{module.__name__}."):
                modules.append(importlib.import_module(info.name))
    return modules


def _selectors() -> list[tuple[str, str]]:
    """(module, function name) of every public function defined in a selector module."""
    return [
        (module.__name__, name)
        for module in _selector_modules()
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    ]


def _entities() -> set[str]:
    """Every run of words of a model name: ``CoveragePlan`` gives coverage_plan, coverage, plan."""
    entities = set(EXTRA_ENTITIES)
    for model in apps.get_models():
        words = re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower().split("_")
        for start in range(len(words)):
            for end in range(start + 1, len(words) + 1):
                entities.add("_".join(words[start:end]))
    return entities


def _has_entity_prefix(name: str, entities: set[str]) -> bool:
    words = name.split("_")
    return any("_".join(words[:end]) in entities for end in range(1, len(words)))


def test_the_walk_finds_the_selectors():
    names = {name for _, name in _selectors()}

    assert {"unit_tree", "inspection_list", "team_member_list", "plan_figures"} <= names


def test_no_two_selectors_share_a_name():
    modules_by_name: dict[str, list[str]] = {}
    for module, name in _selectors():
        modules_by_name.setdefault(name, []).append(module)

    shared = {name: found for name, found in modules_by_name.items() if len(found) > 1}
    assert shared == {}


def test_selectors_are_named_entity_then_verb():
    entities = _entities()

    misnamed = [
        f"{module}.{name}"
        for module, name in _selectors()
        if not NAME.match(name) or not _has_entity_prefix(name, entities)
    ]
    assert misnamed == []
