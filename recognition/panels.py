"""Dashboard panel of the QMS journey: each unit's readiness today, first thing a quality officer sees."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from recognition.readiness import overview_units, readiness_of_units


class ReadinessPanel(Component):
    """
    The units in force today that the user may see, furthest from announcing conformity first, with their
    score and next step. A district's or province's many units: the `ROWS` lowest, the rest counted and
    left to the overview, so the panel costs the same for 20 units or 200.
    """

    name = "qms_readiness"
    #: Every register a unit's readiness weighs (recognition.readiness._facts): kept until one of them changes.
    reads = ("audits", "competence", "core", "dossiers", "procedures_docs", "recognition", "reporting", "risks", "wagtailcore")
    order = 20
    template_name = "recognition/panels/readiness.html"

    ROWS = 10

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        rows = sorted(readiness_of_units(overview_units(self.request.user, today), today).values(),
                      key=lambda row: row.score)  # stable: units of equal score keep the overview's order
        return {"rows": rows[: self.ROWS], "others": len(rows) - self.ROWS, "count": len(rows), "today": today}
