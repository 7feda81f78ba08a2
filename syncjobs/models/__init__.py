"""The sync domain: connectors, flows and their mappings, value maps, cross-references, runs."""

from syncjobs.models.batch import BatchStatus, FlowLease, SyncBatch
from syncjobs.models.connector import AuthMode, Connector, System
from syncjobs.models.cross_reference import CrossReference
from syncjobs.models.export import ExportFile, ExportStatus
from syncjobs.models.flow import FieldMapping, MappingVersion, Operation, SyncFlow
from syncjobs.models.intervention import InterventionKind, RecordIntervention
from syncjobs.models.lag import LagExcess
from syncjobs.models.metadata import FieldDrift, ObjectMetadata
from syncjobs.models.notify import (
    AlertRule,
    AlertState,
    ChannelDelivery,
    ChannelKind,
    DeliveryKind,
    DeliveryStatus,
    NotificationChannel,
    Severity,
)
from syncjobs.models.operations import (
    AlertNotice,
    DocumentKind,
    Problem,
    ReconciliationDifference,
    ReconciliationReport,
    ReportStatus,
    WebhookEvent,
)
from syncjobs.models.outbox import ParentWait, WriteBack, WriteBackStatus
from syncjobs.models.preference import UserPreference
from syncjobs.models.run import (
    RecordAction,
    RecordStatus,
    RunPhase,
    RunStatus,
    SyncRecord,
    SyncRun,
    Trigger,
)
from syncjobs.models.value_map import ValueMap, ValueMapEntry

__all__ = [
    "ExportFile",
    "ExportStatus",
    "UserPreference",
    "Severity",
    "NotificationChannel",
    "DeliveryStatus",
    "DeliveryKind",
    "ChannelKind",
    "ChannelDelivery",
    "AlertState",
    "AlertRule",
    "AlertNotice",
    "AuthMode",
    "BatchStatus",
    "Connector",
    "CrossReference",
    "DocumentKind",
    "FieldDrift",
    "FieldMapping",
    "ObjectMetadata",
    "FlowLease",
    "InterventionKind",
    "LagExcess",
    "MappingVersion",
    "Operation",
    "ParentWait",
    "Problem",
    "ReconciliationDifference",
    "ReconciliationReport",
    "RecordAction",
    "RecordIntervention",
    "RecordStatus",
    "ReportStatus",
    "RunPhase",
    "RunStatus",
    "SyncBatch",
    "SyncFlow",
    "SyncRecord",
    "SyncRun",
    "System",
    "Trigger",
    "ValueMap",
    "ValueMapEntry",
    "WebhookEvent",
    "WriteBack",
    "WriteBackStatus",
]
