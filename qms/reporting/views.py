"""The Biểu 06 report page and its downloads (PDF, XLSX, CSV, JSON)."""

from __future__ import annotations

import datetime
import hashlib

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from qms.core.models import Unit
from qms.core.models.units import unit_ids_for_user
from qms.core.params import parse_int
from qms.core.printing import issuing_body_for_user
from qms.core.views import AdminPageMixin, PermissionRequiredMixin
from qms.core.xlsx import XLSX_CONTENT_TYPE, file_response
from qms.dossiers.selectors import data_version
from qms.reporting import engine, renderers
from qms.reporting.forms import DEFAULT_PRESET, ReportForm
from qms.reporting.objectives import objectives_evaluate, objectives_for_user

DOWNLOADS = {
    "pdf": "application/pdf",
    "xlsx": XLSX_CONTENT_TYPE,
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


#: How long a computed report and its charts are kept for the page's downloads (seconds).
CACHE_SECONDS = 600


def issuer_for(user, *, on: datetime.date | None = None):
    """
    The unit a report is issued in the name of when several (or no) units were chosen: the body in force
    today (or `on`) among the user's units and their successors (`qms.core.printing.issuing_body`).
    """
    body = issuing_body_for_user(user, on=on or timezone.localdate())
    return body.unit if body else None


class ReportView(PermissionRequiredMixin, AdminPageMixin, TemplateView):
    """Biểu 06 for a period and units: table 1–14 with totals and indicators, charts, objectives, downloads."""

    permission_required = "reporting.view_report"
    template_name = "reporting/bieu06.html"
    page_title = _("Dossier report (Biểu 06)")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        requested = {pk for pk in map(parse_int, request.GET.getlist("units")) if pk}
        visible = set(Unit.objects.for_user(request.user).filter(pk__in=requested).values_list("pk", flat=True))
        if requested - visible:
            raise PermissionDenied  # another unit's report is refused, not silently narrowed
        form = ReportForm(request.GET or None, user=request.user)
        if not request.GET:
            form = ReportForm({"preset": DEFAULT_PRESET, "group_by": engine.GroupBy.UNIT, "rollup": "on"}, user=request.user)
        context = {"form": form}
        if form.is_valid():
            computed = self.compute(form)
            kind = request.GET.get("format")
            issuer = form.cleaned_data["issuer"] or issuer_for(request.user)
            if kind in DOWNLOADS:
                return self.download(computed, kind, issuer=issuer)
            context.update(self.report_context(computed, issuer=issuer))
        return self.render_to_response(self.get_context_data(**context))

    def compute(self, form) -> dict:
        """
        The report and its charts, kept for a few minutes: the downloads that follow a page view (PDF,
        XLSX, CSV of the same query) reuse them instead of counting a million dossiers again.
        """
        # The issuer changes only the heading, written at download time: the same computed report serves.
        query = sorted((k, v) for k, v in self.request.GET.lists() if k not in ("format", "issuer"))
        user = self.request.user
        scope = "all" if user.is_superuser else sorted(unit_ids_for_user(user))  # what this user may see
        raw = repr((user.pk, scope, query, data_version(), self.request.LANGUAGE_CODE))  # the import raises the version
        key = "qms-bieu06:" + hashlib.sha256(raw.encode()).hexdigest()
        computed = cache.get(key)
        if computed is None:
            period = form.period()
            report = engine.bieu06(
                period=period, units=list(form.cleaned_data["units"]) or None,
                group_by=form.cleaned_data["group_by"], as_of=form.rollup_date(period), user=self.request.user,
            )
            computed = {"report": report, **renderers.chart_images(report)}
            cache.set(key, computed, CACHE_SECONDS)
        return computed

    def download(self, computed: dict, kind: str, *, issuer: Unit | None):
        """`issuer`: the body picked on the form (or the user's, `issuer_for`); the PDF and XLSX headings name it."""
        report = computed["report"]
        if kind == "pdf":
            content = renderers.pdf(report, user=self.request.user, issuer=issuer,
                                    images={"chart_trend": computed["chart_trend"]})
        elif kind == "xlsx":
            content = renderers.xlsx(report, issuer=issuer, user=self.request.user)
        elif kind == "csv":
            content = renderers.csv_bytes(report)
        else:
            content = renderers.json_bytes(report)
        return file_response(content, renderers.filename(report, kind), DOWNLOADS[kind])

    def report_context(self, computed: dict, *, issuer: Unit | None) -> dict:
        report = computed["report"]
        objectives = [
            o for o in objectives_for_user(self.request.user, report.period.date_to)
            if report.unit_ids is None or o.unit_id in report.unit_ids
        ]
        query = self.request.GET.copy()
        query.pop("format", None)
        return {
            "report": report,
            "rows": renderers.display_rows(report),
            "satisfaction_line": renderers.satisfaction_line(report),
            "group_header": renderers.GROUP_HEADER[report.group_by],
            "heading": renderers.heading(report, issuer),
            "on_time_bars": renderers.on_time_bars(report),
            "chart_trend": computed["chart_trend"],
            "evaluations": objectives_evaluate(pairs=[(o, report.period) for o in objectives]),
            "query": query.urlencode(),
        }
