"""The base of every audit export: what the screen shows, in the user's language.

Headers are the model fields' verbose names (translated when the file is made), choices are
exported as their labels, related rows by their names, and the dataset is titled with the model's
plural name (the workbook's sheet). The formats in ``formats`` turn these native values into cells.
"""

from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.text import capfirst
from import_export import fields, resources, widgets


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


header = lazy(_label, str)


class ChoiceLabelWidget(widgets.Widget):
    """A choice field's label in the active language (``schedule`` → 定时)."""

    def __init__(self, choices):
        super().__init__()
        self.labels = dict(choices)

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        return str(self.labels.get(value, value))


def shown(model, name, attribute):
    """A column headed like the model field ``name`` showing ``attribute`` (e.g. ``flow__name``)."""
    return fields.Field(attribute=attribute, column_name=header(model, name), readonly=True)


class AuditResource(resources.ModelResource):
    """A read-only export for people; subclasses list ``select_related`` for their shown names,
    and in ``also_loads`` the columns a shown value is made from besides its own."""

    select_related = ()
    also_loads = ()

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = header(django_field.model, field_name)
        if django_field.choices:
            field.widget = ChoiceLabelWidget(django_field.flatchoices)
        return field

    def filter_export(self, queryset, **kwargs):
        if not isinstance(queryset, QuerySet):  # rows already read (a background export's)
            return queryset
        # The admin hands over its changelist's queryset: join what the rows name, once, and load
        # only the exported columns (not payloads, snapshots or a connector's encrypted secrets).
        columns = [self._column(field.attribute) for field in self.get_export_fields()]
        return queryset.select_related(*self.select_related).only(*columns, *self.also_loads)

    def _column(self, attribute):
        if "__" in attribute:
            return attribute
        return self._meta.model._meta.get_field(attribute).name  # run_id → run

    def get_queryset(self):
        return super().get_queryset().select_related(*self.select_related)

    def before_export(self, queryset, **kwargs):
        # Each column's exporter is found once, not for every cell: the library looks the field
        # list, the field's name and its dehydrate method up again per cell, which at 15,000 rows
        # is a third of the export's time.
        self._exporters = [
            self._exporter(field) for field in self.get_export_fields(kwargs.get("export_fields"))
        ]

    def _exporter(self, field):
        method = getattr(self, field.get_dehydrate_method(self.get_field_name(field)), None)
        if method is None:
            return field.export
        return lambda instance, **kwargs: method(instance)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        exporters = getattr(self, "_exporters", None)
        if exporters is None:  # called outside export()
            return super().export_resource(instance, selected_fields, **kwargs)
        return [export(instance, **kwargs) for export in exporters]

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        dataset.title = str(capfirst(self._meta.model._meta.verbose_name_plural))
        return dataset
