"""
Admin screens beyond the generic listings: the audit page (checklist walked on one screen, findings,
status steps), the nonconformity page (correction → root cause → actions → effectiveness check),
timelines, programme approval and copy, merger transfers, "my actions", PDFs and the register.

Every view starts from `Model.objects.for_user(user)` (another unit's record is a 404) and asks
`audits.permissions` before changing anything (a forbidden step is a 403).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet as _WagtailDocumentsAdminAPI

from audits import permissions, reports, selectors, services
from audits.filters import NonconformityFilterSet
from audits.forms import (
    ActionDoneForm,
    ActionForm,
    AnalysisForm,
    AuditCloseForm,
    AuditReportForm,
    AuditStartForm,
    CorrectionForm,
    FindingForm,
    TransferForm,
    VerifyForm,
    validate_evidence_file,
)
from audits.models import (
    Audit,
    AuditProgramme,
    AuditStatus,
    ChecklistItem,
    ChecklistResult,
    CorrectiveAction,
    Finding,
    NcStatus,
    Nonconformity,
    QuestionBankItem,
)
from qms.core.files import atomic_with_files, serve_file
from qms.core.forms import add_service_errors, error_text
from qms.core.params import id_param, parse_int
from qms.core.xlsx import XLSX_CONTENT_TYPE, file_response

#: Where on the audit page to come back to after saving answers ("#item-12"): nothing else is appended to the URL.
ANCHOR = re.compile(r"#[\w-]{1,64}")
MSG_ANSWERS_SAVED = gettext_lazy("%(count)s answer(s) saved.")
MSG_NOTHING_CHANGED = gettext_lazy("Nothing changed.")
MSG_UNKNOWN_RESULT = gettext_lazy("Unknown result for question %(number)s.")
MSG_AUDIT_STARTED = gettext_lazy("The audit has started: walk the checklist.")
MSG_AUDIT_REPORTED = gettext_lazy("The audit is reported.")
MSG_STEP_REFUSED = gettext_lazy("Not done: %(errors)s The form below says what to change.")
MSG_AUDIT_CLOSED = gettext_lazy("The audit is closed.")
MSG_CHECKLIST_GENERATED = gettext_lazy("The checklist has %(count)s questions.")
MSG_FINDING_RECORDED = gettext_lazy("Finding recorded.")
MSG_FINDING_OPENED_NC = gettext_lazy("Finding recorded; nonconformity %(reference)s opened.")
MSG_CORRECTION_SAVED = gettext_lazy("Correction recorded.")
MSG_ANALYSIS_SAVED = gettext_lazy("Root cause recorded.")
MSG_ACTION_ADDED = gettext_lazy("Corrective action added.")
MSG_ACTION_DONE = gettext_lazy("Corrective action marked done.")
MSG_CLOSED = gettext_lazy("Checked effective: the nonconformity is closed.")
MSG_REOPENED = gettext_lazy("Checked not effective: the analysis is reopened.")
MSG_APPROVED = gettext_lazy("Programme approved.")
MSG_COPIED = gettext_lazy("Programme %(title)s created from %(source)s: check the dates and name the teams.")
MSG_TRANSFERRED = gettext_lazy("%(count)s nonconformity(ies) transferred to their successor units.")
MSG_NONE_SELECTED = gettext_lazy("Select at least one nonconformity.")


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    """An admin page with breadcrumbs: Home › `index_label` › this page."""

    index_url_name = ""
    index_label = ""

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.index_url_name:
            items.append({"url": reverse(self.index_url_name), "label": str(self.index_label)})
        return [*items, {"url": "", "label": self.get_page_subtitle() or self.get_page_title()}]


# --- The audit page ----------------------------------------------------------------------------


class AuditPageView(AdminPage):
    """
    One audit on one screen: plan, team, status steps, the checklist (answered with the keyboard:
    1–4 pick a result and move on, j/k move, n/e jump to notes/evidence, f records a finding,
    Ctrl+S saves), the findings and the form to record one.
    """

    template_name = "audits/audit_page.html"
    header_icon = "tasks"
    index_url_name = "audits:index"
    index_label = gettext_lazy("Audits")
    page_title = gettext_lazy("Audit")

    @cached_property
    def audit(self) -> Audit:
        queryset = Audit.objects.for_user(self.request.user).select_related("unit", "programme", "lead_auditor")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.audit)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, audit = self.request.user, self.audit
        items = list(audit.checklist.select_related("clause").prefetch_related("attachments__evidence", "findings"))
        typed = kwargs.get("typed_checklist")
        if typed:  # a refused save shows the answers as the auditor typed them, not as stored
            for item in items:
                for field in ("result", "notes", "evidence"):
                    if f"{field}-{item.pk}" in typed:
                        setattr(item, field, typed[f"{field}-{item.pk}"])
        groups: list[dict] = []
        for item in items:
            if not groups or groups[-1]["clause"] != item.clause:
                groups.append({"clause": item.clause, "items": []})
            groups[-1]["items"].append(item)
        counts = {value: sum(1 for i in items if i.result == value) for value in ChecklistResult.values}
        today = timezone.localdate()
        selected_item = parse_int(self.request.GET.get("item") or "", minimum=1)
        finding_initial = {}
        if selected_item:
            chosen = next((i for i in items if i.pk == selected_item), None)
            if chosen:
                finding_initial = {"checklist_item": chosen.pk, "clause": chosen.clause_id, "kind": "minor_nc"}
        context.update({
            "audit": audit,
            "groups": groups,
            "items_total": len(items),
            "items_answered": sum(1 for i in items if i.result),
            "result_counts": [(value, label, counts[value]) for value, label in ChecklistResult.choices],
            "results": ChecklistResult.choices,
            "findings": audit.findings.select_related("clause", "nonconformity", "recorded_by").prefetch_related("attachments__evidence"),
            "team": audit.team(),
            "clauses": audit.clauses.order_by("sort_key"),
            "documents": audit.documents.order_by("title"),
            "is_late": audit.status == AuditStatus.PLANNED and audit.planned_end < today,
            "can_edit_plan": permissions.can_edit_plan(user, audit),
            "can_work": permissions.can_work_checklist(user, audit),
            "can_record_findings": permissions.can_record_findings(user, audit),
            "can_start": permissions.can_start_audit(user, audit),
            "can_report": permissions.can_report_audit(user, audit),
            "can_close": permissions.can_close_audit(user, audit),
            "can_generate": permissions.can_generate_checklist(user, audit) and not any(i.result for i in items),
            "has_previous": services.previous_audit(audit) is not None,
            "start_form": kwargs.get("start_form") or AuditStartForm(initial={"on": today}),
            "report_form": kwargs.get("report_form") or AuditReportForm(initial={"on": today, "conclusion": audit.conclusion}),
            "close_form": kwargs.get("close_form") or AuditCloseForm(initial={"on": today}),
            "finding_form": kwargs.get("finding_form") or FindingForm(audit=audit, initial=finding_initial),
        })
        return context

    def refuse_unless(self, allowed: bool):
        if not allowed:
            raise PermissionDenied

    def back(self, anchor: str = ""):
        return redirect(reverse("audits:page", args=[self.audit.pk]) + anchor)

    def post(self, request, *args, **kwargs):
        """Save the checklist answers that changed, with new attachments: all or nothing."""
        audit = self.audit
        self.refuse_unless(permissions.can_work_checklist(request.user, audit))
        saved = 0
        try:
            with atomic_with_files():
                for item in audit.checklist.prefetch_related("attachments"):
                    prefix = f"-{item.pk}"
                    if f"result{prefix}" not in request.POST and f"notes{prefix}" not in request.POST:
                        continue
                    result = request.POST.get(f"result{prefix}", item.result)
                    if result not in ("", *ChecklistResult.values):
                        raise ValidationError(MSG_UNKNOWN_RESULT, params={"number": item.position})
                    notes = request.POST.get(f"notes{prefix}", item.notes).strip()
                    evidence = request.POST.get(f"evidence{prefix}", item.evidence).strip()
                    upload = request.FILES.get(f"file{prefix}")
                    if (result, notes, evidence) == (item.result, item.notes, item.evidence) and not upload:
                        continue
                    attachments = []
                    if upload:
                        validate_evidence_file(upload)
                        attachments.append(services.evidence_document_create(file=upload, by=request.user, unit=audit.unit))
                    services.checklist_item_record(
                        item=item, result=result, notes=notes, evidence=evidence, attachments=attachments, by=request.user
                    )
                    saved += 1
        except ValidationError as error:
            messages.error(request, error_text(error))
            return self.render_to_response(self.get_context_data(typed_checklist=request.POST))
        if saved:
            messages.success(request, MSG_ANSWERS_SAVED % {"count": saved})
        else:
            messages.info(request, MSG_NOTHING_CHANGED)
        anchor = request.POST.get("anchor", "")
        return self.back(anchor if ANCHOR.fullmatch(anchor) else "")


class AuditStepView(AuditPageView):
    """A status step posted from the audit page; a refused or invalid step shows the page again."""

    http_method_names = ["post"]
    form_class = None
    form_name = ""
    success_message = ""

    def allowed(self, user, audit) -> bool:
        raise NotImplementedError

    def perform(self, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        self.refuse_unless(self.allowed(request.user, self.audit))
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return self.refused(form)
        try:
            message = self.perform(form)
        except ValidationError as error:
            if form is None:
                messages.error(request, error_text(error))
                return self.back()
            add_service_errors(form, error)
            return self.refused(form)
        messages.success(request, message or self.success_message)
        return self.back()

    def refused(self, form):
        """
        The page again, with the form and its errors. The page is long (the checklist comes first), so the
        refusal is also said at the top, where the page opens, and the browser focuses the refused form
        (autofocus), scrolling to it: the user never has to hunt for why nothing happened.
        """
        messages.error(self.request, MSG_STEP_REFUSED % {"errors": " ".join(
            str(message) for errors in form.errors.values() for message in errors)})
        return self.render_to_response(self.get_context_data(**{self.form_name: form, "failed_step": self.form_name}))


class AuditStartView(AuditStepView):
    form_class, form_name, success_message = AuditStartForm, "start_form", MSG_AUDIT_STARTED

    def allowed(self, user, audit):
        return permissions.can_start_audit(user, audit)

    def perform(self, form):
        services.audit_start(audit=self.audit, on=form.cleaned_data["on"], by=self.request.user)


class AuditReportView(AuditStepView):
    form_class, form_name, success_message = AuditReportForm, "report_form", MSG_AUDIT_REPORTED

    def allowed(self, user, audit):
        return permissions.can_report_audit(user, audit)

    def perform(self, form):
        services.audit_report(
            audit=self.audit, on=form.cleaned_data["on"], conclusion=form.cleaned_data["conclusion"], by=self.request.user
        )


class AuditCloseView(AuditStepView):
    form_class, form_name, success_message = AuditCloseForm, "close_form", MSG_AUDIT_CLOSED

    def allowed(self, user, audit):
        return permissions.can_close_audit(user, audit)

    def perform(self, form):
        services.audit_close(audit=self.audit, on=form.cleaned_data["on"], by=self.request.user)


class ChecklistGenerateView(AuditStepView):
    def allowed(self, user, audit):
        return permissions.can_generate_checklist(user, audit)

    def perform(self, form):
        items = services.checklist_generate(
            audit=self.audit, from_previous=self.request.POST.get("source") == "previous", by=self.request.user
        )
        return MSG_CHECKLIST_GENERATED % {"count": len(items)}


class FindingCreateView(AuditStepView):
    form_name = "finding_form"

    def allowed(self, user, audit):
        return permissions.can_record_findings(user, audit)

    def post(self, request, *args, **kwargs):
        audit = self.audit
        self.refuse_unless(self.allowed(request.user, audit))
        form = FindingForm(request.POST, request.FILES, audit=audit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with atomic_with_files():
                    attachments = []
                    if data["attachment"]:
                        attachments.append(
                            services.evidence_document_create(file=data["attachment"], by=request.user, unit=audit.unit)
                        )
                    finding = services.finding_record(
                        audit=audit, kind=data["kind"], clause=data["clause"], statement=data["statement"],
                        evidence=data["evidence"], checklist_item=data["checklist_item"], attachments=attachments,
                        by=request.user,
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                nc = getattr(finding, "nonconformity", None) if finding.is_nonconformity else None
                messages.success(request, MSG_FINDING_OPENED_NC % {"reference": nc.reference} if nc else MSG_FINDING_RECORDED)
                return self.back("#findings")
        return self.render_to_response(self.get_context_data(finding_form=form))


class AuditReportPdfView(AuditPageView):
    def get(self, request, *args, **kwargs):
        audit = self.audit
        return file_response(reports.audit_report_pdf(audit), reports.audit_report_filename(audit), "application/pdf")


# --- The nonconformity page --------------------------------------------------------------------


class NonconformityPageView(AdminPage):
    """
    One nonconformity and its steps: correction, root cause (five whys), corrective actions,
    effectiveness check. Each step is a form shown to those who may take it.
    """

    template_name = "audits/nonconformity_page.html"
    header_icon = "warning"
    index_url_name = "nonconformities:index"
    index_label = gettext_lazy("Nonconformities")
    page_title = gettext_lazy("Nonconformity")

    @cached_property
    def nc(self) -> Nonconformity:
        queryset = Nonconformity.objects.for_user(self.request.user).select_related(
            "unit", "original_unit", "clause", "related_document", "detected_by", "verified_by", "finding__audit__unit"
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.nc.reference

    def responsible_queryset(self):
        return selectors.responsible_candidates(self.nc)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, nc = self.request.user, self.nc
        today = timezone.localdate()
        actions = list(nc.actions.select_related("responsible").prefetch_related("attachments__evidence").order_by("due_on", "pk"))
        for action in actions:
            action.overdue = action.is_overdue(today)
            action.can_complete = permissions.can_complete_action(user, action)
            action.done_form = (
                kwargs["done_form"] if kwargs.get("done_action") == action.pk else ActionDoneForm(initial={"done_on": today})
            )
        successor = nc.unit.successor_as_of(today)
        context.update({
            "nc": nc,
            "actions": actions,
            "statuses": NcStatus.choices,
            "status_index": NcStatus.values.index(nc.status),
            "is_overdue": nc.is_overdue(today),
            "can_respond": permissions.can_respond(user, nc),
            "can_analyse": permissions.can_respond(user, nc)
            and nc.status in (NcStatus.OPEN, NcStatus.ANALYSED, NcStatus.ACTIONS_PLANNED),
            "can_plan_actions": permissions.can_plan_actions(user, nc),
            "can_verify": permissions.can_verify(user, nc),
            "can_edit": permissions.can_edit_nonconformity(user, nc),
            "can_transfer": permissions.can_transfer(user) and successor.pk != nc.unit_id and successor.is_in_force(today)
            and not nc.is_closed,
            "successor": successor,
            "correction_form": kwargs.get("correction_form")
            or CorrectionForm(initial={"correction": nc.correction, "on": nc.correction_on or today}),
            "analysis_form": kwargs.get("analysis_form") or AnalysisForm(initial={
                "why_1": nc.why_1, "why_2": nc.why_2, "why_3": nc.why_3, "why_4": nc.why_4, "why_5": nc.why_5,
                "cause_category": nc.cause_category,
            }),
            "action_form": kwargs.get("action_form") or ActionForm(responsible_queryset=self.responsible_queryset(), initial={"responsible": user.pk}),
            "verify_form": kwargs.get("verify_form") or VerifyForm(initial={"on": today}),
        })
        return context

    def post(self, request, *args, **kwargs):
        nc, user = self.nc, request.user
        step = request.POST.get("step")
        handlers = {
            "correction": (permissions.can_respond(user, nc), self.post_correction),
            "analysis": (permissions.can_respond(user, nc), self.post_analysis),
            "action": (permissions.can_plan_actions(user, nc), self.post_action),
            "done": (user.has_perm("audits.change_correctiveaction"), self.post_done),
            "verify": (permissions.can_verify(user, nc), self.post_verify),
        }
        if step not in handlers:
            raise Http404
        allowed, handler = handlers[step]
        if not allowed:
            raise PermissionDenied
        return handler(request)

    def _run(self, form, form_name: str, perform, success, extra=None):
        if form.is_valid():
            try:
                with atomic_with_files():
                    message = perform(form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(self.request, message or success)
                return redirect(reverse("nonconformities:detail", args=[self.nc.pk]))
        return self.render_to_response(self.get_context_data(**{form_name: form, **(extra or {})}))

    def post_correction(self, request):
        def perform(d):
            services.nonconformity_record_correction(nc=self.nc, correction=d["correction"], on=d["on"], by=request.user)

        return self._run(CorrectionForm(request.POST), "correction_form", perform, MSG_CORRECTION_SAVED)

    def post_analysis(self, request):
        form = AnalysisForm(request.POST)

        def perform(d):
            services.nonconformity_analyse(nc=self.nc, whys=form.whys(), cause_category=d["cause_category"], by=request.user)

        return self._run(form, "analysis_form", perform, MSG_ANALYSIS_SAVED)

    def post_action(self, request):
        def perform(d):
            services.corrective_action_add(
                nc=self.nc, description=d["description"], responsible=d["responsible"], due_on=d["due_on"], by=request.user
            )

        form = ActionForm(request.POST, responsible_queryset=self.responsible_queryset())
        return self._run(form, "action_form", perform, MSG_ACTION_ADDED)

    def post_done(self, request):
        action = get_object_or_404(self.nc.actions.all(), pk=id_param(request.POST, "action"))
        if not permissions.can_complete_action(request.user, action):
            raise PermissionDenied
        form = ActionDoneForm(request.POST, request.FILES)

        def perform(d):
            attachments = []
            if d["attachment"]:
                attachments.append(
                    services.evidence_document_create(file=d["attachment"], by=request.user, unit=self.nc.unit)
                )
            services.corrective_action_complete(
                action=action, done_on=d["done_on"], evidence=d["evidence"], attachments=attachments, by=request.user
            )

        return self._run(form, "done_form", perform, MSG_ACTION_DONE, extra={"done_action": action.pk})

    def post_verify(self, request):
        def perform(d):
            nc = services.nonconformity_verify(nc=self.nc, effective=d["effective"], on=d["on"], notes=d["notes"], by=request.user)
            return MSG_CLOSED if nc.status == NcStatus.CLOSED else MSG_REOPENED

        return self._run(VerifyForm(request.POST), "verify_form", perform, "")


class NonconformityPdfView(NonconformityPageView):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return file_response(reports.nonconformity_pdf(self.nc), reports.nonconformity_filename(self.nc), "application/pdf")


class NonconformityRegisterView(AdminPage):
    """The register (sổ theo dõi) as XLSX, with the filters of the list applied."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("audits.view_nonconformity"):
            raise PermissionDenied
        queryset = Nonconformity.objects.for_user(request.user).order_by("detected_on", "reference")
        filterset = NonconformityFilterSet(request.GET, queryset=queryset, request=request)
        ncs = filterset.qs if filterset.is_valid() else queryset
        lines = [f"{name}: {value}" for name, value in filterset.describe()] if filterset.is_valid() else []
        content = reports.nonconformity_register_xlsx(ncs, title_lines=lines)
        return file_response(content, f"so-theo-doi-kph-{timezone.localdate():%Y%m%d}.xlsx", XLSX_CONTENT_TYPE)


