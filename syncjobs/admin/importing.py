"""The admin's import pages: limits stated on the form, files it cannot read explained plainly.

Changing existing objects by import needs the *change* permission; the resources check it row
by row (``syncjobs.resources.base.HubResource``), since only they know which rows change something.
"""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from syncjobs.import_limits import LimitedCSV, LimitedJSON, LimitedXLSX, TooManyRowsError, import_limits

IMPORT_FORMATS = [LimitedJSON, LimitedCSV, LimitedXLSX]


class LimitedImportForm(ImportForm):
    """The upload step, saying how large a file may be and refusing a larger one before reading it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits = import_limits()
        self.fields["import_file"].help_text = _(
            "At most %(size)s and %(rows)s rows. Text files (CSV, JSON) must be saved as UTF-8."
        ) % {"size": filesizeformat(limits.max_bytes), "rows": f"{limits.max_rows:,}"}

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = import_limits().max_bytes
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(limit)s can be imported. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


def read_failure_message(error):
    """One sentence on why an uploaded file could not be read, and what to do about it."""
    if isinstance(error, UnicodeDecodeError):
        return _(
            "The file is not UTF-8 text (it may be GBK). Save it as UTF-8 — in Excel “CSV UTF-8” — "
            "and import it again."
        )
    if isinstance(error, TooManyRowsError):
        return _("The file has more than %(limit)s rows. Split it into smaller files.") % {
            "limit": f"{error.limit:,}"
        }
    return _(
        "The file could not be read as the format chosen (%(error)s). Check the format, or export a "
        "file from this page to see the expected layout."
    ) % {"error": type(error).__name__}


class HubImportExportMixin(ImportExportMixin):
    """Import and export with the hub's limits, formats and messages."""

    import_form_class = LimitedImportForm
    import_formats = IMPORT_FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error("import_file", read_failure_message(e))
