"""
Wagtail admin screens of internal audits, grouped under "Internal audits" (menu order 300).
Lists are scoped to the user's units, filtered and exported; a record opens on its own page
(the audit page, the nonconformity page); "History" is the field-level timeline.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem as ButtonItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton

from audits import filters, forms, permissions, selectors, services, views
from audits.models import (
    Audit,
    AuditProgramme,
    AuditStatus,
    CorrectiveAction,
    Finding,
    Nonconformity,
    QuestionBankItem,
)
from qms.core.params import parse_int
from qms.core.text import person_name
from qms.core.viewsets import QmsModelViewSet, SafeIndexView, ServiceFormMixin, date_column
from qms.core.viewsets import ScopedIndexView as CoreScopedIndexView

# --- Shared pieces -----------------------------------------------------------------------------


def short_text(name: str, label, length: int = 90) -> Column:
    return Column(name, label=label, accessor=lambda obj: Truncator(getattr(obj, name)).chars(length))



class ScopedIndexView(CoreScopedIndexView):
    """A list of the records of the user's units only, whose titles link to each record's own page."""

    #: URL name of the record's own page (the title links there); None keeps Wagtail's edit link.
    page_url_name = None
    #: Per-record check for the "Edit" action (the page is for everyone who sees the record).
    can_edit = staticmethod(lambda user, obj: False)
    #: The viewset's timeline (History) URL name, for the row's menu.
    history_url_name = None

    def page_url(self, instance):
        return reverse(self.page_url_name, args=[instance.pk])

    def get_edit_url(self, instance):
        if self.page_url_name:
            return self.page_url(instance)
        return super().get_edit_url(instance)

    def get_list_more_buttons(self, instance):
        if not self.page_url_name:
            return super().get_list_more_buttons(instance)
        buttons = [ButtonItem(_("Open the page"), url=self.page_url(instance), icon_name="arrow-right", priority=10)]
        if self.edit_url_name and self.can_edit(self.request.user, instance):
            buttons.append(ButtonItem(_("Edit"), url=reverse(self.edit_url_name, args=[instance.pk]), icon_name="edit", priority=20))
        if self.history_url_name:
            buttons.append(ButtonItem(_("History"), url=reverse(self.history_url_name, args=[instance.pk]), icon_name="history", priority=30))
        return buttons


class ScopedObjectMixin:
    """Edit and delete views find the record among the user's only (another unit's is a 404), then
    ask `allowed(user, obj)` (a 403 when it says no)."""

    allowed = staticmethod(lambda user, obj: True)

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.allowed(self.request.user, obj):
            raise PermissionDenied
        return obj


class TimelineModelViewSet(QmsModelViewSet):
    """A model viewset whose "History" is the simple-history timeline, not Wagtail's log."""

    #: Generic views offered besides the list; records made elsewhere (findings, actions) offer none.
    generic_views = ("add", "edit", "delete")
    #: selectors.timeline_for_… function of the History view.
    timeline = None
    #: Wagtail builds a form for every viewset; lists without add/edit never serve it.
    form_fields = []

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete"):
            if name not in self.generic_views:
                view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def extra_urlpatterns(self):
        return []

    def get_index_view_kwargs(self, **kwargs):
        if hasattr(self.index_view_class, "history_url_name"):
            kwargs.setdefault("history_url_name", self.get_url_name("history"))
        return super().get_index_view_kwargs(**kwargs)

    def get_urlpatterns(self):
        dropped = {"history", "history_results", *({"add", "edit", "delete"} - set(self.generic_views))}
        timeline = views.TimelineView.as_view(
            model=self.model, selector=type(self).timeline, index_url_name=self.get_url_name("index"),
            index_label=self.model._meta.verbose_name_plural,
        )
        return [
            *(p for p in super().get_urlpatterns() if p.name not in dropped),
            path("history/<int:pk>/", timeline, name="history"),
            *self.extra_urlpatterns(),
        ]


# --- Programmes --------------------------------------------------------------------------------


