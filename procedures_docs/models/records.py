"""
Records about controlled documents that are not their content, so they live outside Wagtail's
revisions and no draft can rewrite them: the issue register, withdrawals (obsolete documents),
acknowledgements, review demands and the reminder log, and the per-unit access groups.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qms.core.roles import Role


class IssuedRevision(models.Model):
    """
    One issue (lần ban hành) of a document: written when the approval publishes a revision, never
    edited afterwards. Names and positions are copied in, so the register reads as it was signed.
    Shown on the reading copy (header and amendment log) and in the admin register.
    """

    document = models.ForeignKey(
        "procedures_docs.ControlledDocumentPage", on_delete=models.PROTECT, related_name="issues",
        verbose_name=_("document"),
    )
    number = models.PositiveIntegerField(_("revision number"))
    #: PROTECT: an issued revision can be neither purged nor deleted with its page.
    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.PROTECT, related_name="document_issue", verbose_name=_("revision")
    )
    workflow_state = models.ForeignKey(
        "wagtailcore.WorkflowState", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    effective_date = models.DateField(_("effective date"))
    #: Effective date plus the review interval of this issue; a legal-update demand may come sooner.
    next_review_on = models.DateField(_("next periodic review"))
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=255)
    change_summary = models.TextField(_("change summary"))
    change_location = models.CharField(_("where changed"), max_length=200, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("drafted by"),
    )
    drafted_by_name = models.CharField(_("drafted by"), max_length=200, blank=True)
    drafted_by_position = models.CharField(_("position"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_by_name = models.CharField(_("reviewed by"), max_length=200, blank=True)
    reviewed_by_position = models.CharField(_("position"), max_length=200, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )
    approved_by_name = models.CharField(_("approved by"), max_length=200, blank=True)
    approved_by_position = models.CharField(_("position"), max_length=200, blank=True)
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        verbose_name = _("issued revision")
        verbose_name_plural = _("issued revisions")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="issue_number_unique_per_document"),
            models.CheckConstraint(condition=Q(number__gte=1), name="issue_number_positive"),
            models.CheckConstraint(condition=~Q(change_summary=""), name="issue_has_change_summary"),
        ]

    def __str__(self):
        return f"{self.code} – lần ban hành {self.number} ({self.effective_date:%d/%m/%Y})"


class DocumentWithdrawal(models.Model):
    """
    A document made obsolete (tài liệu lỗi thời): it stays readable with an "obsolete" banner, leaves
    the master list and appears in the register of obsolete documents. Admin: Documents → Obsolete.
    """

    document = models.OneToOneField(
        "procedures_docs.ControlledDocumentPage", on_delete=models.PROTECT, related_name="withdrawal",
        verbose_name=_("document"),
    )
    withdrawn_on = models.DateField(_("obsolete from"))
    reason = models.TextField(_("reason"))
    last_issue = models.ForeignKey(
        IssuedRevision, on_delete=models.PROTECT, related_name="+", verbose_name=_("last issue in force")
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_by_name = models.CharField(_("withdrawn by"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("obsolete document")
        verbose_name_plural = _("obsolete documents")
        ordering = ["-withdrawn_on", "document__code"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="withdrawal_has_reason"),
        ]

    def __str__(self):
        return f"{self.last_issue.code} – {self.withdrawn_on:%d/%m/%Y}"


class Acknowledgement(models.Model):
    """"Tôi đã đọc và hiểu": a user read one issue of a document. Kept for good (PROTECT)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_acknowledgements",
        verbose_name=_("user"),
    )
    issue = models.ForeignKey(
        IssuedRevision, on_delete=models.PROTECT, related_name="acknowledgements", verbose_name=_("issue")
    )
    acknowledged_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["user", "issue"], name="acknowledgement_once_per_issue")]

    def __str__(self):
        return f"{self.user} – {self.issue}"


class ReviewDemand(models.Model):
    """
    A review the document owes before its periodic date: raised when the legal basis of a TTHC it
    governs changes (due 3 months later, Decision 19/2014). Met by the next issue.
    """

    document = models.ForeignKey(
        "procedures_docs.ControlledDocumentPage", on_delete=models.PROTECT, related_name="review_demands",
        verbose_name=_("document"),
    )
    procedure = models.ForeignKey(
        "core.AdministrativeProcedure", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("TTHC"),
    )
    reason = models.TextField(_("reason"))
    raised_on = models.DateField(_("raised on"))
    due_on = models.DateField(_("due on"))
    met_by = models.ForeignKey(
        IssuedRevision, on_delete=models.PROTECT, null=True, blank=True, related_name="met_demands",
        verbose_name=_("met by issue"),
    )

    class Meta:
        verbose_name = _("review demand")
        verbose_name_plural = _("review demands")
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("raised_on")), name="review_demand_due_after_raised"),
        ]

    def __str__(self):
        return f"{self.document} – {self.due_on:%d/%m/%Y}"


class ReviewReminder(models.Model):
    """The log of the review reminders mailed before `qms.notifications` took them over (kept as history;
    nothing writes it now: a `Notification` keyed by document and due date is the record)."""

    document = models.ForeignKey(
        "procedures_docs.ControlledDocumentPage", on_delete=models.PROTECT, related_name="review_reminders"
    )
    due_on = models.DateField(_("review due on"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(fields=["document", "due_on", "recipient"], name="review_reminder_once_per_period"),
        ]

    def __str__(self):
        return f"{self.document_id} {self.due_on:%d/%m/%Y} → {self.email}"


class LibraryAccessGroup(models.Model):
    """
    The group that carries one role's page permissions at one unit's library (Wagtail page
    permissions flow down the tree). Its members are kept in step with roles and memberships by
    `services.document_access_sync`; nobody edits them by hand.
    """

    library = models.ForeignKey(
        "procedures_docs.DocumentLibraryPage", on_delete=models.CASCADE, related_name="access_groups"
    )
    role = models.CharField(max_length=64, choices=Role.choices)
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="document_library_access")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["library", "role"], name="library_access_group_per_role")]

    def __str__(self):
        return self.group.name

