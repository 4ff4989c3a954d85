"""The Biểu 06 report page and its downloads (PDF, XLSX, CSV, JSON)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from qms.core.models import Unit
from qms.core.views import PermissionRequiredMixin
from qms.core.xlsx import XLSX_CONTENT_TYPE, file_response
from qms.reporting import charts, engine, renderers
from qms.reporting.forms import ReportForm
from qms.reporting.objectives import objective_evaluate, objectives_for_user

DOWNLOADS = {
    "pdf": "application/pdf",
    "xlsx": XLSX_CONTENT_TYPE,
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def issuer_for(user):
    """The unit a report is issued in the name of when several (or no) units were chosen: the user's first."""
    membership = user.memberships.select_related("unit__parent").order_by("unit__code").first()
    return membership.unit if membership else None


class ReportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Biểu 06 for a period and units: table 1–14 with totals and indicators, charts, objectives, downloads."""

    permission_required = "reporting.view_report"
    template_name = "reporting/bieu06.html"
    page_title = _("Dossier report (Biểu 06)")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        requested = {int(v) for v in request.GET.getlist("units") if v.isdigit()}
        visible = set(Unit.objects.for_user(request.user).filter(pk__in=requested).values_list("pk", flat=True))
        if requested - visible:
            raise PermissionDenied  # another unit's report is refused, not silently narrowed
        form = ReportForm(request.GET or None, user=request.user)
        if not request.GET:
            form = ReportForm({"preset": "year", "group_by": engine.GroupBy.UNIT, "rollup": "on"}, user=request.user)
        context = {"form": form}
        if form.is_valid():
            period = form.period()
            report = engine.bieu06(
                period=period, units=list(form.cleaned_data["units"]) or None,
                group_by=form.cleaned_data["group_by"], as_of=form.rollup_date(period), user=request.user,
            )
            kind = request.GET.get("format")
            if kind in DOWNLOADS:
                return self.download(report, kind)
            context.update(self.report_context(report))
        return self.render_to_response(self.get_context_data(**context))

    def download(self, report, kind: str):
        issuer = issuer_for(self.request.user)
        if kind == "pdf":
            content = renderers.pdf(report, user=self.request.user, issuer=issuer)
        elif kind == "xlsx":
            content = renderers.xlsx(report, issuer=issuer)
        elif kind == "csv":
            content = renderers.csv_bytes(report)
        else:
            content = renderers.json_bytes(report)
        return file_response(content, renderers.filename(report, kind), DOWNLOADS[kind])

    def report_context(self, report) -> dict:
        trend = engine.monthly(report.period, report.unit_ids)
        by = renderers.GROUP_HEADER[report.group_by].lower()
        objectives = [
            o for o in objectives_for_user(self.request.user)
            if report.unit_ids is None or o.unit_id in report.unit_ids
        ]
        query = self.request.GET.copy()
        query.pop("format", None)
        return {
            "report": report,
            "rows": renderers.display_rows(report),
            "group_header": renderers.GROUP_HEADER[report.group_by],
            "heading": renderers.heading(report, issuer_for(self.request.user)),
            "chart_rows": charts.data_uri(charts.on_time_by_row(report.rows, title=f"Tỷ lệ giải quyết đúng hạn theo {by}")),
            "chart_trend": charts.data_uri(charts.monthly_trend(trend, title="Kết quả giải quyết theo tháng")),
            "evaluations": [objective_evaluate(objective=o, period=report.period) for o in objectives],
            "query": query.urlencode(),
        }
