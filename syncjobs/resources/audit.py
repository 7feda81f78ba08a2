"""The audit trail for finance, exported (never imported): runs, records and cross-references."""

from import_export import fields, resources

from syncjobs.models import Connector, CrossReference, SyncFlow, SyncRecord, SyncRun
from syncjobs.resources.base import slug_field


class SyncRunResource(resources.ModelResource):
    flow = slug_field("flow", SyncFlow)
    mapping_version = fields.Field(attribute="mapping_version__number", column_name="mapping_version")

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

    def get_queryset(self):
        return super().get_queryset().select_related("flow", "mapping_version")


class SyncRecordResource(resources.ModelResource):
    flow = slug_field("flow", SyncFlow)

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

    def get_queryset(self):
        return super().get_queryset().select_related("flow")


class CrossReferenceResource(resources.ModelResource):
    source_connector = slug_field("source_connector", Connector)
    target_connector = slug_field("target_connector", Connector)
    flow = slug_field("flow", SyncFlow)

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

    def get_queryset(self):
        return super().get_queryset().select_related("flow", "source_connector", "target_connector")
