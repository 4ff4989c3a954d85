"""Screens of the risk register beyond Wagtail's generic ones: the district template copy, completing
an action and reviewing its effectiveness, and the register as PDF and XLSX. Each looks its record up
among the user's own (`for_user`): another unit's id is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from audits.views import AdminPage
from qms.core.forms import error_text
from qms.core.models import Unit
from qms.core.xlsx import XLSX_CONTENT_TYPE, file_response

from . import reports, services
from .filters import RiskFilterSet
from .forms import ActionCompleteForm, ActionReviewForm, CopyTemplateForm
from .models import Risk, RiskAction

MSG_ACTION_DONE = gettext_lazy("The action is recorded as done.")
MSG_ACTION_REVIEWED = gettext_lazy("The effectiveness review is recorded.")


class CopyTemplateView(AdminPage, FormView):
    """"Sao chép mẫu của huyện": the district's template issues and parties into a commune's register."""

    template_name = "risks/copy_template.html"
    header_icon = "copy"
    index_url_name = "context_issues:index"
    index_label = gettext_lazy("Context issues")
    page_title = gettext_lazy("Copy the district's template")
    form_class = CopyTemplateForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("risks.add_contextissue"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # Communes (and wards) the user covers: a district copies nothing from itself.
        units = Unit.objects.for_user(self.request.user).filter(kind__in=("commune", "ward", "township")).in_force(
            timezone.localdate()).order_by("name")
        return {**super().get_form_kwargs(), "units": units}

    def form_valid(self, form):
        unit = form.cleaned_data["unit"]
        try:
            issues, parties = services.context_template_copy(unit=unit, by=self.request.user)
        except ValidationError as error:
            messages.error(self.request, error_text(error))
            return self.form_invalid(form)
        messages.success(self.request, services.MSG_TEMPLATE_COPIED % {"issues": issues, "parties": parties})
        return redirect(reverse("context_issues:index") + f"?unit={unit.pk}")


class ActionStepView(AdminPage, FormView):
    """A step on one treatment action, found among the user's actions."""

    template_name = "risks/action_step.html"
    header_icon = "tasks"
    index_url_name = "risk_actions:index"
    index_label = gettext_lazy("Risk actions")

    @cached_property
    def action(self) -> RiskAction:
        return get_object_or_404(
            RiskAction.objects.for_user(self.request.user).select_related("risk__unit", "owner"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": self.action}

    def success(self, message):
        messages.success(self.request, message)
        return redirect("risks:inspect", self.action.risk_id)


class ActionCompleteView(ActionStepView):
    """The owner records that the action is done and what was done."""

    page_title = gettext_lazy("Record the action as done")
    form_class = ActionCompleteForm

    def dispatch(self, request, *args, **kwargs):
        if not services.can_complete(request.user, self.action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.risk_action_complete(action=self.action, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
            return self.form_invalid(form)
        return self.success(MSG_ACTION_DONE)


class ActionReviewView(ActionStepView):
    """The quality officer or leader reviews whether a done action was effective."""

    page_title = gettext_lazy("Review the action's effectiveness")
    form_class = ActionReviewForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("risks.change_riskaction") or self.action.done_on is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.risk_action_review(action=self.action, by=self.request.user, effective=data["effective"],
                                        note=data["note"], on=data["reviewed_on"])
        except ValidationError as error:
            form.add_error(None, error_text(error))
            return self.form_invalid(form)
        return self.success(MSG_ACTION_REVIEWED)


def _register_risks(request):
    """The user's risks, narrowed by the list's filters (the same query string as the list)."""
    if not request.user.has_perm("risks.view_risk"):
        raise PermissionDenied
    risks = Risk.objects.for_user(request.user)
    filters = RiskFilterSet(request.GET or None, queryset=risks, request=request)
    if filters.is_bound and filters.is_valid():
        risks = filters.qs
    units = list(Unit.objects.filter(pk__in=risks.values("unit")).order_by("name"))
    if not units:
        units = list(Unit.objects.for_user(request.user).order_by("-valid_from", "name")[:1])
    return risks, units


def register_pdf(request):
    risks, units = _register_risks(request)
    on = timezone.localdate()
    pdf = reports.register_pdf(risks=risks, units=units, on=on)
    return file_response(pdf, f"danh-muc-rui-ro-{on:%Y%m%d}.pdf", "application/pdf")


def register_xlsx(request):
    risks, units = _register_risks(request)
    on = timezone.localdate()
    content = reports.register_xlsx(risks=risks, title_lines=[", ".join(u.name for u in units)], on=on)
    return file_response(content, f"danh-muc-rui-ro-{on:%Y%m%d}.xlsx", XLSX_CONTENT_TYPE)


