"""The parts of an inspection in the rounds API: preparation requests (情况通报) and the
intelligence they bring, work tasks and milestones of the work plan, problems (问题).

Each part is a collection under its inspection (``inspections/{id}/problems/``: list, add) and
a record at a flat address (``problems/{id}/``: read, and the page's actions on it). Who may do
what is the inspection pages' rule (``rounds.views.inspections.InspectionAccessMixin``): an
inspection the caller may not see is a 404; seeing it but not working on it (recording and
re-checking problems) or not managing it (everything else) is a 403; a closed inspection is
read-only, the services refusing with the page's message."""

from rounds.api.inspection_parts.preparation import (
    InspectionIntelligenceItemViewSet,
    InspectionIntelligenceRequestViewSet,
    IntelligenceItemViewSet,
    IntelligenceRequestViewSet,
)
from rounds.api.inspection_parts.problems import InspectionProblemViewSet, ProblemViewSet
from rounds.api.inspection_parts.work_plan import (
    InspectionMilestoneViewSet,
    InspectionWorkTaskViewSet,
    MilestoneViewSet,
    WorkTaskViewSet,
)

INSPECTION = r"inspections/(?P<inspection_pk>[^/.]+)"

ROUTES = [
    (
        f"{INSPECTION}/intelligence-requests",
        InspectionIntelligenceRequestViewSet,
        "inspection-intelligence-request",
    ),
    ("intelligence-requests", IntelligenceRequestViewSet, "intelligence-request"),
    (
        f"{INSPECTION}/intelligence-items",
        InspectionIntelligenceItemViewSet,
        "inspection-intelligence-item",
    ),
    ("intelligence-items", IntelligenceItemViewSet, "intelligence-item"),
    (f"{INSPECTION}/work-tasks", InspectionWorkTaskViewSet, "inspection-work-task"),
    ("work-tasks", WorkTaskViewSet, "work-task"),
    (f"{INSPECTION}/milestones", InspectionMilestoneViewSet, "inspection-milestone"),
    ("milestones", MilestoneViewSet, "milestone"),
    (f"{INSPECTION}/problems", InspectionProblemViewSet, "inspection-problem"),
    ("problems", ProblemViewSet, "problem"),
]
