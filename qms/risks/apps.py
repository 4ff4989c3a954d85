from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    """Context and interested parties (ISO 9001 4.1, 4.2) and the register of risks and opportunities (6.1)."""

    name = "qms.risks"
    label = "risks"
    verbose_name = _("Risks and opportunities")
    #: `load_demo` calls its `load(*, stdout, scale)` after the audits' (a risk may come from a nonconformity).
    demo_module = "qms.risks.demo"

    def ready(self):
        from qms.notifications.services import register_daily_check
        from qms.risks.notifications import risk_actions_remind

        register_daily_check(risk_actions_remind)
