"""Every destructive or irreversible action asks for confirmation through the one shared
pattern (``ConfirmationMixin``); an action view that does not must be listed here as
harmless, with the reason. A new action view fails this test until it chooses."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from xuncha.tenancy.views import ConfirmationMixin, ServiceActionMixin

# Actions that change nothing irreversibly: each is undone by doing it again differently or
# adds a record without taking one away.
HARMLESS = {
    "MilestoneDoneView": "marks a milestone done (the date can be corrected)",
    "InspectionAdvanceView": "a stage move forward; closing asks (see its post)",
    "LookBackCreateView": "creates a look-back inspection, removes nothing",
    "ProblemRecheckView": "records the re-check of an inherited problem",
    "PlanUnarchiveView": "brings an archived plan back into the lists",
    "RoundUnarchiveView": "brings an archived round back into the lists",
    "ChecklistStartView": "starts an inspection's checklists from the templates, removes nothing",
    "ChecklistItemTickView": "marks a checklist item done by a document (untick undoes it)",
    "ChecklistItemUntickView": "marks a checklist item missing again (tick redoes it)",
    "DefaultTemplatesView": "adds the default outlines and checklists, removes nothing",
    "PetitionStatusView": "moves a petition's status, which can be moved back",
}


def _views(patterns=None, seen=None):
    seen = set() if seen is None else seen
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            _views(pattern.url_patterns, seen)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", None)
            if view is not None:
                seen.add(view)
    return seen


def test_every_action_view_confirms_or_is_listed_as_harmless():
    actions = {view for view in _views() if issubclass(view, ServiceActionMixin)}
    unconfirmed = {view.__name__ for view in actions if not issubclass(view, ConfirmationMixin)}

    assert unconfirmed - set(HARMLESS) == set(), "destructive actions must confirm"
    assert {view.__name__ for view in actions} >= {"TargetRemoveView", "UnitActivationView"}


def test_the_confirming_views_share_one_template():
    confirming = {view for view in _views() if issubclass(view, ConfirmationMixin)}

    assert len(confirming) >= 5
    assert {view.confirm_template for view in confirming} == {"_confirm.html"}
