"""Forms of the audit screens. They validate input; the services apply the rules and save."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Page

from audits.models import (
    Audit,
    AuditProgramme,
    CauseCategory,
    ChecklistItem,
    FindingKind,
    NcSeverity,
    NcSource,
    Nonconformity,
    QuestionBankItem,
)
from audits.services import team_errors
from qms.core import widgets
from qms.core.files import validate_storage_room, validate_upload_size
from qms.core.models import IsoClause, Unit
from qms.core.pagescope import pages_allowed
from qms.core.roles import Role

#: dd/mm/yyyy as officials write it (the admin's date picker too); ISO dates also accepted. Django's
#: defaults would read 10/05/2024 as 5 October.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

MSG_FILE_TYPE = _("This file type is not accepted: use %(extensions)s.")


def date_field(label, **kwargs) -> forms.DateField:
    return widgets.date_field(label, input_formats=DATE_INPUT_FORMATS, **kwargs)


def documents_in_scope(user):
    """Controlled documents (pages of the procedures_docs app) of `user`'s units, which can be in an
    audit's scope or named by a nonconformity; another unit's titles and drafts are never offered."""
    return pages_allowed(Page.objects.filter(content_type__app_label="procedures_docs"), user).order_by("title")


def name_documents(field: forms.ModelChoiceField) -> None:
    """Offer the documents of `field` by code, title and owning unit (as the admin names them): the same TTHC
    gives the same title in every commune. The names are read in one query, not one per document."""
    from procedures_docs.models import ControlledDocumentPage

    documents = ControlledDocumentPage.objects.filter(pk__in=field.queryset.values("pk")).select_related("owner_unit")
    names = {document.pk: document.get_admin_display_title() for document in documents}
    field.label_from_instance = lambda page: names.get(page.pk, page.title)


def auditors_queryset():
    return get_user_model().objects.filter(groups__name=Role.AUDITOR.value, is_active=True).order_by("last_name", "first_name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from qms.core.text import person_name

        return person_name(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        from qms.core.text import person_name

        return person_name(obj)


class ClauseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * obj.depth}{obj.number} {obj.title}"


class EvidenceFileField(forms.FileField):
    """An optional evidence file, checked against the documents' allowed extensions and size."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachment"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            validate_evidence_file(upload)
        return upload


def validate_evidence_file(upload) -> None:
    extensions = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
    if extensions and upload.name.rsplit(".", 1)[-1].lower() not in extensions:
        raise ValidationError(MSG_FILE_TYPE, params={"extensions": ", ".join(extensions)})
    validate_upload_size(upload, settings.QMS_MAX_EVIDENCE_UPLOAD)
    validate_storage_room(upload)


# --- Programme and audit plan ------------------------------------------------------------------


