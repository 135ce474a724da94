"""The pool part of the rounds API: the inspector pool (巡察人才库 / 组长库) with each inspector's
declared relatives and training records — read by whoever may read the pool (office, admin,
leadership), changed by the office through the same services as the pool pages."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema

from accounts.models import Unit
from rounds.api.pool_serializers import (
    INSPECTOR_FIELDS,
    InspectorSerializer,
    RelativeSerializer,
    TrainingSerializer,
    any_units,
)
from rounds.capabilities import MANAGE_POOL, VIEW_POOL
from rounds.models import Inspector, InspectorSpecialty, RelativeDeclaration, TrainingRecord
from rounds.selectors.pool import (
    inspector_detail,
    inspector_relative_list,
    inspector_training_list,
    relative_list,
    training_list,
)
from rounds.services import pool as services
from rounds.taxonomy import Specialty
from xuncha.tenancy.api import NOT_OFFERED, OrgViewSet


class InspectorFilter(django_filters.FilterSet):
    # The pool page's filter bar, as the list selector applies it; declared, with choice lists
    # read from the caller's organization.
    search = django_filters.CharFilter(
        method="filter_search", help_text="Only inspectors whose name or position contains this."
    )
    specialty = django_filters.ChoiceFilter(
        choices=Specialty.choices,
        method="filter_specialty",
        help_text="Only inspectors with this specialty.",
    )
    leader_eligible = django_filters.BooleanFilter(
        help_text="Only inspectors eligible (true) or not eligible (false) as team leader."
    )
    is_external = django_filters.BooleanFilter(
        help_text="Only external people (true) or staff (false)."
    )
    home_unit = django_filters.ModelChoiceFilter(
        queryset=any_units,
        method="filter_home_unit",
        help_text="Only inspectors whose home unit is this unit or one below it.",
    )
    is_active = django_filters.BooleanFilter(
        help_text="Only active (true) or inactive (false) inspectors."
    )

    class Meta:
        model = Inspector
        fields: ClassVar[list[str]] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(position__icontains=value))

    def filter_specialty(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        rows = InspectorSpecialty.objects.for_org(self.request.org)
        return queryset.filter(Exists(rows.filter(inspector=OuterRef("pk"), specialty=value)))

    def filter_home_unit(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(home_unit__path__startswith=value.path)


@extend_schema(tags=["inspector pool"])
class InspectorViewSet(OrgViewSet):
    """The inspector pool (巡察人才库): the people who can serve on inspection teams, with their
    specialties, home unit, leader eligibility (组长库), rounds served and training count. Read by
    the office, the administrator and the leadership group; added and edited by the office."""

    permission = VIEW_POOL
    action_permissions = {
        "create": MANAGE_POOL,
        "update": MANAGE_POOL,
        "partial_update": MANAGE_POOL,
    }
    model = Inspector
    serializer_class = InspectorSerializer
    filterset_class = InspectorFilter
    ordering_fields: ClassVar[list[str]] = ["pk", "name", "created_at"]
    http_method_names: ClassVar[list[str]] = ["get", "post", "put", "patch", "head", "options"]
    destroy = NOT_OFFERED

    def scoped_queryset(self) -> QuerySet[Inspector]:
        return inspector_detail(org=self.request.org)

    def perform_create(self, serializer: Any) -> Inspector:
        return services.create_inspector(
            org=self.request.org, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> Inspector:
        inspector = serializer.instance
        current = {field: getattr(inspector, field) for field in INSPECTOR_FIELDS}
        current["specialties"] = [row.specialty for row in inspector.specialties.all()]
        return services.update_inspector(
            inspector=inspector, actor=self.request.user, **current | serializer.validated_data
        )


# --- Declared relatives and training records -----------------------------------------------

INSPECTOR_PK = OpenApiParameter(
    "inspector_pk", int, OpenApiParameter.PATH, description="The inspector's id."
)


class RelativeFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        queryset=any_units, help_text="Only relatives working in this unit."
    )

    class Meta:
        model = RelativeDeclaration
        fields: ClassVar[list[str]] = []


class TrainingFilter(django_filters.FilterSet):
    completed_from = django_filters.DateFilter(
        field_name="completed_on",
        lookup_expr="gte",
        help_text="Only trainings completed on or after this day.",
    )
    completed_to = django_filters.DateFilter(
        field_name="completed_on",
        lookup_expr="lte",
        help_text="Only trainings completed on or before this day.",
    )

    class Meta:
        model = TrainingRecord
        fields: ClassVar[list[str]] = []


class _PartsOfInspector(OrgViewSet):
    """Listed and added under the inspector; read and removed at the flat address."""

    permission = VIEW_POOL
    action_permissions = {"create": MANAGE_POOL}
    parent_lookup = "inspector_pk"
    http_method_names: ClassVar[list[str]] = ["get", "post", "head", "options"]
    retrieve = update = partial_update = destroy = NOT_OFFERED

    def parent_scope(self) -> QuerySet[Inspector]:
        inspectors = inspector_detail(org=self.request.org).prefetch_related(None)
        return inspectors.select_related("organization")  # the part selectors read it


class _PartViewSet(OrgViewSet):
    """One record, read by pool readers and removed by the office."""

    permission = VIEW_POOL
    action_permissions = {"destroy": MANAGE_POOL}
    http_method_names: ClassVar[list[str]] = ["get", "delete", "head", "options"]
    list = create = update = partial_update = NOT_OFFERED


@extend_schema(tags=["inspector pool"], parameters=[INSPECTOR_PK])
class InspectorRelativeViewSet(_PartsOfInspector):
    """An inspector's declared close relatives (亲属申报) and the units they work in: grounds for
    recusal (回避) from inspecting those units. The office declares them."""

    model = RelativeDeclaration
    serializer_class = RelativeSerializer
    filterset_class = RelativeFilter
    ordering_fields: ClassVar[list[str]] = ["pk", "declared_on"]

    def scoped_queryset(self) -> QuerySet[RelativeDeclaration]:
        return inspector_relative_list(inspector=self.parent).select_related("inspector")

    def perform_create(self, serializer: Any) -> RelativeDeclaration:
        return services.declare_relative(
            inspector=self.parent, actor=self.request.user, **serializer.validated_data
        )


@extend_schema(tags=["inspector pool"])
class RelativeViewSet(_PartViewSet):
    """A declared close relative of an inspector (亲属申报); the office removes a declaration
    made in error or no longer true."""

    model = RelativeDeclaration
    serializer_class = RelativeSerializer

    def scoped_queryset(self) -> QuerySet[RelativeDeclaration]:
        return relative_list(org=self.request.org).select_related("unit", "inspector")

    def perform_destroy(self, instance: RelativeDeclaration) -> None:
        services.remove_relative(declaration=instance, actor=self.request.user)


@extend_schema(tags=["inspector pool"], parameters=[INSPECTOR_PK])
class InspectorTrainingViewSet(_PartsOfInspector):
    """An inspector's training records (培训记录): courses completed, with their hours. The
    office adds them."""

    model = TrainingRecord
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter
    ordering_fields: ClassVar[list[str]] = ["pk", "completed_on"]

    def scoped_queryset(self) -> QuerySet[TrainingRecord]:
        return inspector_training_list(inspector=self.parent).select_related("inspector")

    def perform_create(self, serializer: Any) -> TrainingRecord:
        return services.add_training(
            inspector=self.parent, actor=self.request.user, **serializer.validated_data
        )


@extend_schema(tags=["inspector pool"])
class TrainingViewSet(_PartViewSet):
    """A training record (培训记录) of an inspector; the office removes one entered in error."""

    model = TrainingRecord
    serializer_class = TrainingSerializer

    def scoped_queryset(self) -> QuerySet[TrainingRecord]:
        return training_list(org=self.request.org).select_related("inspector")

    def perform_destroy(self, instance: TrainingRecord) -> None:
        services.remove_training(training=instance, actor=self.request.user)


ROUTES = [
    ("inspectors", InspectorViewSet, "inspector"),
    (
        r"inspectors/(?P<inspector_pk>[^/.]+)/relatives",
        InspectorRelativeViewSet,
        "inspector-relative",
    ),
    ("relatives", RelativeViewSet, "relative"),
    (
        r"inspectors/(?P<inspector_pk>[^/.]+)/trainings",
        InspectorTrainingViewSet,
        "inspector-training",
    ),
    ("trainings", TrainingViewSet, "training"),
]
