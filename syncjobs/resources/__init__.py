"""Import and export: flow configurations by natural keys, and the audit trail for finance.

A flow row carries its mapping rows and the value maps they use as JSON columns, so one file
moves a configuration from a test installation to production. Connectors are referenced by
slug; their secrets are never part of any resource.
"""

from syncjobs.resources.audit import CrossReferenceResource, SyncRecordResource, SyncRunResource
from syncjobs.resources.base import HubResource, JSONValueWidget, may_change
from syncjobs.resources.configuration import ConnectorResource, SyncFlowResource, ValueMapEntryResource

__all__ = [
    "ConnectorResource",
    "CrossReferenceResource",
    "HubResource",
    "JSONValueWidget",
    "SyncFlowResource",
    "SyncRecordResource",
    "SyncRunResource",
    "ValueMapEntryResource",
    "may_change",
]
