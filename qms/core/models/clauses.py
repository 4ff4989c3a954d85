"""The clauses of ISO 9001:2015 (titles only), cited by documents, checklists and findings."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class IsoClause(models.Model):
    """A clause or sub-clause of ISO 9001:2015, e.g. "7.5.3". Loaded by a data migration. Admin: Catalogues."""

    number = models.CharField(_("clause"), max_length=16, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent clause")
    )
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    #: "07.05.03": sorts 10.x after 9.x, which `number` cannot.
    sort_key = models.CharField(max_length=32, editable=False, db_index=True)

    class Meta:
        verbose_name = _("ISO 9001 clause")
        verbose_name_plural = _("ISO 9001 clauses")
        ordering = ["sort_key"]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.sort_key = self.sort_key_for(self.number)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "vi").startswith("en") else self.title_vi

    @property
    def depth(self) -> int:
        return self.number.count(".")

    @staticmethod
    def sort_key_for(number: str) -> str:
        return ".".join(part.zfill(2) for part in number.split("."))
