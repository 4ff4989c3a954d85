from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresDocsConfig(AppConfig):
    """Controlled documents and forms: revisions, review, approval (ISO 9001 7.5)."""

    name = "procedures_docs"
    label = "procedures_docs"
    verbose_name = _("Controlled documents")
