"""Component ids, defined once per page and shared by the page and its callbacks (`from pages.ids import Board as ids`).

One module per area of the menu; each class is one page's ids.
"""

from pages.ids.floor_ids import AndonPanel, Board, Checklists, Home, HomeToday, MyJobs, Notices, Shell, StopQueue  # noqa: F401
from pages.ids.management_ids import AndonBoard, ChecklistCompliance, JobBoard, Money, Oee, OeeDrill, Plant, Reports, Stops, Trials  # noqa: F401
from pages.ids.engineering_ids import FaultStops, Faults, MaintenanceIds, PlcConnections, Tags, TagsFocus  # noqa: F401
from pages.ids.engineering_ids import MlModels, RiskBoard  # noqa: F401
from pages.ids.engineering_ids import Anomalies  # noqa: F401
from pages.ids.quality_ids import Quality, QualitySpc  # noqa: F401
from pages.ids.admin_ids import AdminEscalation, AdminPlc, AdminReports, AdminSources, ApiKeys, Audit, Users  # noqa: F401

__all__ = [
    "Anomalies",
    "AdminEscalation",
    "AdminPlc",
    "AdminReports",
    "AdminSources",
    "AndonBoard",
    "AndonPanel",
    "ApiKeys",
    "Audit",
    "Board",
    "ChecklistCompliance",
    "Checklists",
    "FaultStops",
    "Faults",
    "Home",
    "HomeToday",
    "JobBoard",
    "MaintenanceIds",
    "MlModels",
    "Money",
    "MyJobs",
    "Notices",
    "Oee",
    "OeeDrill",
    "Plant",
    "PlcConnections",
    "Quality",
    "QualitySpc",
    "Reports",
    "RiskBoard",
    "Shell",
    "StopQueue",
    "Stops",
    "Tags",
    "TagsFocus",
    "Trials",
    "Users",
]
