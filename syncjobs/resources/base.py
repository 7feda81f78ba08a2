"""What every hub resource shares: JSON and slug cells, strict readers, permissions, short transactions."""

import json

from django.contrib.auth import get_permission_codename
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from syncjobs.resources.cells import STRICT_WIDGETS, SlugWidget


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


def json_field(name, empty_factory=list):
    """A column ``name`` holding JSON (see ``JSONValueWidget``)."""
    return fields.Field(attribute=name, column_name=name, widget=JSONValueWidget(empty_factory))


def slug_field(name, model):
    """A column ``name`` naming a ``model`` object by its slug."""
    return fields.Field(attribute=name, column_name=name, widget=SlugWidget(model))


def may_change(user, model):
    """Whether ``user`` may change existing ``model`` objects; no user (a script, a test) may."""
    if user is None:
        return True
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")


class HubResource(resources.ModelResource):
    """Strict cell readers; a row that would change an existing object needs *change*; no long transaction.

    The admin lets anyone with *add* import; without the permission check, such a user could
    rewrite every flow and value map by importing a file that names them.

    No transaction spans the import. SQLite's transactions here take the write lock when they
    begin (``transaction_mode`` IMMEDIATE), so the library's dry run inside one held it for as
    long as a 20,000-row file took to check, and the workers' writes failed with "database is
    locked". The dry run writes nothing (the library skips ``save()`` without a transaction;
    the resources' own writes check ``self._dry_run``), and the confirmed import saves each row
    in its own short transaction. Importing the same file again skips the rows already saved.
    """

    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, **STRICT_WIDGETS}
    _dry_run = False

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # The library would wrap a dry run in one transaction to roll it back; this one writes nothing.
        self._dry_run = dry_run
        kwargs.pop("rollback_on_validation_errors", None)
        collect_failed_rows = kwargs.pop("collect_failed_rows", False)
        return self.import_data_inner(dataset, dry_run, raise_errors, False, collect_failed_rows, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        if kwargs.get("dry_run"):
            return super().import_row(row, instance_loader, **kwargs)
        with transaction.atomic():
            row_result = super().import_row(row, instance_loader, **kwargs)
            if row_result.errors:
                # The library catches a row's exception; what the row wrote before it is undone.
                transaction.set_rollback(True)
            return row_result

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")

    def permission_errors(self, instance):
        """``{NON_FIELD_ERRORS: ...}`` when ``instance`` exists and the importing user may not change it."""
        model = type(instance)
        if instance.pk is None or may_change(getattr(self, "_user", None), model):
            return {}
        return {
            NON_FIELD_ERRORS: ValidationError(
                _("“%(object)s” exists already, and you may add %(models)s but not change them."),
                params={"object": instance, "models": model._meta.verbose_name_plural},
            )
        }

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {**(import_validation_errors or {}), **self.permission_errors(instance)}
        super().validate_instance(instance, errors, validate_unique)


def dump_json(value):
    """``value`` as the JSON text a cell holds (stable key order, Chinese kept readable)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def parse_json(value):
    """A JSON cell's value (a list when empty); ``ValueError`` naming the fault otherwise."""
    return JSONValueWidget(list).clean(value)


def error_messages(exc):
    """The messages of a ``ValidationError`` or any other exception, as a list."""
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def cell_text(value):
    """A cell as stripped text, empty for an empty cell."""
    return "" if value is None else str(value).strip()
