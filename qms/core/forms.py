from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from qms.core.files import validate_storage_room, validate_upload_size

MSG_FILE_TYPE = _("Choose a .csv or .xlsx file.")


class ImportFileForm(forms.Form):
    """An uploaded CSV/XLSX file (the TTHC catalogue), optionally only checked."""

    #: The size limit, in bytes (a settings name, read when the form is checked).
    max_size_setting = "QMS_MAX_CATALOGUE_UPLOAD"

    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    dry_run = forms.BooleanField(
        label=_("Only check the file, write nothing"), required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(MSG_FILE_TYPE)
        validate_upload_size(upload, getattr(settings, self.max_size_setting))
        return upload


class LoginForm(WagtailLoginForm):
    """Wagtail's login form leaves the password field without a label, so Django shows the field
    name, "Password", in English whatever the language (settings.WAGTAILADMIN_USER_LOGIN_FORM)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


class StoredFileFormMixin:
    """A media folder that cannot take the file is a form error, not a server error."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            validate_storage_room(upload)
        return upload


class DocumentForm(StoredFileFormMixin, BaseDocumentForm):
    """Wagtail's document forms, single and multiple upload (settings.WAGTAILDOCS_DOCUMENT_FORM_BASE)."""


class ImageForm(StoredFileFormMixin, BaseImageForm):
    """Wagtail's image forms (settings.WAGTAILIMAGES_IMAGE_FORM_BASE)."""


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line, for a message or a form's top (its field is not on the form)."""
    return " ".join(error.messages)
