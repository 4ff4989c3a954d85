from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    """Dossier-handling records of the one-stop offices and their import."""

    name = "qms.dossiers"
    label = "dossiers"
    verbose_name = _("Dossier records")
    demo_module = "qms.dossiers.demo"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from qms.dossiers.models import Dossier
        from qms.dossiers.months import invalidate

        # The import writes with SQL and keeps the monthly cells itself; any other write makes them stale.
        post_save.connect(invalidate, sender=Dossier, dispatch_uid="dossier_months_saved")
        post_delete.connect(invalidate, sender=Dossier, dispatch_uid="dossier_months_deleted")
