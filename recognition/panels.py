"""Dashboard panel of the QMS journey: each unit's readiness today, first thing a quality officer sees."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from recognition.readiness import overview_units, readiness_of_units


class ReadinessPanel(Component):
    """The units in force today that the user may see, with their readiness score and next step."""

    name = "qms_readiness"
    order = 20
    template_name = "recognition/panels/readiness.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        rows = list(readiness_of_units(overview_units(self.request.user, today), today).values())
        return {"rows": rows, "today": today}
