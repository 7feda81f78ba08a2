"""The audit trail for finance: runs, records and cross-references as the console's lists show them."""

from syncjobs.exports.resources import AuditResource, shown
from syncjobs.models import CrossReference, SyncRecord, SyncRun


class SyncRunResource(AuditResource):
    """Runs as the run list shows them: flow name, labelled trigger and status, local times."""

    flow = shown(SyncRun, "flow", "flow__name")
    mapping_version = shown(SyncRun, "mapping_version", "mapping_version__number")
    select_related = ("flow", "mapping_version")
    also_loads = ("message_params",)

    class Meta:
        model = SyncRun
        fields = (
            "id",
            "flow",
            "trigger",
            "status",
            "queued_at",
            "started_at",
            "finished_at",
            "read_count",
            "created_count",
            "updated_count",
            "unchanged_count",
            "skipped_count",
            "failed_count",
            "mapping_version",
            "message",
        )

    def dehydrate_message(self, run):
        return run.message_text  # in the language of whoever exports, as the run page shows it


class SyncRecordResource(AuditResource):
    """Records with their run number, flow name and labelled action and status."""

    run = shown(SyncRecord, "run", "run_id")
    flow = shown(SyncRecord, "flow", "flow__name")
    select_related = ("flow",)

    class Meta:
        model = SyncRecord
        fields = (
            "id",
            "run",
            "flow",
            "source_id",
            "source_number",
            "target_id",
            "target_number",
            "action",
            "status",
            "attempts",
            "error_field",
            "error_message",
            "created_at",
            "updated_at",
        )


class CrossReferenceResource(AuditResource):
    """Which source record is which target record, with connector and flow names."""

    flow = shown(CrossReference, "flow", "flow__name")
    source_connector = shown(CrossReference, "source_connector", "source_connector__name")
    target_connector = shown(CrossReference, "target_connector", "target_connector__name")
    select_related = ("flow", "source_connector", "target_connector")

    class Meta:
        model = CrossReference
        fields = (
            "id",
            "flow",
            "source_connector",
            "source_object",
            "source_id",
            "source_number",
            "target_connector",
            "target_object",
            "target_id",
            "target_number",
            "first_synced_at",
            "last_synced_at",
        )
