"""The readiness of one unit and the district overview (the quality officer's home screen)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.widgets import HeaderButton

from qms.core.models import Unit
from qms.core.models.units import unit_ids_for_user
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


def _on(request) -> datetime.date:
    return parse_date(request.GET.get("on") or "") or timezone.localdate()


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
            [row.unit.name, row.status.get_status_display() if row.status else "", row.readiness.score / 100,
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

    def _period(self, data) -> Period:
        if data.get("date_from") and data.get("date_to"):
            return Period(parse_date(data["date_from"]), parse_date(data["date_to"]))
        kind = data.get("kind") if data.get("kind") in PERIOD_KINDS else "quarter"
        return last_complete_period(kind, _on(self.request))

    def _threshold(self, data) -> int:
        value = data.get("threshold", "")
        return int(value) if value.isdigit() else DEFAULT_OVERDUE_THRESHOLD

    def get(self, request, *args, **kwargs):
        period, threshold = self._period(request.GET), self._threshold(request.GET)
        return self.render_to_response(self.get_context_data(
            period=period, threshold=threshold, kind=request.GET.get("kind", "quarter"), on=_on(request),
            candidates=performance_candidates(request.user, period, threshold=threshold), kinds=PERIOD_KINDS,
            feedback=negative_feedback(request.user, period),
        ))

    def post(self, request, *args, **kwargs):
        if request.POST.get("feedback"):
            return self._open_from_feedback(request)
        period, threshold = self._period(request.POST), self._threshold(request.POST)
        unit = get_object_or_404(Unit.objects.for_user(request.user), pk=request.POST.get("unit"))
        objective = None
        if request.POST.get("objective"):
            objective = get_object_or_404(QualityObjective.objects.for_user(request.user), pk=request.POST["objective"])
        try:
            nc = performance_nonconformity_open(user=request.user, unit=unit, period=period, objective=objective,
                                                threshold=threshold, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.get_full_path())
        messages.success(request, _("Nonconformity %(reference)s opened.") % {"reference": nc.reference})
        return redirect("nonconformities:detail", nc.pk)

    def _open_from_feedback(self, request):
        answer = get_object_or_404(CitizenFeedback.objects.for_user(request.user), pk=request.POST["feedback"])
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
