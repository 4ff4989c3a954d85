from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    """Each unit's road to announcing conformity and keeping its QMS alive: readiness, the district
    overview, management review (9.3), the conformity announcement, annual-cycle reminders."""

    name = "recognition"
    label = "recognition"
    verbose_name = _("QMS journey")
    demo_module = "recognition.demo"
