"""
Evidence files (ISO 9001 7.5.3: records are kept and protected from loss of integrity). An uploaded
file attached to a checklist answer, a finding or a corrective action is a Wagtail document in its
unit's evidence collection, with the SHA-256 of its bytes taken at upload. Nobody edits, replaces,
moves or deletes it through Wagtail's document screens (`audits.permissions.DocumentPolicy`); it is
downloaded only through `audits:attachment`, which checks the user's units.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string


class EvidenceCollection(models.Model):
    """The Wagtail collection holding one unit's evidence, under the evidence parent collection."""

    unit = models.OneToOneField("core.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.PROTECT, related_name="+", verbose_name=_("collection")
    )

    class Meta:
        verbose_name = _("evidence collection")
        verbose_name_plural = _("evidence collections")

    def __str__(self):
        return str(self.collection)


class EvidenceFile(models.Model):
    """The fingerprint of one evidence document, recorded when it was uploaded."""

    document = models.OneToOneField(
        get_document_model_string(),
        on_delete=models.PROTECT, related_name="evidence", verbose_name=_("document"),
    )
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.CheckConstraint(condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="evidence_sha256_is_hex"),
        ]

    def __str__(self):
        return f"{self.document_id} {self.sha256}"
