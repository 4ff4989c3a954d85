from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    """Dossier-handling records of the one-stop offices and their import."""

    name = "qms.dossiers"
    label = "dossiers"
    verbose_name = _("Dossier records")
    demo_module = "qms.dossiers.demo"
