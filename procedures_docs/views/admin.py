"""
Admin screens of controlled documents that are not Wagtail's page editor: the revision register of
a document, its acknowledgement matrix, withdrawal, the review-due report, the register of
obsolete documents and the master list. Each checks role and units before showing anything.
"""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton

from procedures_docs import selectors, services
from procedures_docs.forms import WithdrawForm
from procedures_docs.models import ControlledDocumentPage, DocumentType, DocumentWithdrawal
from procedures_docs.views.site import master_list_context, master_list_response
from qms.core.exports import SafeSpreadsheetExportMixin
from qms.core.models import Unit
from qms.core.models.units import unit_ids_for_user
from qms.core.params import parse_int
from qms.core.roles import roles_of
from qms.core.views import AdminPageMixin
from qms.core.xlsx import DATETIME, XlsxColumn, XlsxSheet, xlsx_response

MSG_WITHDRAWN = _("%(code)s is now obsolete from %(date)s.")


class ManagedDocumentMixin:
    """Loads the document named in the URL and refuses users who may not manage it (404 outside their units)."""

    def dispatch(self, request, *args, **kwargs):
        self.document = get_object_or_404(ControlledDocumentPage, pk=kwargs["page_id"])
        if not selectors.can_manage(request.user, self.document):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_explore", args=[self.document.get_parent().pk]), "label": self.document.get_parent().title},
            {"url": reverse("wagtailadmin_pages:edit", args=[self.document.pk]), "label": str(self.document)},
            {"url": "", "label": self.page_title},
        ]

    @cached_property
    def header_buttons(self):
        buttons = []
        if self.document.live:
            buttons.append(HeaderButton(_("Reading copy"), url=self.document.url, icon_name="doc-full"))
        return buttons


class DocumentRegisterView(ManagedDocumentMixin, AdminPageMixin, TemplateView):
    """The revision register: every issue with who drafted, reviewed and approved it, and links to compare."""

    template_name = "procedures_docs/admin/register.html"
    page_title = _("Revision register")
    header_icon = "history"

    def get_page_subtitle(self):
        return str(self.document)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issues = list(self.document.issues.select_related("revision").order_by("-number"))
        rows = []
        for index, issue in enumerate(issues):
            previous = issues[index + 1] if index + 1 < len(issues) else None
            rows.append({"issue": issue, "previous": previous})
        page = self.document
        context.update(
            document=page,
            rows=rows,
            withdrawal=page.withdrawal_record,
            demands=page.review_demands.select_related("procedure", "met_by").order_by("-raised_on"),
            due=selectors.with_review_due(ControlledDocumentPage.objects.filter(pk=page.pk)).first(),
            workflow_state=page.current_workflow_state,
            has_draft=page.has_unpublished_changes,
            can_withdraw=page.live and not page.is_obsolete and services.can_withdraw(self.request.user, page),
            can_edit=page.permissions_for_user(self.request.user).can_edit(),
            today=timezone.localdate(),
        )
        return context


class AcknowledgementMatrixView(ManagedDocumentMixin, AdminPageMixin, TemplateView):
    """Who of each unit the document applies to has read the issue in force (or the one chosen), with XLSX export."""

    template_name = "procedures_docs/admin/acknowledgements.html"
    page_title = _("Acknowledgements")
    header_icon = "tick-inverse"

    def get_page_subtitle(self):
        return str(self.document)

    @cached_property
    def issue(self):
        number = parse_int(self.request.GET.get("number") or "", minimum=1)
        issues = self.document.issues
        if number:
            return get_object_or_404(issues, number=number)
        return self.document.current_issue

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        matrix = selectors.acknowledgement_matrix(self.document, self.issue)
        rows = []
        for group in matrix:
            for row in group.rows:
                ack = row.acknowledgement
                rows.append([
                    group.unit.label, row.user.last_name + " " + row.user.first_name, row.position,
                    "Đã đọc" if ack else "Chưa đọc",
                    timezone.localtime(ack.acknowledged_at).replace(tzinfo=None) if ack else None,
                    f"Lần {row.earlier.issue.number:02d}" if row.earlier else "",
                ])
        number = self.issue.number if self.issue else 0
        heading = [
            "XÁC NHẬN ĐÃ ĐỌC VÀ HIỂU TÀI LIỆU",
            f"{self.document.code} – {self.document.title}",
            f"Lần ban hành {number:02d}" + (f", hiệu lực từ {self.issue.effective_date:%d/%m/%Y}" if self.issue else ""),
        ]
        columns = [
            XlsxColumn("Đơn vị", 26), XlsxColumn("Họ và tên", 24), XlsxColumn("Chức vụ", 30),
            XlsxColumn("Tình trạng", 12), XlsxColumn("Thời điểm xác nhận", 18, DATETIME),
            XlsxColumn("Lần ban hành đã đọc trước đó", 16),
        ]
        filename = f"xac-nhan-da-doc-{self.document.slug}-lan-{number}.xlsx"
        return xlsx_response([XlsxSheet("Xác nhận đã đọc", columns, rows, heading)], filename)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        matrix = selectors.acknowledgement_matrix(self.document, self.issue)
        context.update(
            document=self.document, issue=self.issue, matrix=matrix,
            issues=self.document.issues.order_by("-number"),
            total=sum(len(group.rows) for group in matrix),
            read=sum(group.read_count for group in matrix),
        )
        return context


