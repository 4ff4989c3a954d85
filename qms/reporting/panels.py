"""Dashboard panel: the quality objectives of the user's units, met or not, for the current period."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from qms.reporting.objectives import current_period, objectives_evaluate, objectives_for_user


class ObjectivesPanel(Component):
    name = "qms_objectives"
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
