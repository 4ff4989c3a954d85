"""The conformity announcement (công bố HTQLCL phù hợp TCVN ISO 9001:2015, Decision 19/2014, Art. 4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.core.models import UnitScopedQuerySet


class ConformityAnnouncement(models.Model):
    """
    A unit's signed announcement that its QMS conforms, with its scope (the TTHC it covers).
    Recording it also adds the "announced" step to the unit's QMS status. Admin: QMS journey → Announcements.
    """

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="announcements", verbose_name=_("unit"))
    announced_on = models.DateField(_("announced on"))
    decision_number = models.CharField(_("decision number"), max_length=100)
    signer_name = models.CharField(_("signed by"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=200, default="Chủ tịch")
    scope = models.ManyToManyField(
        "core.AdministrativeProcedure", related_name="announcements", verbose_name=_("scope (TTHC covered)")
    )
    scope_note = models.TextField(_("scope note"), blank=True)
    #: What the readiness check found missing on the announcement date, which the recorder confirmed
    #: knowing (recognition.services.announcement_record): the gaps stay on the record, to follow up.
    readiness_gaps = models.TextField(_("readiness gaps confirmed when recorded"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[scope])
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("conformity announcement")
        verbose_name_plural = _("conformity announcements")
        ordering = ["-announced_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "decision_number"], name="announcement_unique_decision"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.decision_number} ({self.announced_on:%d/%m/%Y})"
