"""Flow configurations by natural keys: connectors (without secrets), flows with their mappings, value maps.

A flow row carries its mapping rows and the value maps they use as JSON columns, so one file
moves a configuration from a test installation to production.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from syncjobs.mapping import mapping_errors, value_map_slugs
from syncjobs.models import Connector, SyncFlow, ValueMap, ValueMapEntry
from syncjobs.models.flow import confirmed_unlisted, record_mapping_version, snapshot_rows
from syncjobs.resources.base import (
    HubResource,
    cell_text,
    dump_json,
    error_messages,
    json_field,
    may_change,
    parse_json,
    slug_field,
)
from syncjobs.services import flow_config, mapping_checks


class ConnectorResource(HubResource):
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
        use_transactions = False

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Field checks only: secrets are never in the file, so the model's "credential
        # required" rule would refuse every new connector; the admin form asks for them.
        errors = {**(import_validation_errors or {}), **self.permission_errors(instance)}
        try:
            instance.clean_fields(exclude=[*Connector.SECRET_FIELDS, *errors])
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class SyncFlowResource(HubResource):
    """One row per flow, with its mapping rows and value maps as JSON columns.

    Mapping rows are checked against both systems' metadata as the editor's save checks them
    (``mapping_checks.check_imported_rows``); a row confirmed as "not in the metadata" carries
    ``"not_in_metadata": true``. ``check_metadata=False`` leaves that check out, for the
    product's own scenario bundle, which a test checks against the sandboxes' metadata.
    """

    # A text field: spreadsheets give an empty cell back as None, which must become "".
    description = fields.Field(
        attribute="description", column_name="description", widget=widgets.CharWidget()
    )
    source_connector = slug_field("source_connector", Connector)
    target_connector = slug_field("target_connector", Connector)
    match_keys = json_field("match_keys")
    post_actions = json_field("post_actions")
    source_filter = json_field("source_filter")
    options = json_field("options", dict)
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
        use_transactions = False
        clean_model_instances = True

    def __init__(self, check_metadata=True, **kwargs):
        super().__init__(**kwargs)
        self.check_metadata = check_metadata

    # --- export ---------------------------------------------------------------------

    # A flow being imported carries the file's bundle: the preview shows it, as nothing is written yet.

    def dehydrate_depends_on(self, flow):
        bundle = getattr(flow, "_bundle", None)
        if bundle is not None:
            return ",".join(sorted(bundle["depends_on"]))
        if flow.pk is None:
            return ""
        return ",".join(sorted(flow.depends_on.values_list("slug", flat=True)))

    def dehydrate_mappings(self, flow):
        bundle = getattr(flow, "_bundle", None)
        if bundle is not None:
            return dump_json(flow_config.marked_rows(bundle["rows"], bundle["confirmed"]))
        if flow.pk is None:
            return dump_json([])
        return dump_json(flow_config.marked_rows(snapshot_rows(flow), confirmed_unlisted(flow)))

    def dehydrate_value_maps(self, flow):
        bundle = getattr(flow, "_bundle", None)
        if bundle is not None:
            return dump_json(bundle["value_maps"])
        rows = snapshot_rows(flow) if flow.pk else []
        return dump_json(flow_config.export_value_maps(value_map_slugs(rows)))

    # --- import ---------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, **kwargs):
        # A flow file goes in whole or not at all: it is checked first and written only when
        # every row passes, so a row refused on the way leaves no flow of the file changed.
        # Rows are still written in short transactions of their own (see ``HubResource``);
        # the second pass reads the metadata the first one kept.
        if not dry_run:
            checked = super().import_data(dataset, dry_run=True, **kwargs)
            if checked.has_errors() or checked.has_validation_errors():
                return checked
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
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
        bundle = {"rows": [], "confirmed": [], "unlisted": [], "value_maps": [], "depends_on": []}
        readers = {  # column: (the bundle's keys, what reads the cell into them)
            "mappings": (("rows", "confirmed"), lambda cell: flow_config.read_file_rows(parse_json(cell))),
            "value_maps": (
                ("value_maps",),
                lambda cell: [flow_config.normalise_value_maps(parse_json(cell))],
            ),
            "depends_on": (("depends_on",), lambda cell: [_slugs(cell)]),
        }
        for column, (keys, read) in readers.items():
            try:
                bundle.update(zip(keys, read(row.get(column)), strict=True))
            except (ValueError, ValidationError) as exc:
                errors[column] = ValidationError(error_messages(exc))
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
        elif self.check_metadata and instance.source_connector_id and instance.target_connector_id:
            check = mapping_checks.check_imported_rows(instance, bundle["rows"], bundle["confirmed"])
            bundle["unlisted"] = check.unlisted  # for the version to record
            if not check.ok:
                errors["mappings"] = ValidationError(check.messages())
        missing = self._missing_value_maps(bundle)
        if missing:
            errors["value_maps"] = ValidationError(
                _("The mappings use value maps that are neither in the file nor installed: %(slugs)s."),
                params={"slugs": ", ".join(missing)},
            )
        changed = self._changed_value_maps(bundle)
        if changed and not may_change(getattr(self, "_user", None), ValueMap):
            errors["value_maps"] = ValidationError(
                _(
                    "The file changes value maps that exist already (%(slugs)s), and you may not change value maps."
                ),
                params={"slugs": ", ".join(changed)},
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
        used = value_map_slugs(bundle["rows"])
        installed = set(ValueMap.objects.filter(slug__in=used - in_file).values_list("slug", flat=True))
        return sorted(used - in_file - installed)

    def _changed_value_maps(self, bundle):
        installed = flow_config.export_value_maps([value_map["slug"] for value_map in bundle["value_maps"]])
        installed = {value_map["slug"]: _comparable(value_map) for value_map in installed}
        return sorted(
            value_map["slug"]
            for value_map in bundle["value_maps"]
            if value_map["slug"] in installed and installed[value_map["slug"]] != _comparable(value_map)
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors) or original.pk is None:
            return False
        bundle = instance._bundle
        current = {
            "rows": snapshot_rows(original),
            "value_maps": flow_config.export_value_maps([m["slug"] for m in bundle["value_maps"]]),
            "depends_on": sorted(original.depends_on.values_list("slug", flat=True)),
            "confirmed": sorted(confirmed_unlisted(original)),
        }
        return current == {
            "rows": bundle["rows"],
            "value_maps": bundle["value_maps"],
            "depends_on": sorted(bundle["depends_on"]),
            "confirmed": sorted(bundle["confirmed"]),
        }

    def after_save_instance(self, instance, row, **kwargs):
        if self._dry_run:
            return
        bundle = instance._bundle
        flow_config.apply_value_maps(bundle["value_maps"])
        flow_config.replace_mappings(instance, bundle["rows"])
        record_mapping_version(instance, user=kwargs.get("user"), unlisted_fields=bundle["unlisted"])
        self._dependencies[instance.pk] = bundle["depends_on"]

    def after_import(self, dataset, result, **kwargs):
        # Dependencies are set last: a flow may depend on one further down the file.
        if not self._dependencies:
            return  # a dry run, or nothing saved
        flows = SyncFlow.objects.in_bulk(list(self._dependencies))
        with transaction.atomic():
            for pk, slugs in self._dependencies.items():
                flows[pk].depends_on.set(SyncFlow.objects.filter(slug__in=slugs))


class ValueMapEntryResource(HubResource):
    """Value maps one entry per row, so a long map fits any spreadsheet.

    In a dry run a map the file introduces is checked unsaved (see ``HubResource``).
    """

    value_map = fields.Field(attribute="value_map", column_name="value_map")
    value_map_name = fields.Field(attribute="value_map__name", column_name="value_map_name", readonly=True)

    class Meta:
        model = ValueMapEntry
        import_id_fields = ("value_map", "source_value")
        fields = ("value_map", "value_map_name", "source_value", "target_value", "note")
        skip_unchanged = True
        report_skipped = True
        use_transactions = False
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._maps = {}  # slug -> ValueMap (unsaved in a dry run when the file introduces it)
        self._entries = {}  # slug -> {source value: ValueMapEntry}, loaded once per map
        self.fields["value_map"].widget = _MapBySlugWidget(self._maps)

    def before_import_row(self, row, **kwargs):
        # A map named in the file but not installed yet gets the file's name; saved only for real.
        slug = cell_text(row.get("value_map"))
        if not slug or slug in self._maps:
            return
        value_map = ValueMap.objects.filter(slug=slug).first()
        if value_map is None:
            value_map = ValueMap(slug=slug, name=cell_text(row.get("value_map_name")) or slug)
            if not self._dry_run:
                value_map.save()
        self._maps[slug] = value_map
        # One query per map, not one per row: a 20,000-row file is checked in seconds.
        entries = value_map.entries.all() if value_map.pk else []
        self._entries[slug] = {entry.source_value: entry for entry in entries}

    def get_instance(self, instance_loader, row):
        entries = self._entries.get(cell_text(row.get("value_map")), {})
        return entries.get(cell_text(row.get("source_value")))

    def after_save_instance(self, instance, row, **kwargs):
        # A later row of the same file with the same source value updates this entry.
        self._entries.setdefault(instance.value_map.slug, {})[instance.source_value] = instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {**(import_validation_errors or {}), **self.permission_errors(instance)}
        # The map was looked up by slug (or is new), and an entry is found by its map and source
        # value, so the per-row queries of the map's existence and of uniqueness are left out.
        try:
            instance.full_clean(exclude=[*errors, "value_map"], validate_unique=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def get_queryset(self):
        return super().get_queryset().select_related("value_map")


class _MapBySlugWidget(widgets.Widget):
    """A value map by slug, from the maps the import has looked up (unsaved in a dry run)."""

    def __init__(self, maps):
        super().__init__()
        self.maps = maps

    def clean(self, value, row=None, **kwargs):
        slug = cell_text(value)
        if not slug:
            raise ValueError(_("Name the value map (its slug) in every row."))
        return self.maps[slug]

    def render(self, value, obj=None, **kwargs):
        return value.slug if value is not None else ""


def _slugs(value):
    """``depends_on`` cells: comma-separated slugs (or a JSON list when the file is JSON)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(slug).strip() for slug in items if str(slug).strip()]


def _comparable(value_map):
    return {**value_map, "entries": sorted(value_map["entries"], key=lambda entry: entry["source_value"])}


def _flow_exists(slug):
    return SyncFlow.objects.filter(slug=slug).exists()