class WithdrawView(AdminPageMixin, FormView):
    """Make a document in force obsolete (leaders of its owning unit)."""

    template_name = "procedures_docs/admin/withdraw.html"
    form_class = WithdrawForm
    page_title = _("Withdraw (make obsolete)")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.document = get_object_or_404(ControlledDocumentPage, pk=kwargs["page_id"])
        if not services.can_withdraw(request.user, self.document):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.document)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("documents:register", args=[self.document.pk]), "label": str(self.document)},
                {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["document"] = self.document
        context["forms_to_withdraw"] = [
            form for form in ControlledDocumentPage.objects.child_of(self.document).live() if not form.is_obsolete
        ]
        return context

    def form_valid(self, form):
        try:
            services.document_withdraw(
                page=self.document, on=form.cleaned_data["withdrawn_on"], reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, MSG_WITHDRAWN % {
            "code": self.document.code, "date": form.cleaned_data["withdrawn_on"].strftime("%d/%m/%Y"),
        })
        return redirect("documents:register", self.document.pk)


# --- lists across documents ---------------------------------------------------------------------------

class RoleRequiredMixin:
    """Quality officers, leaders and auditors (and superusers); unit staff read on the site."""

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_superuser or selectors.reads_history(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _unit_choices(request):
    user = request.user
    units = Unit.objects.filter(owned_documents__isnull=False).distinct().order_by("name")
    return units if user.is_superuser else units.filter(pk__in=unit_ids_for_user(user))


class ReviewStatus:
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    CHOICES = [(OVERDUE, _("Overdue")), (DUE_SOON, _("Due within 30 days"))]


class ReviewDueFilterSet(WagtailFilterSet):
    owner_unit = django_filters.ModelChoiceFilter(label=_("Owning unit"), queryset=_unit_choices)
    doc_type = django_filters.ChoiceFilter(label=_("Type"), choices=DocumentType.choices)
    status = django_filters.ChoiceFilter(label=_("Review"), choices=ReviewStatus.CHOICES, method="filter_status")

    class Meta:
        model = ControlledDocumentPage
        fields = ["owner_unit", "doc_type"]

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == ReviewStatus.OVERDUE:
            return queryset.filter(review_due_on__lt=today)
        if value == ReviewStatus.DUE_SOON:
            return queryset.filter(review_due_on__gte=today)
        return queryset


class DateColumn(Column):
    """A date as dd/mm/yyyy (Wagtail's own date column says "3 days ago")."""

    cell_template_name = "procedures_docs/admin/date_cell.html"


class ReviewDueColumn(DateColumn):
    """The due date, marked when it has passed or when a legal update is what is due."""

    cell_template_name = "procedures_docs/admin/review_due_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["overdue"] = instance.review_due_on < timezone.localdate()
        context["legal"] = instance.demand_due_on is not None and instance.demand_due_on == instance.review_due_on
        return context


class ReviewDueReportView(RoleRequiredMixin, SafeSpreadsheetExportMixin, ReportView):
    """Documents in force whose periodic review is overdue or due within 30 days (or a legal update is due)."""

    page_title = _("Documents due for review")
    header_icon = "calendar-alt"
    index_url_name = "documents:review_due"
    index_results_url_name = "documents:review_due_results"
    filterset_class = ReviewDueFilterSet
    paginate_by = 100
    #: Columns of the XLSX/CSV export.
    list_export = ["code", "title", "doc_type_label", "owner_unit.label", "issue_number", "effective_date",
                   "review_due_on", "review_reason"]
    export_headings = {
        "code": _("Document code"), "title": pgettext_lazy("document", "Title"), "doc_type_label": _("Type"), "owner_unit.label": _("Owning unit"),
        "issue_number": _("Revision number"), "effective_date": _("Effective date"),
        "review_due_on": _("Review due on"), "review_reason": _("Why"),
    }

    @cached_property
    def columns(self):
        return [
            TitleColumn("code", label=_("Document code"), url_name="documents:register"),
            Column("title", label=pgettext_lazy("document", "Title")),
            Column("owner_unit", label=_("Owning unit")),
            Column("issue_number", label=_("Rev.")),
            DateColumn("effective_date", label=_("Effective date")),
            ReviewDueColumn("review_due_on", label=_("Review due on")),
        ]

    def get_filename(self):
        return f"tai-lieu-den-han-soat-xet-{timezone.localdate():%Y%m%d}"

    def get_queryset(self):
        return selectors.review_due(self.request.user)

    def decorate_paginated_queryset(self, object_list):
        return list(object_list)

    def to_row_dict(self, item):
        item.doc_type_label = item.get_doc_type_display()
        item.review_reason = (
            str(_("Legal basis changed")) if item.demand_due_on and item.demand_due_on == item.review_due_on
            else str(_("Periodic review"))
        )
        return super().to_row_dict(item)


class ObsoleteFilterSet(WagtailFilterSet):
    document__owner_unit = django_filters.ModelChoiceFilter(label=_("Owning unit"), queryset=_unit_choices)
    withdrawn_on = django_filters.DateFromToRangeFilter(label=_("Obsolete from"))

    class Meta:
        model = DocumentWithdrawal
        fields = ["document__owner_unit", "withdrawn_on"]


class ObsoleteRegisterView(RoleRequiredMixin, SafeSpreadsheetExportMixin, ReportView):
    """The register of obsolete documents: what, since when, why, by whom; with XLSX export."""

    page_title = _("Obsolete documents")
    header_icon = "warning"
    index_url_name = "documents:obsolete"
    index_results_url_name = "documents:obsolete_results"
    filterset_class = ObsoleteFilterSet
    paginate_by = 100
    list_export = ["last_issue.code", "last_issue.title", "document.owner_unit.label", "last_issue.number",
                   "last_issue.effective_date", "withdrawn_on", "reason", "withdrawn_by_name"]
    export_headings = {
        "last_issue.code": _("Document code"), "last_issue.title": pgettext_lazy("document", "Title"), "document.owner_unit.label": _("Owning unit"),
        "last_issue.number": _("Last revision"), "last_issue.effective_date": _("In force from"),
        "withdrawn_on": _("Obsolete from"), "reason": _("Reason"), "withdrawn_by_name": _("Withdrawn by"),
    }

    @cached_property
    def columns(self):
        return [
            TitleColumn("code", label=_("Document code"), accessor="last_issue.code", url_name="documents:register",
                        get_url=lambda w: reverse("documents:register", args=[w.document_id])),
            Column("title", label=pgettext_lazy("document", "Title"), accessor="last_issue.title"),
            Column("owner", label=_("Owning unit"), accessor="document.owner_unit"),
            Column("number", label=_("Last revision"), accessor="last_issue.number"),
            DateColumn("withdrawn_on", label=_("Obsolete from")),
            Column("reason", label=_("Reason")),
            Column("withdrawn_by_name", label=_("Withdrawn by")),
        ]

    def get_filename(self):
        return f"so-tai-lieu-loi-thoi-{timezone.localdate():%Y%m%d}"

    def get_queryset(self):
        scope = selectors.managed_documents(self.request.user)
        return (
            DocumentWithdrawal.objects.filter(document__in=scope.values("pk"))
            .select_related("document__owner_unit", "last_issue").order_by("-withdrawn_on", "document__path")
        )


class MasterListAdminView(AdminPageMixin, TemplateView):
    """The master list of one unit (or every unit in the user's scope), with PDF and XLSX downloads."""

    template_name = "procedures_docs/admin/master_list.html"
    page_title = _("Master list of documents")
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_superuser or roles_of(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def library(self):
        code = self.request.GET.get("unit")
        if not code:
            return None
        unit = get_object_or_404(selectors.master_list_units(self.request.user), code=code)
        return getattr(unit, "document_library", None)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format", "html")
        if fmt in ("pdf", "xlsx"):
            context = master_list_context(request, library=self.library)
            return master_list_response(request, context, fmt=fmt, template=self.template_name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(master_list_context(self.request, library=self.library))
        context["units"] = selectors.master_list_units(self.request.user)
        context["selected"] = self.request.GET.get("unit", "")
        return context