class ProgrammeForm(WagtailAdminModelForm):
    units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(), label=_("Units in scope"), widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AuditProgramme
        fields = ["year", "title", "units", "scope", "objectives", "criteria"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        units = Unit.objects.for_user(for_user).exclude(kind__in=["province", "office", "department"])
        self.fields["units"].queryset = units.order_by("-valid_from", "kind", "name")


class AuditPlanForm(WagtailAdminModelForm):
    """The plan of one audit. The team (impartiality, certificates) is checked here (field errors) and again by the service."""

    planned_start = date_field(_("Planned start"))
    planned_end = date_field(_("Planned end"))
    lead_auditor = PersonChoiceField(queryset=get_user_model().objects.none(), label=_("Lead auditor"), required=False)
    auditors = PeopleChoiceField(
        queryset=get_user_model().objects.none(), label=_("Other members of the audit team"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    clauses = ClauseChoiceField(
        queryset=IsoClause.objects.all(), label=_("Clauses in scope"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Choosing a clause includes its sub-clauses in the checklist."),
    )
    documents = forms.ModelMultipleChoiceField(
        queryset=Page.objects.none(), label=_("Documents in scope"), required=False, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Audit
        fields = [
            "programme", "unit", "planned_start", "planned_end", "lead_auditor", "auditors", "team_justification",
            "clauses", "documents", "criteria",
        ]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["programme"].queryset = AuditProgramme.objects.for_user(for_user)
        self.fields["unit"].queryset = Unit.objects.for_user(for_user).exclude(kind__in=["province"]).order_by("-valid_from", "name")
        self.fields["lead_auditor"].queryset = auditors_queryset()
        self.fields["auditors"].queryset = auditors_queryset()
        self.fields["documents"].queryset = documents_in_scope(for_user)
        if getattr(settings, "QMS_UNCERTIFIED_AUDITOR", "refuse") != "justify":
            del self.fields["team_justification"]  # nothing to justify when the rule refuses (docs/competence.md)
        name_documents(self.fields["documents"])
        if not self.instance.pk:
            self.initial.setdefault("clauses", IsoClause.objects.filter(parent__isnull=True))

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        if unit:
            errors = team_errors(
                unit=unit, lead_auditor=cleaned.get("lead_auditor"), auditors=cleaned.get("auditors") or [],
                on=cleaned.get("planned_start"), justification=cleaned.get("team_justification") or "",
            )
            for name, found in errors.items():
                for error in found:
                    self.add_error(name, error)
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The planned end is before the planned start."))
        return cleaned


class QuestionForm(WagtailAdminModelForm):
    class Meta:
        model = QuestionBankItem
        fields = ["clause", "question", "position", "active"]


# --- Audit page --------------------------------------------------------------------------------


class AuditStartForm(forms.Form):
    on = date_field(_("Started on"))


class AuditReportForm(forms.Form):
    on = date_field(_("Ended on"))
    conclusion = forms.CharField(label=_("Conclusion of the audit team"), widget=forms.Textarea(attrs={"rows": 4}))


class AuditCloseForm(forms.Form):
    on = date_field(_("Closed on"))


class FindingForm(forms.Form):
    checklist_item = forms.ModelChoiceField(queryset=ChecklistItem.objects.none(), required=False, label=_("Checklist question"))
    clause = forms.ModelChoiceField(queryset=IsoClause.objects.all(), label=_("Clause"))
    kind = forms.ChoiceField(choices=[("", "---------"), *FindingKind.choices], label=_("Kind"))
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = EvidenceFileField()

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist_item"].queryset = audit.checklist.select_related("clause")
        self.fields["checklist_item"].label_from_instance = lambda item: f"{item.position}. {item.clause.number} – {item.question[:90]}"


# --- Nonconformity page ------------------------------------------------------------------------


class NonconformityOpenForm(WagtailAdminModelForm):
    """A nonconformity from a source other than an audit (audits open theirs from a finding)."""

    source = forms.ChoiceField(choices=[c for c in NcSource.choices if c[0] != NcSource.AUDIT], label=_("Source"))
    detected_on = date_field(_("Detected on"))
    due_on = date_field(_("Corrective action due"), required=False, help_text=_("Empty: 15 days for a major, 30 for a minor one."))

    class Meta:
        model = Nonconformity
        fields = ["unit", "source", "source_reference", "clause", "related_document", "description", "severity", "detected_on", "due_on"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(for_user).exclude(kind="province").order_by("-valid_from", "name")
        self.fields["related_document"].queryset = documents_in_scope(for_user)
        name_documents(self.fields["related_document"])
        self.fields["severity"].initial = NcSeverity.MINOR


class NonconformityEditForm(WagtailAdminModelForm):
    due_on = date_field(_("Corrective action due"))

    class Meta:
        model = Nonconformity
        fields = ["source_reference", "clause", "related_document", "description", "severity", "due_on"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["related_document"].queryset = documents_in_scope(for_user)
        name_documents(self.fields["related_document"])


class CorrectionForm(forms.Form):
    correction = forms.CharField(label=_("Correction (immediate action)"), widget=forms.Textarea(attrs={"rows": 3}))
    on = date_field(_("Done on"))


class AnalysisForm(forms.Form):
    why_1 = forms.CharField(label=_("Why? (1)"), widget=forms.Textarea(attrs={"rows": 2}))
    why_2 = forms.CharField(label=_("Why? (2)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    why_3 = forms.CharField(label=_("Why? (3)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    why_4 = forms.CharField(label=_("Why? (4)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    why_5 = forms.CharField(label=_("Why? (5)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    cause_category = forms.ChoiceField(choices=[("", "---------"), *CauseCategory.choices], label=_("Cause category"))

    def whys(self) -> list[str]:
        return [self.cleaned_data.get(f"why_{n}", "") for n in range(1, 6)]


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Corrective action"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = PersonChoiceField(queryset=get_user_model().objects.none(), label=_("Responsible"))
    due_on = date_field(pgettext_lazy("corrective action", "Due on"))

    def __init__(self, *args, responsible_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_queryset


class ActionDoneForm(forms.Form):
    done_on = date_field(_("Done on"))
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}))
    attachment = EvidenceFileField()


class VerifyForm(forms.Form):
    on = date_field(_("Checked on"))
    effective = forms.TypedChoiceField(
        label=_("Result"), choices=[("1", _("Effective: close the nonconformity")), ("0", _("Not effective: reopen the analysis"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )
    notes = forms.CharField(label=_("What was checked"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    nonconformities = forms.ModelMultipleChoiceField(queryset=Nonconformity.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nonconformities"].queryset = Nonconformity.objects.filter(pk__in=[c.nonconformity.pk for c in candidates])


