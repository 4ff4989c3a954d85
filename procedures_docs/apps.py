from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresDocsConfig(AppConfig):
    """Controlled documents and forms: revisions, review, approval (ISO 9001 7.5)."""

    name = "procedures_docs"
    label = "procedures_docs"
    verbose_name = _("Controlled documents")
    default_auto_field = "django.db.models.BigAutoField"
    demo_module = "procedures_docs.demo"

    def ready(self):
        from procedures_docs import receivers
        from procedures_docs.notifications import reviews_due_notify
        from qms.notifications.services import register_daily_check

        receivers.connect()
        register_daily_check(reviews_due_notify)
