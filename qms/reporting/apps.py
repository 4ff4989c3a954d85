from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Indicators, Biểu 06 and the other reports, rendered as page, PDF, XLSX."""

    name = "qms.reporting"
    label = "reporting"
    verbose_name = _("Reports")
    demo_module = "qms.reporting.demo"
