from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qms.core.files import validate_storage_room, validate_upload_size
from qms.core.forms import MSG_FILE_TYPE


class DossierImportForm(forms.Form):
    """A dossier file to import: all or nothing unless the valid rows are to be kept."""

    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    keep_valid = forms.BooleanField(
        label=_("Keep the valid rows (write them even if other rows have errors)"), required=False,
    )
    dry_run = forms.BooleanField(label=_("Only check the file, write nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(MSG_FILE_TYPE)
        validate_upload_size(upload, settings.QMS_MAX_IMPORT_UPLOAD)
        validate_storage_room(upload)  # the file is kept with its batch
        return upload
