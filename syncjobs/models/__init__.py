"""The sync domain: connectors, flows and their mappings, value maps, cross-references, runs."""

from syncjobs.models.batch import BatchStatus, FlowLease, SyncBatch
from syncjobs.models.connector import AuthMode, Connector, System
from syncjobs.models.cross_reference import CrossReference
from syncjobs.models.flow import FieldMapping, MappingVersion, Operation, SyncFlow
from syncjobs.models.outbox import ParentWait, WriteBack, WriteBackStatus
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
    "AuthMode",
    "BatchStatus",
    "Connector",
    "CrossReference",
    "FieldMapping",
    "FlowLease",
    "MappingVersion",
    "Operation",
    "ParentWait",
    "RecordAction",
    "RecordStatus",
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
    "WriteBack",
    "WriteBackStatus",
]
