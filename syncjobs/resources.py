"""Import and export: flow configurations by natural keys, and the audit trail for finance.

A flow row carries its mapping rows and the value maps they use as JSON columns, so one file
moves a configuration from a test installation to production. Connectors are referenced by
slug; their secrets are never part of any resource.
"""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from syncjobs.mapping import mapping_errors
from syncjobs.models import Connector, CrossReference, SyncFlow, SyncRecord, SyncRun, ValueMap, ValueMapEntry
from syncjobs.services import flow_config, mapping_checks
from syncjobs.services.mapping_versions import record_mapping_version, snapshot_rows


class JSONValueWidget(widgets.Widget):
    """Strict JSON in a cell: an empty cell is the field's empty value; anything else must parse."""

    def __init__(self, empty_factory=list):
        super().__init__(coerce_to_string=True)
        self.empty_factory = empty_factory

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, list | dict):
            return value
        if value is None or str(value).strip() == "":
            return self.empty_factory()
        try:
            return json.loads(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(_("Not valid JSON: %(error)s") % {"error": exc}) from exc

    def render(self, value, obj=None, **kwargs):
        return json.dumps(
            value if value is not None else self.empty_factory(), ensure_ascii=False, sort_keys=True
        )


def _json_field(name, empty_factory=list):
    return fields.Field(attribute=name, column_name=name, widget=JSONValueWidget(empty_factory))


def _slug_field(name, model):
    return fields.Field(
        attribute=name, column_name=name, widget=widgets.ForeignKeyWidget(model, field="slug")
    )


class ConnectorResource(resources.ModelResource):
    """Connectors without their secrets: the receiving installation enters its own."""

    class Meta:
        model = Connector
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "system",
            "base_url",
            "acct_id",
            "username",
            "auth_mode",
            "lcid",
            "org_number",
            "open_user_id",
            "mobile",
            "timeout",
            "max_concurrency",
            "rate_limit",
            "rate_period_seconds",
            "rate_budget_share",
            "daily_call_quota",
        )
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Field checks only: secrets are never in the file, so the model's "credential
        # required" rule would refuse every new connector; the admin form asks for them.
        errors = dict(import_validation_errors or {})
        try:
            instance.clean_fields(exclude=[*Connector.SECRET_FIELDS, *errors])
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class SyncFlowResource(resources.ModelResource):
    """One row per flow, with its mapping rows and value maps as JSON columns."""

    # A text field: spreadsheets give an empty cell back as None, which must become "".
    description = fields.Field(
        attribute="description", column_name="description", widget=widgets.CharWidget()
    )
    source_connector = _slug_field("source_connector", Connector)
    target_connector = _slug_field("target_connector", Connector)
    match_keys = _json_field("match_keys")
    post_actions = _json_field("post_actions")
    source_filter = _json_field("source_filter")
    options = _json_field("options", dict)
    depends_on = fields.Field(column_name="depends_on")
    mappings = fields.Field(column_name="mappings")
    value_maps = fields.Field(column_name="value_maps")

    class Meta:
        model = SyncFlow
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "description",
            "source_connector",
            "source_object",
            "target_connector",
            "target_object",
            "operation",
            "match_keys",
            "post_actions",
            "source_filter",
            "schedule_minutes",
            "schedule_cron",
            "batch_size",
            "enabled",
            "options",
            "depends_on",
            "mappings",
            "value_maps",
        )
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    # --- export ---------------------------------------------------------------------

    def dehydrate_depends_on(self, flow):
        if flow.pk is None:
            return ""
        return ",".join(sorted(flow.depends_on.values_list("slug", flat=True)))

    def dehydrate_mappings(self, flow):
        return _dump(snapshot_rows(flow) if flow.pk else [])

    def dehydrate_value_maps(self, flow):
        rows = snapshot_rows(flow) if flow.pk else []
        return _dump(flow_config.export_value_maps(flow_config.value_map_slugs(rows)))

    # --- import ---------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self._slugs_in_file = (
            {str(slug).strip() for slug in dataset["slug"]} if "slug" in dataset.headers else set()
        )
        self._dependencies = {}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        instance._bundle = self._read_bundle(row, errors)
        if errors:
            raise ValidationError(errors)

    def _read_bundle(self, row, errors):
        bundle = {"rows": [], "value_maps": [], "depends_on": []}
        readers = {
            "mappings": ("rows", lambda cell: flow_config.normalise_rows(_parse_json(cell))),
            "value_maps": ("value_maps", lambda cell: flow_config.normalise_value_maps(_parse_json(cell))),
            "depends_on": ("depends_on", _slugs),
        }
        for column, (key, read) in readers.items():
            try:
                bundle[key] = read(row.get(column))
            except (ValueError, ValidationError) as exc:
                errors[column] = ValidationError(_messages(exc))
        return bundle

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        bundle = getattr(instance, "_bundle", None)
        if bundle is not None:
            errors.update(self._bundle_errors(instance, bundle))
        super().validate_instance(instance, errors, validate_unique)

    def _bundle_errors(self, instance, bundle):
        errors = {}
        problems = mapping_errors(bundle["rows"])
        if problems:
            errors["mappings"] = ValidationError(
                [
                    _("row %(number)s, %(field)s: %(message)s") % {"number": n, "field": f, "message": m}
                    for n, fields_ in sorted(problems.items())
                    for f, messages in fields_.items()
                    for m in messages
                ]
            )
        elif instance.source_connector_id and instance.target_connector_id:
            unfit = mapping_checks.import_messages(instance, bundle["rows"])  # the systems' metadata
            if unfit:
                errors["mappings"] = ValidationError(unfit)
        missing = self._missing_value_maps(bundle)
        if missing:
            errors["value_maps"] = ValidationError(
                _("The mappings use value maps that are neither in the file nor installed: %(slugs)s."),
                params={"slugs": ", ".join(missing)},
            )
        unknown = [s for s in bundle["depends_on"] if s not in self._slugs_in_file and not _flow_exists(s)]
        if unknown or instance.slug in bundle["depends_on"]:
            errors["depends_on"] = ValidationError(
                _("Depends on unknown flows or on itself: %(slugs)s."),
                params={"slugs": ", ".join(unknown or [instance.slug])},
            )
        return errors

    def _missing_value_maps(self, bundle):
        in_file = {value_map["slug"] for value_map in bundle["value_maps"]}
        used = set(flow_config.value_map_slugs(bundle["rows"]))
        installed = set(ValueMap.objects.filter(slug__in=used - in_file).values_list("slug", flat=True))
        return sorted(used - in_file - installed)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors) or original.pk is None:
            return False
        bundle = instance._bundle
        current = {
            "rows": snapshot_rows(original),
            "value_maps": flow_config.export_value_maps([m["slug"] for m in bundle["value_maps"]]),
            "depends_on": sorted(original.depends_on.values_list("slug", flat=True)),
        }
        return current == {**bundle, "depends_on": sorted(bundle["depends_on"])}

    def after_save_instance(self, instance, row, **kwargs):
        bundle = instance._bundle
        flow_config.apply_value_maps(bundle["value_maps"])
        flow_config.replace_mappings(instance, bundle["rows"])
        record_mapping_version(instance, user=kwargs.get("user"))
        self._dependencies[instance.pk] = bundle["depends_on"]

    def after_import(self, dataset, result, **kwargs):
        # Dependencies are set last: a flow may depend on one further down the file.
        flows = SyncFlow.objects.in_bulk(list(self._dependencies))
        for pk, slugs in self._dependencies.items():
            flows[pk].depends_on.set(SyncFlow.objects.filter(slug__in=slugs))


