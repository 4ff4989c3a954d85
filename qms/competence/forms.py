"""Admin forms of the competence screens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from qms.competence.models import CompetenceRequirement, RequirementKind, TrainingRecord
from qms.core.files import validate_storage_room, validate_upload_size
from qms.core.models import people_in_scope
from qms.core.roles import Role
from qms.core.text import person_name
from qms.core.widgets import date_field

MSG_FILE_TYPE = _("Upload the certificate as one of: %(extensions)s.")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class RequirementForm(WagtailAdminModelForm):
    roles = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Required of roles"), required=False, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CompetenceRequirement
        fields = ["code", "name", "kind", "validity_months", "roles", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth.models import Group

        self.fields["roles"].queryset = Group.objects.filter(name__in=[role.value for role in Role]).order_by("name")


class TrainingRecordForm(WagtailAdminModelForm):
    """A training record; the person is chosen among the people of the user's units."""

    person = PersonChoiceField(queryset=get_user_model().objects.none(), label=_("Person"))
    completed_on = date_field(_("Completed on"))
    expires_on = date_field(_("Valid until"), required=False)
    requirements = forms.ModelMultipleChoiceField(
        queryset=CompetenceRequirement.objects.filter(kind=RequirementKind.TRAINING),
        label=_("Requirements met"), widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TrainingRecord
        fields = ["person", "unit", "course", "provider", "completed_on", "certificate_number", "certificate",
                  "expires_on", "requirements"]
        # No "clear" box (a record's certificate is kept) and no link to the media path (never published:
        # the record's page links to the checked download instead).
        widgets = {"certificate": forms.FileInput}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["person"].queryset = people_in_scope(for_user)
        self.fields["expires_on"].help_text = TrainingRecord._meta.get_field("expires_on").help_text

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if isinstance(upload, UploadedFile):  # not the file already stored with the record
            extensions = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
            if extensions and upload.name.rsplit(".", 1)[-1].lower() not in extensions:
                raise ValidationError(MSG_FILE_TYPE, params={"extensions": ", ".join(extensions)})
            validate_upload_size(upload, settings.QMS_MAX_EVIDENCE_UPLOAD)
            validate_storage_room(upload)
        return upload


class WithdrawForm(forms.Form):
    on = date_field(_("Withdrawn on"))
    reason = forms.CharField(label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 3}))
