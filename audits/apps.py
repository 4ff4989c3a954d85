from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    """Audit programme, audits, findings, nonconformities, corrective actions (ISO 9001 9.2, 10.2)."""

    name = "audits"
    label = "audits"
    verbose_name = _("Internal audits")
    #: `load_demo` calls its `load(*, stdout, scale)` after core's.
    demo_module = "audits.demo"
