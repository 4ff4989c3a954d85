"""Dashboard panels: open and overdue nonconformities per unit, my actions, my audits."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from audits import permissions, selectors
from audits.models import Audit, AuditStatus, audits_on_team


class NonconformityPanel(Component):
    """Open / overdue nonconformities per unit the user may see, with links to the filtered list."""

    name = "qms_nonconformities"
    reads = ("audits",)  # what it shows is kept until these apps' records change (qms.core.freshness)
    order = 300
    template_name = "audits/panels/nonconformities.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not self.request.user.has_perm("audits.view_nonconformity"):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        user = self.request.user
        rows = selectors.nonconformity_counts_by_unit(user)
        transfer = selectors.nonconformities_to_transfer(user) if permissions.can_transfer(user) else []
        return {
            "rows": rows,
            "total_open": sum(r.open for r in rows),
            "total_overdue": sum(r.overdue for r in rows),
            "transfer_count": len(transfer),
        }


class MyWorkPanel(Component):
    """
    The user's own work: their open corrective actions, the audits they are on (planned or under way)
    and the nonconformities they raised that are still open, with due dates (an auditor's first screen).
    """

    name = "qms_my_audit_work"
    reads = ("audits",)
    order = 250
    template_name = "audits/panels/my_work.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        today = timezone.localdate()
        actions = list(selectors.my_actions(user).filter(done_on__isnull=True)[:8])
        for action in actions:
            action.overdue = action.is_overdue(today)
        audits = (
            Audit.objects.filter(pk__in=audits_on_team(user), status__in=[AuditStatus.PLANNED, AuditStatus.IN_PROGRESS])
            .select_related("unit").order_by("planned_start")
        )
        raised = list(selectors.nonconformities_raised_open(user)[:10])
        return {"actions": actions, "audits": list(audits[:8]), "raised": raised, "today": today}

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not (context["actions"] or context["audits"] or context["raised"]):
            return ""
        from django.template.loader import render_to_string

        return render_to_string(self.template_name, context, request=self.request)