class ValueMapEntryResource(resources.ModelResource):
    """Value maps one entry per row, so a long map fits any spreadsheet."""

    value_map = _slug_field("value_map", ValueMap)
    value_map_name = fields.Field(attribute="value_map__name", column_name="value_map_name", readonly=True)

    class Meta:
        model = ValueMapEntry
        import_id_fields = ("value_map", "source_value")
        fields = ("value_map", "value_map_name", "source_value", "target_value", "note")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    def before_import_row(self, row, **kwargs):
        # A map named in the file but not installed yet is created with the file's name.
        slug = str(row.get("value_map") or "").strip()
        if slug and not ValueMap.objects.filter(slug=slug).exists():
            ValueMap.objects.create(slug=slug, name=row.get("value_map_name") or slug)

    def get_queryset(self):
        return super().get_queryset().select_related("value_map")


class SyncRunResource(resources.ModelResource):
    flow = _slug_field("flow", SyncFlow)
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
    flow = _slug_field("flow", SyncFlow)

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
    source_connector = _slug_field("source_connector", Connector)
    target_connector = _slug_field("target_connector", Connector)
    flow = _slug_field("flow", SyncFlow)

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


def _dump(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _parse_json(value):
    return JSONValueWidget(list).clean(value)


def _slugs(value):
    """``depends_on`` cells: comma-separated slugs (or a JSON list when the file is JSON)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(slug).strip() for slug in items if str(slug).strip()]


def _messages(exc):
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def _flow_exists(slug):
    return SyncFlow.objects.filter(slug=slug).exists()
