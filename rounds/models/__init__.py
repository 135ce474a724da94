from rounds.models.announcements import Announcement
from rounds.models.coverage import CoveragePlan, CoverageTarget, ExtensionVisit
from rounds.models.inspections import (
    Inspection,
    InspectionGroupObjectPermission,
    InspectionSettings,
    InspectionUserObjectPermission,
    IntelligenceItem,
    IntelligenceRequest,
    Milestone,
    Problem,
    StagePlan,
    StageTransition,
    WorkTask,
)
from rounds.models.pool import Inspector, InspectorSpecialty, RelativeDeclaration, TrainingRecord
from rounds.models.rounds import Recusal, Round, Team, TeamMember

__all__ = [
    "Announcement",
    "CoveragePlan",
    "CoverageTarget",
    "ExtensionVisit",
    "Inspection",
    "InspectionGroupObjectPermission",
    "InspectionSettings",
    "InspectionUserObjectPermission",
    "Inspector",
    "InspectorSpecialty",
    "IntelligenceItem",
    "IntelligenceRequest",
    "Milestone",
    "Problem",
    "Recusal",
    "RelativeDeclaration",
    "Round",
    "StagePlan",
    "StageTransition",
    "Team",
    "TeamMember",
    "TrainingRecord",
    "WorkTask",
]
