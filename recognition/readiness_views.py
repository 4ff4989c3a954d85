"""The readiness of one unit and the district overview (the quality officer's home screen)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.widgets import HeaderButton

from qms.core.models import Unit
from qms.core.models.units import unit_ids_for_user
from qms.core.params import date_param, id_param, int_param
from qms.core.views import AdminPageMixin
from qms.core.xlsx import PERCENT, XlsxColumn, XlsxSheet, xlsx_response
from qms.feedback.models import CitizenFeedback
from qms.reporting.engine import Period
from qms.reporting.models import QualityObjective
from recognition.cycle import cycle_gaps
from recognition.models import ConformityAnnouncement
from recognition.performance import (
    DEFAULT_OVERDUE_THRESHOLD,
    feedback_nonconformity_open,
    negative_feedback,
    performance_candidates,
    performance_nonconformity_open,
)
from recognition.readiness import district_overview, last_complete_period, unit_readiness

PERIOD_KINDS = ("month", "quarter", "half", "year")
SORT_KEYS = ("unit", "score", "on_time", "open", "overdue", "documents", "audit", "review")
MSG_PERIOD_REVERSED = gettext_lazy("The period ends before it starts; the last complete period was used instead.")
#: More overdue dossiers than any unit handles in a period: a threshold above it is a typing error.
MAX_OVERDUE_THRESHOLD = 100_000


def _on(request) -> datetime.date:
    """`?on=`: the day the screen is computed for (today when blank or malformed, with a warning then)."""
    return date_param(request, "on", timezone.localdate())


class UnitReadinessView(AdminPageMixin, TemplateView):
    """How far one unit is from announcing conformity, item by item, with what to do next."""

    template_name = "recognition/readiness.html"
    header_icon = "success"

    def get_page_title(self):
        return _("Readiness: %(unit)s") % {"unit": self.unit.name}

    def get_breadcrumbs_items(self):
        return [{"url": reverse("readiness:index"), "label": _("District overview")}, {"url": "", "label": self.unit.name}]

    def dispatch(self, request, *args, **kwargs):
        self.unit = get_object_or_404(Unit, pk=kwargs["pk"])
        if not Unit.objects.for_user(request.user).filter(pk=self.unit.pk).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        on = _on(self.request)
        return {
            **super().get_context_data(**kwargs),
            "unit": self.unit, "on": on, "readiness": unit_readiness(self.unit, on),
            "statuses": self.unit.qms_statuses.order_by("since", "pk"),
            "announcements": ConformityAnnouncement.objects.filter(unit=self.unit).order_by("announced_on"),
        }


class DistrictOverviewView(AdminPageMixin, TemplateView):
    """All units in force on a day × readiness items and the figures a quality officer follows."""

    template_name = "recognition/overview.html"
    page_title = gettext_lazy("District overview")
    header_icon = "success"

    @cached_property
    def header_buttons(self):
        buttons = [HeaderButton(_("Annual QMS cycle"), url=reverse("readiness:cycle"), icon_name="date")]
        if self.request.user.has_perm("audits.add_nonconformity"):
            buttons.append(HeaderButton(
                _("Nonconformities from dossier performance"), url=reverse("readiness:performance"), icon_name="warning",
            ))
        return buttons

    def get(self, request, *args, **kwargs):
        on = _on(request)
        rows = district_overview(request.user, on)
        sort = request.GET.get("sort", "unit")
        key = sort.lstrip("-")
        if key in SORT_KEYS:
            rows.sort(key=lambda row: row.sort_values[key], reverse=sort.startswith("-"))
        if request.GET.get("format") == "xlsx":
            return self.xlsx(rows, on)
        items = rows[0].readiness.items if rows else []
        return self.render_to_response(self.get_context_data(on=on, rows=rows, sort=sort, items=items))

    def xlsx(self, rows, on):
        items = rows[0].readiness.items if rows else []
        columns = [XlsxColumn(_("Unit"), 28), XlsxColumn(_("QMS status"), 22), XlsxColumn(_("Score"), 10, PERCENT)]
        columns += [XlsxColumn(item.title, 18) for item in items]
        columns += [XlsxColumn(_("On-time rate (12 months)"), 14, PERCENT), XlsxColumn(_("Open nonconformities"), 12),
                    XlsxColumn(_("Overdue nonconformities"), 12), XlsxColumn(_("Documents due for review"), 12),
                    XlsxColumn(_("Last audit"), 13, "dd/mm/yyyy"), XlsxColumn(_("Last management review"), 13, "dd/mm/yyyy")]
        yes, no = _("Yes"), _("No")
        data = [
            [row.unit.label, row.status.get_status_display() if row.status else "", row.readiness.score / 100,
             *[yes if item.ok else no for item in row.readiness.items],
             row.on_time_rate if row.on_time_rate is not None else "–", row.open_ncs, row.overdue_ncs, row.documents_due,
             row.last_audit, row.last_review]
            for row in rows
        ]
        sheet = XlsxSheet(title=_("Overview"), columns=columns, rows=data,
                          heading=[_("District overview of the quality management system"),
                                   _("Units in force on %(day)s") % {"day": on.strftime("%d/%m/%Y")}])
        return xlsx_response([sheet], f"tong-quan-htqlcl-{on:%Y%m%d}.xlsx")


class PerformanceNonconformityView(AdminPageMixin, TemplateView):
    """Units whose objective was not met or whose overdue dossiers exceed a threshold in a period; the
    quality officer opens a nonconformity for one, prefilled with the figures (at most once)."""

    template_name = "recognition/performance.html"
    page_title = gettext_lazy("Nonconformities from dossier performance")
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("readiness:index"), "label": _("District overview")}, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("audits.add_nonconformity"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _period(self, data, on) -> Period:
        date_from = date_param(self.request, "date_from", None, data=data)
        date_to = date_param(self.request, "date_to", None, data=data)
        if date_from and date_to:
            if date_from <= date_to:
                return Period(date_from, date_to)
            messages.warning(self.request, MSG_PERIOD_REVERSED)
        kind = data.get("kind") if data.get("kind") in PERIOD_KINDS else "quarter"
        return last_complete_period(kind, on)

    def _threshold(self, data) -> int:
        return int_param(self.request, "threshold", DEFAULT_OVERDUE_THRESHOLD, maximum=MAX_OVERDUE_THRESHOLD, data=data)

    def get(self, request, *args, **kwargs):
        on = _on(request)
        period, threshold = self._period(request.GET, on), self._threshold(request.GET)
        return self.render_to_response(self.get_context_data(
            period=period, threshold=threshold, kind=request.GET.get("kind", "quarter"), on=on,
            candidates=performance_candidates(request.user, period, threshold=threshold), kinds=PERIOD_KINDS,
            feedback=negative_feedback(request.user, period),
        ))

    def post(self, request, *args, **kwargs):
        if request.POST.get("feedback"):
            return self._open_from_feedback(request)
        period, threshold = self._period(request.POST, _on(request)), self._threshold(request.POST)
        unit = get_object_or_404(Unit.objects.for_user(request.user), pk=id_param(request.POST, "unit"))
        objective = None
        if objective_id := id_param(request.POST, "objective", required=False):
            objective = get_object_or_404(QualityObjective.objects.for_user(request.user), pk=objective_id)
        try:
            nc = performance_nonconformity_open(user=request.user, unit=unit, period=period, objective=objective,
                                                threshold=threshold, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.get_full_path())
        messages.success(request, _("Nonconformity %(reference)s opened.") % {"reference": nc.reference})
        return redirect("nonconformities:detail", nc.pk)

    def _open_from_feedback(self, request):
        answer = get_object_or_404(CitizenFeedback.objects.for_user(request.user), pk=id_param(request.POST, "feedback"))
        try:
            nc = feedback_nonconformity_open(feedback=answer, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.get_full_path())
        messages.success(request, _("Nonconformity %(reference)s opened.") % {"reference": nc.reference})
        return redirect("nonconformities:detail", nc.pk)


class AnnualCycleView(AdminPageMixin, TemplateView):
    """Units without an internal audit or management review in 11 months, documents past the legal-update window."""

    template_name = "recognition/cycle.html"
    page_title = gettext_lazy("Annual QMS cycle")
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("readiness:index"), "label": _("District overview")}, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        on = _on(self.request)
        return {**super().get_context_data(**kwargs), "on": on, "gaps": cycle_gaps(unit_ids_for_user(self.request.user)
                if not self.request.user.is_superuser else Unit.objects.values_list("pk", flat=True), on)}
