"""Every table of Floorboard, for Alembic and for code that wants them all in one import."""

from core.persistence.account_tables import AuditEntry, LoginAttempt, Role, User
from core.persistence.andon_tables import AndonCall, AndonNotice
from core.persistence.checklist_tables import ChecklistCompletion, ChecklistTemplateRow
from core.persistence.base import Base, UTCDateTime
from core.persistence.fault_tables import FaultRuleRow
from core.persistence.plant_tables import (
    EquipmentRow, EscalationRuleRow, FaultRow, LineRow, ReasonRow, ReportScheduleRow, ShiftRow, SiteRow,
)
from core.persistence.job_tables import JobRow, WorkOrderRow
from core.persistence.ml_tables import MlAnomaly, MlDriftCheck, MlModelVersion, MlPrediction, MlSettingsRow
from core.persistence.maintenance_tables import MaintenanceOrderRow, MaintenancePlanRow, MaintenanceTaskRow
from core.persistence.plc_tables import PlcConnectionStatus, PlcOutage, SpoolWatermark, TagMinute, TagSample
from core.persistence.stop_tables import StopEdit
from core.persistence.sync_tables import MachineJobRow, OperatorRow, QuarantinedRow, SyncedRow, SyncSourceRow
from core.persistence.product_tables import ProductChange, ProductCycleRow, ProductRow
from core.persistence.report_tables import ReportRun
from core.persistence.quality_tables import (
    DefectCodeRow, QualityCharacteristicRow, QualityCheckRow, QualityCheckTemplateRow, QualityMeasurementRow, ScrapEntryRow,
)
from core.persistence.trial_tables import TrialRow
from core.persistence.rollup_tables import OeeRollup, RollupRequest, RollupWatermark, StopRollup
from core.persistence.timeline_tables import (
    ApiKey, CountIncrement, IngestedEvent, PollBaseline, SchedulerLease, StateChange,
)

__all__ = [
    "AndonCall", "AndonNotice", "ApiKey", "AuditEntry", "Base", "ChecklistCompletion", "ChecklistTemplateRow", "CountIncrement", "EquipmentRow", "EscalationRuleRow", "FaultRow", "FaultRuleRow",
    "IngestedEvent", "JobRow", "MachineJobRow", "OperatorRow", "QuarantinedRow", "SyncedRow", "SyncSourceRow", "LineRow", "LoginAttempt", "OeeRollup", "PlcConnectionStatus", "PlcOutage", "ProductChange", "ProductCycleRow", "ProductRow",
    "RollupRequest", "RollupWatermark", "PollBaseline", "SpoolWatermark", "TagMinute", "TagSample", "ReasonRow", "ReportRun", "ReportScheduleRow", "Role",
    "SchedulerLease", "ShiftRow", "SiteRow", "StateChange", "StopEdit", "StopRollup", "TrialRow", "UTCDateTime", "User", "WorkOrderRow",
    "DefectCodeRow", "QualityCharacteristicRow", "QualityCheckRow", "QualityCheckTemplateRow", "QualityMeasurementRow",
    "ScrapEntryRow",
    "MaintenanceOrderRow", "MaintenancePlanRow", "MaintenanceTaskRow",
    "MlAnomaly", "MlDriftCheck", "MlModelVersion", "MlPrediction", "MlSettingsRow",
]
