"""What every part of an inspection in the API shares: whose rows a caller reads, which
inspection rule each action asks, and the collection (list, add) and record (read, act) bases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from rounds.capabilities import VIEW_INSPECTIONS
from rounds.models import Inspection, TeamMember
from rounds.permissions import Action, can, inspections_viewable
from rounds.selectors.inspection_detail import inspection_part_list
from rounds.selectors.teams import team_member_all
from xuncha.tenancy.api import NOT_OFFERED, OrgViewSet

# --- Whose rows ------------------------------------------------------------------------------


def collection_inspection(request: Any) -> Inspection | None:
    """The inspection of the collection being called (``inspections/{id}/…``), if any."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    if getattr(request, "membership", None) is None or getattr(view, "parent_lookup", None) is None:
        return None  # schema generation, or a caller refused before the parent is resolved
    return view.parent


def parts_of_collection(model: type[Model]) -> Any:
    """Choices among the rows of ``model`` of the collection's inspection (as the page's form
    offers the inspection's own rows): another inspection's id reads as one that does not exist."""

    def scope(request: Any) -> QuerySet:
        inspection = collection_inspection(request)
        if inspection is None:
            return model._default_manager.none()
        return inspection_part_list(model, inspection)

    return scope


def team_of_collection(request: Any) -> QuerySet[TeamMember]:
    """The members of the collection's inspection's team (the page's assignees)."""
    inspection = collection_inspection(request)
    if inspection is None or inspection.team_id is None:
        return TeamMember.objects.none()
    return team_member_all(org=request.org).filter(team_id=inspection.team_id)


def viewable_parts(model: type[Model], request: Any) -> QuerySet:
    """The rows of ``model`` on the inspections the caller may see."""
    membership = request.membership
    manager: Any = model._default_manager
    return manager.for_org(membership.organization).filter(
        inspection__in=inspections_viewable(membership)
    )


class _InspectionPartViewSet(OrgViewSet):
    """Reading needs the pages' capability; ``access`` names, per action, what the caller must
    be allowed to do on the inspection (``rounds.permissions.can``), as the page asks."""

    permission = VIEW_INSPECTIONS
    access: ClassVar[dict[str, Action]] = {}
    http_method_names = ["get", "post", "head", "options"]

    def check_access(self, inspection: Callable[[], Inspection]) -> None:
        """Refuse (403) an action the caller may not do on the inspection (read only when the
        action asks something of it)."""
        needed = self.access.get(self.action) if self.action else None
        if needed is not None and not can(self.request.membership, needed, inspection()):
            raise PermissionDenied()


class InspectionPartCollection(_InspectionPartViewSet):
    """The parts of one inspection: list and add (``inspections/{inspection_pk}/…``)."""

    parent_lookup = "inspection_pk"
    retrieve = update = partial_update = destroy = NOT_OFFERED

    def parent_scope(self) -> QuerySet[Inspection]:
        return inspections_viewable(self.request.membership)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not getattr(self, "swagger_fake_view", False):
            self.check_access(lambda: self.parent)  # refused before the body, as the page

    def perform_create(self, serializer: Any) -> Model:
        return self.add(self.parent, serializer.validated_data)

    def add(self, inspection: Inspection, data: dict[str, Any]) -> Model:
        raise NotImplementedError


class InspectionPartRecord(_InspectionPartViewSet):
    """One part, read and acted on at its own address."""

    list = create = update = partial_update = destroy = NOT_OFFERED

    def get_object(self) -> Any:
        record = super().get_object()
        self.check_access(lambda: record.inspection)
        return record