class ProgrammeIndexView(ScopedIndexView):
    page_url_name = "audit_programmes:page"
    can_edit = staticmethod(permissions.can_edit_programme)
    select_related = ("approved_by",)


class ProgrammeCreateView(ServiceFormMixin, CreateView):
    def save_instance(self):
        return services.programme_save(programme=self.form.save(commit=False), units=self.form.cleaned_data["units"], by=self.request.user)

    def get_success_url(self):
        return reverse("audit_programmes:page", args=[self.object.pk])


class ProgrammeEditView(ServiceFormMixin, ScopedObjectMixin, EditView):
    allowed = staticmethod(permissions.can_edit_programme)

    def save_instance(self):
        return services.programme_save(programme=self.form.save(commit=False), units=self.form.cleaned_data["units"], by=self.request.user)

    def get_success_url(self):
        return reverse("audit_programmes:page", args=[self.object.pk])


class ProgrammeDeleteView(ScopedObjectMixin, DeleteView):
    """Only a draft that plans no audit yet; an approved programme is history."""

    allowed = staticmethod(lambda user, p: permissions.can_edit_programme(user, p) and not p.audits.exists())


def approval(programme):
    if not programme.approved_by_id:
        return ""
    return f"{person_name(programme.approved_by)}, {timezone.localtime(programme.approved_at):%d/%m/%Y}"


approval.short_description = _("Approved by")


class AuditProgrammeViewSet(TimelineModelViewSet):
    """Audit programmes by year: drafted by the quality officer, approved by a leader, copied a year on."""

    model = AuditProgramme
    name = "audit_programmes"
    icon = "calendar-alt"
    menu_label = _("Audit programmes")
    index_view_class = ProgrammeIndexView
    add_view_class = ProgrammeCreateView
    edit_view_class = ProgrammeEditView
    delete_view_class = ProgrammeDeleteView
    timeline = staticmethod(selectors.timeline_for_programme)
    #: Year first: a district keeps one programme a year.
    list_display = ["title", "year", "status", Column("approval", label=_("Approved by"), accessor=approval)]
    filterset_class = filters.ProgrammeFilterSet
    list_export = ["year", "title", "status", "scope", "objectives", "criteria", "approved_at"]
    export_filename = "chuong-trinh-danh-gia"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("year"), FieldPanel("title")]),
            FieldPanel("units"),
            FieldPanel("scope"),
            FieldPanel("objectives"),
            FieldPanel("criteria"),
        ],
        base_form_class=forms.ProgrammeForm,
    )

    def extra_urlpatterns(self):
        return [
            path("page/<int:pk>/", views.ProgrammePageView.as_view(), name="page"),
            path("approve/<int:pk>/", views.ProgrammeApproveView.as_view(), name="approve"),
            path("copy-next-year/<int:pk>/", views.ProgrammeCopyView.as_view(), name="copy_next_year"),
        ]


# --- Audits ------------------------------------------------------------------------------------


class AuditIndexView(ScopedIndexView):
    page_url_name = "audits:page"
    can_edit = staticmethod(permissions.can_edit_plan)
    select_related = ("unit", "programme", "lead_auditor")


