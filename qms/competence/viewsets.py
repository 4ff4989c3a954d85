"""Wagtail admin: the "Competence" menu (requirements, training records, the matrix)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import HeaderButton

from qms.competence import forms, services, views
from qms.competence.models import CompetenceRequirement, TrainingRecord
from qms.core.text import person_name
from qms.core.viewsets import (
    PermissionViewSet,
    QmsModelViewSet,
    SafeIndexView,
    ScopedIndexView,
    ServiceFormMixin,
    date_column,
)


class RequirementViewSet(QmsModelViewSet):
    """What each role must have shown (ISO 9001 7.2): a district-wide catalogue."""

    model = CompetenceRequirement
    name = "competencerequirements"
    icon = "tasks"
    menu_label = _("Competence requirements")
    index_view_class = SafeIndexView
    list_display = ["name", "code", "kind", "validity_months"]
    search_fields = ["name", "code"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("validity_months")]),
            FieldPanel("roles"),
            FieldPanel("description"),
        ],
        base_form_class=forms.RequirementForm,
    )


class TrainingRecordSaveMixin(ServiceFormMixin):
    """The record is saved by `services.training_record_save` (expiry, checks, history)."""

    def save_instance(self):
        return services.training_record_save(
            record=self.form.save(commit=False), requirements=self.form.cleaned_data["requirements"], by=self.request.user,
        )


class RecordCreateView(TrainingRecordSaveMixin, CreateView):
    pass


class RecordEditView(TrainingRecordSaveMixin, EditView):
    pass


def record_person(record):
    return person_name(record.person)


record_person.short_description = _("Person")


def record_state(record):
    if record.withdrawn_on:
        return format_html('<span class="w-status w-status--label">{}</span>', _("withdrawn"))
    return ""


record_state.short_description = _("Status")


class RecordIndexView(ScopedIndexView):
    select_related = ("person", "unit")

    @cached_property
    def header_buttons(self):
        return [*super().header_buttons, HeaderButton(_("Competence matrix"), url=reverse("competencematrix:index"), icon_name="table")]


class RecordInspectView(InspectView):
    def get_certificate_display_value(self):
        if not self.object.certificate:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("trainingrecords:certificate", args=[self.object.pk]), self.object.certificate_name)

    def get_person_display_value(self):
        return person_name(self.object.person)

    def get_requirements_display_value(self):
        return ", ".join(r.name for r in self.object.requirements.all()) or "–"

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if not self.object.withdrawn_on and self.request.user.has_perm("competence.change_trainingrecord"):
            buttons.append(HeaderButton(_("Withdraw"), url=reverse("trainingrecords:withdraw", args=[self.object.pk]), icon_name="cross"))
        return buttons


class TrainingRecordViewSet(QmsModelViewSet):
    """Training records per person (course, provider, certificate and its file, expiry); kept, never deleted."""

    model = TrainingRecord
    name = "trainingrecords"
    icon = "doc-full"
    menu_label = _("Training records")
    index_view_class = RecordIndexView
    add_view_class = RecordCreateView
    edit_view_class = RecordEditView
    inspect_view_class = RecordInspectView
    inspect_view_enabled = True
    list_display = [
        "course", Column("person", label=_("Person"), accessor=record_person), "unit",
        date_column(TrainingRecord, "completed_on"), date_column(TrainingRecord, "expires_on"),
        Column("state", label=_("Status"), accessor=record_state),
    ]
    list_filter = ["unit", "requirements"]
    search_fields = ["course", "provider", "certificate_number", "person__first_name", "person__last_name"]
    list_export = ["person", "unit", "course", "provider", "completed_on", "certificate_number", "expires_on", "withdrawn_on"]
    export_filename = "ho-so-dao-tao"
    inspect_view_fields = [
        "person", "unit", "course", "provider", "completed_on", "certificate_number", "certificate", "expires_on",
        "requirements", "withdrawn_on", "withdrawal_reason", "recorded_by",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("person"), FieldPanel("unit")]),
            FieldRowPanel([FieldPanel("course"), FieldPanel("provider")]),
            FieldRowPanel([FieldPanel("completed_on"), FieldPanel("expires_on")]),
            MultiFieldPanel([FieldRowPanel([FieldPanel("certificate_number"), FieldPanel("certificate")])], heading=_("Certificate")),
            FieldPanel("requirements"),
        ],
        base_form_class=forms.TrainingRecordForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("certificate/<int:pk>/", views.CertificateView.as_view(), name="certificate"),
            path("withdraw/<int:pk>/", views.WithdrawView.as_view(), name="withdraw"),
        ]


class MatrixViewSet(PermissionViewSet):
    name = "competencematrix"
    icon = "table"
    menu_label = _("Competence matrix")
    permission = "competence.view_trainingrecord"

    def get_urlpatterns(self):
        return [path("", views.MatrixView.as_view(), name="index")]


class CompetenceGroup(ViewSetGroup):
    menu_label = _("Competence")
    menu_icon = "user"
    menu_order = 550
    items = (MatrixViewSet, TrainingRecordViewSet, RequirementViewSet)
