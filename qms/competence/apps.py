from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenceConfig(AppConfig):
    """Competence and awareness (ISO 9001 7.2, 7.3): requirements per role, training records, the matrix."""

    name = "qms.competence"
    label = "competence"
    verbose_name = _("Competence")
    #: `load_demo` calls its `load(*, stdout, scale)` after the documents' and before the audits'.
    demo_module = "qms.competence.demo"

    def ready(self):
        from qms.competence.notifications import expiring_certificates_notify
        from qms.notifications.services import register_daily_check

        register_daily_check(expiring_certificates_notify)