class AuditCreateView(ServiceFormMixin, CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if programme := parse_int(self.request.GET.get("programme") or "", minimum=1):
            initial["programme"] = programme
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        return services.audit_save(
            audit=self.form.save(commit=False), auditors=data["auditors"], clauses=data["clauses"],
            documents=data["documents"], by=self.request.user,
        )

    def get_success_url(self):
        return reverse("audits:page", args=[self.object.pk])


class AuditEditView(ServiceFormMixin, ScopedObjectMixin, EditView):
    allowed = staticmethod(permissions.can_edit_plan)

    def save_instance(self):
        data = self.form.cleaned_data
        return services.audit_save(
            audit=self.form.save(commit=False), auditors=data["auditors"], clauses=data["clauses"],
            documents=data["documents"], by=self.request.user,
        )

    def get_success_url(self):
        return reverse("audits:page", args=[self.object.pk])


class AuditDeleteView(ScopedObjectMixin, DeleteView):
    allowed = staticmethod(permissions.can_delete_audit)


def audit_team(audit):
    return ", ".join(person_name(u) for u in audit.team())


audit_team.short_description = _("Audit team")


def audit_status(audit):
    label = audit.get_status_display()
    if audit.status == AuditStatus.PLANNED and audit.planned_end < timezone.localdate():
        return format_html('{} <span class="w-status w-status--label">{}</span>', label, _("late"))
    return label


class AuditViewSet(TimelineModelViewSet):
    """Audits of the programmes: plan (quality officer or lead auditor), then the audit page."""

    model = Audit
    name = "audits"
    icon = "tasks"
    menu_label = _("Audits")
    index_view_class = AuditIndexView
    add_view_class = AuditCreateView
    edit_view_class = AuditEditView
    delete_view_class = AuditDeleteView
    timeline = staticmethod(selectors.timeline_for_audit)
    list_display = [
        "unit", Column("planned_month", label=_("Planned"), sort_key="planned_start"), "programme",
        Column("team", label=_("Audit team"), accessor=audit_team), Column("status", label=_("Status"), accessor=audit_status),
    ]
    filterset_class = filters.AuditFilterSet
    list_export = ["unit", "programme", "planned_start", "planned_end", "actual_start", "actual_end", "lead_auditor", "status", "conclusion"]
    export_filename = "cuoc-danh-gia"
    ordering = ["-planned_start"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("programme"), FieldPanel("unit")]),
            FieldRowPanel([FieldPanel("planned_start"), FieldPanel("planned_end")]),
            MultiFieldPanel(
                [FieldPanel("lead_auditor"), FieldPanel("auditors"), FieldPanel("team_justification")], heading=_("Audit team"),
            ),
            MultiFieldPanel([FieldPanel("clauses"), FieldPanel("documents"), FieldPanel("criteria")], heading=_("Scope and criteria")),
        ],
        base_form_class=forms.AuditPlanForm,
    )

    def extra_urlpatterns(self):
        return [
            path("page/<int:pk>/", views.AuditPageView.as_view(), name="page"),
            path("start/<int:pk>/", views.AuditStartView.as_view(), name="start"),
            path("report/<int:pk>/", views.AuditReportView.as_view(), name="report"),
            path("close/<int:pk>/", views.AuditCloseView.as_view(), name="close"),
            path("checklist/<int:pk>/", views.ChecklistGenerateView.as_view(), name="generate"),
            path("finding/<int:pk>/", views.FindingCreateView.as_view(), name="finding"),
            path("report-pdf/<int:pk>/", views.AuditReportPdfView.as_view(), name="report_pdf"),
            path("attachment/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
        ]


# --- Findings ----------------------------------------------------------------------------------


class FindingIndexView(ScopedIndexView):
    select_related = ("audit__unit", "clause", "nonconformity")

    def get_edit_url(self, instance):
        return reverse("audits:page", args=[instance.audit_id]) + f"#finding-{instance.pk}"


def finding_nonconformity(finding):
    nc = getattr(finding, "nonconformity", None)
    return nc.reference if nc else ""


finding_nonconformity.short_description = _("Nonconformity")


class FindingViewSet(TimelineModelViewSet):
    """Findings of every audit in scope; they are recorded on the audit page."""

    model = Finding
    name = "findings"
    icon = "search"
    menu_label = _("Findings")
    generic_views = ()
    index_view_class = FindingIndexView
    timeline = staticmethod(selectors.timeline_for_finding)
    list_display = [
        short_text("statement", _("Statement")), "kind", Column("clause", label=_("Clause"), accessor="clause.number"), "audit",
        date_column(Finding, "recorded_on"), Column("nc", label=_("Nonconformity"), accessor=finding_nonconformity),
    ]
    filterset_class = filters.FindingFilterSet
    list_export = ["audit", "clause", "kind", "statement", "evidence", "recorded_by", "recorded_on"]
    export_filename = "phat-hien-danh-gia"
    ordering = ["-recorded_on", "-pk"]


# --- Nonconformities ---------------------------------------------------------------------------


class NonconformityIndexView(ScopedIndexView):
    page_url_name = "nonconformities:detail"
    can_edit = staticmethod(permissions.can_edit_nonconformity)
    select_related = ("unit", "clause")

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        query = self.request.GET.urlencode()
        buttons.append(HeaderButton(
            _("Register (XLSX)"), url=reverse("nonconformities:register") + (f"?{query}" if query else ""), icon_name="download",
        ))
        if permissions.can_transfer(self.request.user):
            buttons.append(HeaderButton(_("Transfer after mergers"), url=reverse("nonconformities:transfer"), icon_name="arrow-right-full"))
        return buttons


class NonconformityCreateView(ServiceFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.nonconformity_open(
            unit=data["unit"], source=data["source"], source_reference=data["source_reference"], clause=data["clause"],
            related_document=data["related_document"], description=data["description"], severity=data["severity"],
            detected_on=data["detected_on"], due_on=data["due_on"], by=self.request.user,
        )

    def get_success_url(self):
        return reverse("nonconformities:detail", args=[self.object.pk])


class NonconformityEditView(ServiceFormMixin, ScopedObjectMixin, EditView):
    allowed = staticmethod(permissions.can_edit_nonconformity)

    def save_instance(self):
        return services.nonconformity_update(nc=self.form.save(commit=False), by=self.request.user)

    def get_success_url(self):
        return reverse("nonconformities:detail", args=[self.object.pk])


def nc_status(nc):
    label = nc.get_status_display()
    if nc.is_overdue():
        return format_html('{} <span class="w-status w-status--label qms-overdue">{}</span>', label, _("overdue"))
    return label


nc_status.short_description = _("Status")


class NonconformityViewSet(TimelineModelViewSet):
    """Nonconformities from every source; each opens on its page of steps."""

    model = Nonconformity
    name = "nonconformities"
    icon = "warning"
    menu_label = _("Nonconformities")
    generic_views = ("add", "edit")
    index_view_class = NonconformityIndexView
    add_view_class = NonconformityCreateView
    edit_view_class = NonconformityEditView
    timeline = staticmethod(selectors.timeline_for_nonconformity)
    list_display = [
        "reference", "unit", short_text("description", pgettext_lazy("nonconformity", "Description")), "source", "severity",
        Column("status", label=_("Status"), accessor=nc_status), date_column(Nonconformity, "detected_on"),
        date_column(Nonconformity, "due_on"),
    ]
    filterset_class = filters.NonconformityFilterSet
    list_export = [
        "reference", "unit", "original_unit", "source", "source_reference", "clause", "severity", "description",
        "detected_on", "detected_by", "due_on", "status", "correction", "why_1", "cause_category", "verified_on", "effective",
        "closed_on",
    ]
    export_filename = "diem-khong-phu-hop"
    ordering = ["-detected_on", "-pk"]
    edit_handler = ObjectList(
        [
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("severity"), FieldPanel("clause"), FieldPanel("due_on")]),
            FieldPanel("source_reference"),
            FieldPanel("related_document"),
        ],
        base_form_class=forms.NonconformityEditForm,
    )
    add_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("unit"), FieldPanel("source")]),
            FieldPanel("source_reference"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("severity"), FieldPanel("clause")]),
            FieldPanel("related_document"),
            FieldRowPanel([FieldPanel("detected_on"), FieldPanel("due_on")]),
        ],
        base_form_class=forms.NonconformityOpenForm,
    )

    def get_add_view_kwargs(self, **kwargs):
        panel = self.add_handler.bind_to_model(self.model)
        return super().get_add_view_kwargs(panel=panel, form_class=panel.get_form_class(), **kwargs)

    def extra_urlpatterns(self):
        return [
            path("detail/<int:pk>/", views.NonconformityPageView.as_view(), name="detail"),
            path("pdf/<int:pk>/", views.NonconformityPdfView.as_view(), name="pdf"),
            path("register/", views.NonconformityRegisterView.as_view(), name="register"),
            path("transfer/", views.TransferView.as_view(), name="transfer"),
        ]