class TransferView(AdminPage):
    """Open nonconformities of merged units, to hand over to the unit that succeeded them."""

    template_name = "audits/transfer.html"
    header_icon = "arrow-right-full"
    index_url_name = "nonconformities:index"
    index_label = gettext_lazy("Nonconformities")
    page_title = gettext_lazy("Transfer to successor units")

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_transfer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def candidates(self):
        return selectors.nonconformities_to_transfer(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["candidates"] = self.candidates
        context["form"] = kwargs.get("form") or TransferForm(candidates=self.candidates)
        return context

    def post(self, request, *args, **kwargs):
        form = TransferForm(request.POST, candidates=self.candidates)
        if not form.is_valid():
            messages.error(request, MSG_NONE_SELECTED)
            return self.render_to_response(self.get_context_data(form=form))
        successors = {c.nonconformity.pk: c.successor for c in self.candidates}
        try:
            with transaction.atomic():
                for nc in form.cleaned_data["nonconformities"]:
                    services.nonconformity_transfer(nc=nc, to_unit=successors[nc.pk], by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, MSG_TRANSFERRED % {"count": len(form.cleaned_data["nonconformities"])})
        return redirect("nonconformities:transfer")


class MyActionsView(AdminPage):
    """The corrective actions the user is responsible for: overdue first, then due, then done."""

    template_name = "audits/my_actions.html"
    header_icon = "tick-inverse"
    page_title = gettext_lazy("My corrective actions")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("audits.view_correctiveaction"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        actions = list(selectors.my_actions(self.request.user))
        for action in actions:
            action.overdue = action.is_overdue(today)
            action.due_soon = action.done_on is None and not action.overdue and (action.due_on - today).days <= 7
        context.update({
            "open_actions": [a for a in actions if a.done_on is None],
            "done_actions": sorted((a for a in actions if a.done_on is not None), key=lambda a: a.done_on, reverse=True)[:20],
            "today": today,
        })
        return context


# --- Programmes --------------------------------------------------------------------------------


class ProgrammePageView(AdminPage):
    """A programme with the audits it plans, month by month; approval and copy-to-next-year from here."""

    template_name = "audits/programme_page.html"
    header_icon = "calendar-alt"
    index_url_name = "audit_programmes:index"
    index_label = gettext_lazy("Audit programmes")
    page_title = gettext_lazy("Audit programme")

    @cached_property
    def programme(self) -> AuditProgramme:
        return get_object_or_404(AuditProgramme.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.programme.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, programme = self.request.user, self.programme
        today = timezone.localdate()
        audits = list(programme.audits.for_user(user).select_related("unit", "lead_auditor").order_by("planned_start", "unit__name"))
        for audit in audits:
            audit.is_late = audit.status == AuditStatus.PLANNED and audit.planned_end < today
        context.update({
            "programme": programme,
            "audits": audits,
            "units": programme.units.order_by("name"),
            "can_edit": permissions.can_edit_programme(user, programme),
            "can_approve": permissions.can_approve_programme(user, programme),
            "can_copy": permissions.can_copy_programme(user),
            "can_add_audit": user.has_perm("audits.add_audit"),
        })
        return context


class ProgrammeApproveView(ProgrammePageView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not permissions.can_approve_programme(request.user, self.programme):
            raise PermissionDenied
        try:
            services.programme_approve(programme=self.programme, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, MSG_APPROVED)
        return redirect("audit_programmes:page", self.programme.pk)


class ProgrammeCopyView(ProgrammePageView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not permissions.can_copy_programme(request.user):
            raise PermissionDenied
        try:
            copy = services.programme_copy(source=self.programme, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("audit_programmes:page", self.programme.pk)
        messages.success(request, MSG_COPIED % {"title": copy.title, "source": self.programme.title})
        return redirect("audit_programmes:page", copy.pk)


# --- Timelines and attachments -----------------------------------------------------------------


class TimelineView(AdminPage):
    """The history of a record, read as a story: who did what, when, and which fields changed."""

    template_name = "audits/timeline.html"
    header_icon = "history"
    page_title = gettext_lazy("History")
    model = None
    selector = None
    index_url_name = ""

    def get_object(self):
        return get_object_or_404(self.model.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    @cached_property
    def object(self):
        if not self.request.user.has_perm(f"audits.view_{self.model._meta.model_name}"):
            raise PermissionDenied
        return self.get_object()

    def get_page_subtitle(self):
        return getattr(self.object, "reference", None) or str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        back = {
            Audit: lambda: reverse("audits:page", args=[obj.pk]),
            Nonconformity: lambda: reverse("nonconformities:detail", args=[obj.pk]),
            AuditProgramme: lambda: reverse("audit_programmes:page", args=[obj.pk]),
            Finding: lambda: reverse("audits:page", args=[obj.audit_id]) + f"#finding-{obj.pk}",
            CorrectiveAction: lambda: reverse("nonconformities:detail", args=[obj.nonconformity_id]),
            QuestionBankItem: lambda: reverse("audit_questions:index"),
        }
        context.update({"object": obj, "entries": self.selector(obj), "back_url": back[self.model]()})
        return context


class AttachmentView(AdminPage):
    """Serves an evidence file to users who may see a record it is attached to (the only way out for
    evidence: Wagtail's document URLs refuse it, see `audits.wagtail_hooks`)."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        from wagtail.documents import get_document_model

        document = get_object_or_404(get_document_model(), pk=self.kwargs["pk"])
        user = request.user
        visible = (
            ChecklistItem.objects.for_user(user).filter(attachments=document).exists()
            or Finding.objects.for_user(user).filter(attachments=document).exists()
            or CorrectiveAction.objects.for_user(user).filter(attachments=document).exists()
        )
        if not visible:
            raise Http404
        return serve_file(request, document.file, document.filename)


class DocumentsAdminAPIViewSet(_WagtailDocumentsAdminAPI):
    """Wagtail's admin API of documents (/admin/api/main/documents/), listing only the documents the
    user sees in the admin's document index or chooser: evidence never (`audits.permissions.DocumentPolicy`)."""

    def get_queryset(self):
        from wagtail.permissions import policy_registry

        policy = policy_registry.get_by_type(self.model)
        allowed = policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change"])
        return super().get_queryset().filter(pk__in=allowed.values("pk"))
