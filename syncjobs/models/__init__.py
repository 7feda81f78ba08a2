"""The sync domain: connectors, flows and their mappings, value maps, cross-references, runs."""

from syncjobs.models.connector import AuthMode, Connector, System
from syncjobs.models.cross_reference import CrossReference
from syncjobs.models.flow import FieldMapping, MappingVersion, Operation, SyncFlow
from syncjobs.models.run import RecordAction, RecordStatus, RunStatus, SyncRecord, SyncRun, Trigger
from syncjobs.models.value_map import ValueMap, ValueMapEntry

__all__ = [
    "AuthMode",
    "Connector",
    "CrossReference",
    "FieldMapping",
    "MappingVersion",
    "Operation",
    "RecordAction",
    "RecordStatus",
    "RunStatus",
    "SyncFlow",
    "SyncRecord",
    "SyncRun",
    "System",
    "Trigger",
    "ValueMap",
    "ValueMapEntry",
]
