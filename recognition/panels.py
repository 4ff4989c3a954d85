"""Dashboard panel of the QMS journey: each unit's readiness today, first thing a quality officer sees."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from recognition.readiness import overview_units, unit_readiness


class ReadinessPanel(Component):
    """The units in force today that the user may see, with their readiness score and next step."""

    name = "qms_readiness"
    order = 20
    template_name = "recognition/panels/readiness.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        rows = [unit_readiness(unit, today) for unit in overview_units(self.request.user, today)]
        return {"rows": rows, "today": today}
