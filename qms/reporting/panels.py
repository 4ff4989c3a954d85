"""Dashboard panels of reporting: the quality objectives; last month's imports and Biểu 06 for one-stop staff."""

from urllib.parse import urlencode

from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from qms.dossiers.models import Dossier, ImportBatch
from qms.reporting import engine
from qms.reporting.forms import last_period
from qms.reporting.objectives import current_period, objectives_evaluate, objectives_for_user


class ObjectivesPanel(Component):
    name = "qms_objectives"
    reads = ("reporting", "dossiers")  # kept until these apps' records change (qms.core.freshness)
    order = 200
    template_name = "reporting/objectives_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        objectives = objectives_for_user(self.request.user, today)
        return {"evaluations": objectives_evaluate(
            pairs=[(objective, current_period(objective.period_kind, today)) for objective in objectives]
        )}


class LastMonthPanel(Component):
    """
    The one-stop officer's main task (issue 13): import last month's dossiers, then check last month's
    Biểu 06. Their last imports (outcome, the receipt dates they brought), the import button, and the key
    figures of last month's Biểu 06 over their units with the link to the full report.
    """

    name = "qms_last_month"
    reads = ("dossiers", "reporting")
    order = 30
    template_name = "reporting/panels/last_month.html"

    #: How many of the user's last imports the panel lists.
    BATCHES = 5

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        user = self.request.user
        if not (user.has_perm("reporting.view_report") and user.has_perm("dossiers.add_importbatch")):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        user = self.request.user
        today = timezone.localdate()
        period = last_period("month", today)
        unit_ids = engine.scope_unit_ids(None, user)
        batches = list(ImportBatch.objects.for_user(user)[: self.BATCHES])
        # The receipt dates each batch brought, within the user's units: (unit, received_on) is indexed.
        dossiers = Dossier.objects.filter(batch__in=[b.pk for b in batches])
        if unit_ids is not None:
            dossiers = dossiers.filter(unit_id__in=unit_ids)
        spans = {
            row["batch"]: (row["first"], row["last"])
            for row in dossiers.values("batch").annotate(first=Min("received_on"), last=Max("received_on"))
        }
        for batch in batches:
            batch.first_received, batch.last_received = spans.get(batch.pk, (None, None))
        totals = engine.totals_for(period=period, unit_ids=unit_ids, today=today)
        query = urlencode({"preset": "last_month", "group_by": engine.GroupBy.UNIT, "rollup": "on"})
        return {
            "period": period,
            "counted_to": period.counted_to(today),
            "batches": batches,
            "totals": totals,
            "import_url": reverse("dossier_import:index"),
            "report_url": f"{reverse('reports:index')}?{query}",
        }
