"""The catalogue of administrative procedures (thủ tục hành chính, TTHC) the units handle."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.core.text import fold


class ProcedureLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class OnlineLevel(models.TextChoices):
    FULL = "toan_trinh", _("Fully online")
    PARTIAL = "mot_phan", _("Partly online")
    NONE = "khong", _("Not online")


class AdministrativeProcedureQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def search(self, query: str):
        """Code, name or field, with or without diacritics: "ho tich" finds "Hộ tịch"."""
        words = fold(query).split()
        qs = self
        for word in words:
            qs = qs.filter(search_text__contains=word)
        return qs


class AdministrativeProcedure(models.Model):
    """
    A TTHC of the national catalogue as this district applies it. Admin: Catalogues → TTHC.
    Changes are kept (simple-history), so a change of legal basis can be traced and acted on.
    """

    code = models.CharField(_("procedure code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=500)
    field = models.CharField(_("field"), max_length=200, db_index=True, help_text=_('Lĩnh vực, e.g. "Hộ tịch".'))
    level = models.CharField(_("level"), max_length=16, choices=ProcedureLevel.choices)
    online_level = models.CharField(
        _("online level"), max_length=16, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    processing_days = models.DecimalField(
        _("statutory processing time (working days)"), max_digits=5, decimal_places=1,
        help_text=_("0 = within the day of receipt."),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    legal_basis_changed_on = models.DateField(
        _("legal basis changed on"), null=True, blank=True, editable=False,
        help_text=_("Documents governing this procedure must be updated within 3 months of this date."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    #: Folded copy of code, name and field for diacritic-insensitive search.
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = AdministrativeProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative procedure (TTHC)")
        verbose_name_plural = _("administrative procedures (TTHC)")
        ordering = ["field", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(processing_days__gte=0), name="tthc_processing_days_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="tthc_valid_to_after_valid_from",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.name} {self.field}")
        super().save(*args, **kwargs)

    @property
    def processing_time_label(self) -> str:
        """ "Trong ngày", "3 ngày làm việc", "0,5 ngày làm việc": how the time is written on forms."""
        if not self.processing_days:
            return str(_("Within the day"))
        days = f"{self.processing_days.normalize():f}".replace(".", ",")
        return str(_("%(days)s working days")) % {"days": days}

