from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    """Audit programme, audits, findings, nonconformities, corrective actions (ISO 9001 9.2, 10.2)."""

    name = "audits"
    label = "audits"
    verbose_name = _("Internal audits")
    #: `load_demo` calls its `load(*, stdout, scale)` after core's.
    demo_module = "audits.demo"

    def ready(self):
        # Audit teams read the audited unit's documents while the audit is open: core asks this app
        # through a hook, so neither core nor procedures_docs imports audits.
        from audits.permissions import units_audited_now
        from qms.core.roles import register_audit_scope

        register_audit_scope(units_audited_now)

        from audits.notifications import overdue_escalate
        from qms.notifications.services import register_daily_check

        register_daily_check(overdue_escalate)
