"""Cell readers for imports that refuse what they cannot read, in words a person understands.

django-import-export's own widgets answer ``abc`` in a number cell with
``[<class 'decimal.ConversionSyntax'>]``, an unknown slug with ``Connector matching query does
not exist.`` and read ``maybe`` in a yes/no cell as "no". These say what the cell holds and what
to write instead.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from import_export import widgets

# Spreadsheet and JSON spellings of yes and no; anything else is refused, never read as "no".
TRUE_WORDS = {"1", "true", "yes", "y", "是", "真"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "假"}


class StrictIntegerWidget(widgets.IntegerWidget):
    """A whole number, or empty; ``abc`` or ``2.5`` is refused naming the value."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(number)


class StrictBooleanWidget(widgets.BooleanWidget):
    """Yes or no (TRUE/FALSE, 1/0, yes/no, 是/否), or empty; anything else is refused."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(_("“%(value)s” is neither yes nor no: write TRUE or FALSE.") % {"value": value})


class SlugWidget(widgets.ForeignKeyWidget):
    """A related object by its slug; an unknown slug is named, with what to do about it."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _(
                    "There is no %(model)s with the slug “%(slug)s”: correct it, or import that %(model)s first."
                )
                % {"model": self.model._meta.verbose_name, "slug": value}
            ) from None


# The model field types whose import-export widgets are replaced by the strict ones above.
STRICT_WIDGETS = {
    **{
        name: StrictIntegerWidget
        for name in (
            "IntegerField",
            "PositiveIntegerField",
            "BigIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
            "SmallIntegerField",
        )
    },
    "BooleanField": StrictBooleanWidget,
    "NullBooleanField": StrictBooleanWidget,
}