# --- Corrective actions ------------------------------------------------------------------------


class CorrectiveActionIndexView(ScopedIndexView):
    select_related = ("nonconformity__unit", "responsible")

    def get_edit_url(self, instance):
        return reverse("nonconformities:detail", args=[instance.nonconformity_id])


def action_state(action):
    if action.done_on:
        return _("Done on %(date)s") % {"date": f"{action.done_on:%d/%m/%Y}"}
    if action.is_overdue():
        return format_html('<span class="w-status w-status--label qms-overdue">{}</span>', _("overdue"))
    return _("Not done")


action_state.short_description = _("State")


class CorrectiveActionViewSet(TimelineModelViewSet):
    """Corrective actions of every nonconformity in scope; planned and completed on the nonconformity's page."""

    model = CorrectiveAction
    name = "corrective_actions"
    icon = "tick-inverse"
    menu_label = _("Corrective actions")
    generic_views = ()
    index_view_class = CorrectiveActionIndexView
    timeline = staticmethod(selectors.timeline_for_action)
    list_display = [
        short_text("description", _("Corrective action")), Column("nc", label=_("Nonconformity"), accessor="nonconformity.reference"),
        Column("unit", label=_("Unit"), accessor="nonconformity.unit"),
        Column("responsible", label=_("Responsible"), accessor=lambda a: person_name(a.responsible)),
        date_column(CorrectiveAction, "due_on"), Column("state", label=_("State"), accessor=action_state),
    ]
    filterset_class = filters.CorrectiveActionFilterSet
    list_export = ["nonconformity", "description", "responsible", "due_on", "done_on", "evidence"]
    export_filename = "hanh-dong-khac-phuc"
    ordering = ["due_on", "pk"]


class MyActionsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("audits.view_correctiveaction")


class MyActionsViewSet(ViewSet):
    """"My corrective actions": what the signed-in user must do, overdue first."""

    name = "my_actions"
    icon = "user"
    menu_label = _("My corrective actions")
    menu_item_class = MyActionsMenuItem

    def get_urlpatterns(self):
        return [path("", views.MyActionsView.as_view(), name="index")]


# --- Question bank -----------------------------------------------------------------------------


class QuestionCreateView(CreateView):
    def save_instance(self):
        return services.question_save(question=self.form.save(commit=False), by=self.request.user)


class QuestionEditView(EditView):
    def save_instance(self):
        return services.question_save(question=self.form.save(commit=False), by=self.request.user)


class QuestionIndexView(SafeIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("clause")


class QuestionBankViewSet(TimelineModelViewSet):
    """Questions per clause that checklists are generated from; switch one off rather than delete it."""

    model = QuestionBankItem
    name = "audit_questions"
    icon = "help"
    menu_label = _("Question bank")
    generic_views = ("add", "edit")
    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    list_display = ["question", Column("clause", label=_("Clause"), accessor="clause.number", sort_key="clause__sort_key"), "active"]
    filterset_class = filters.QuestionFilterSet
    list_per_page = 50
    list_export = ["clause", "position", "question", "active"]
    export_filename = "ngan-hang-cau-hoi"
    edit_handler = ObjectList(
        [FieldRowPanel([FieldPanel("clause"), FieldPanel("position"), FieldPanel("active")]), FieldPanel("question")],
        base_form_class=forms.QuestionForm,
    )

    timeline = staticmethod(selectors.timeline_for_question)


class AuditsGroup(ModelViewSetGroup):
    menu_label = _("Internal audits")
    menu_icon = "tasks"
    menu_order = 300
    items = (
        AuditProgrammeViewSet, AuditViewSet, FindingViewSet, NonconformityViewSet, CorrectiveActionViewSet,
        MyActionsViewSet, QuestionBankViewSet,
    )
