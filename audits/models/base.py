"""Pieces shared by the audit models: history that services can write in one row."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class History(HistoricalRecords):
    """
    django-simple-history that leaves a handle on the model (`Model._history_records`), so a
    service that sets many-to-many fields can save without history, set them, and then write
    one history row that holds the whole new state (instead of one row per `.set()`).
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            sender._history_records = self


class HistoryStep(models.TextChoices):
    """
    What a history row records, stored as its change reason (a code, so the timeline shows it in the
    reader's language). Services set one on every save.
    """

    PROGRAMME_SAVED = "programme.saved", _("Programme saved")
    PROGRAMME_APPROVED = "programme.approved", _("Programme approved")
    PROGRAMME_COPIED = "programme.copied", _("Programme created from last year's")
    AUDIT_PLANNED = "audit.planned", _("Audit plan saved")
    AUDIT_STARTED = "audit.started", _("Audit started")
    AUDIT_REPORTED = "audit.reported", _("Audit reported")
    AUDIT_CLOSED = "audit.closed", _("Audit closed")
    CHECKLIST_GENERATED = "checklist.generated", _("Checklist generated")
    CHECKLIST_RECORDED = "checklist.recorded", _("Checklist answer recorded")
    FINDING_RECORDED = "finding.recorded", _("Finding recorded")
    NC_OPENED = "nc.opened", _("Nonconformity opened")
    NC_UPDATED = "nc.updated", _("Nonconformity details changed")
    NC_CORRECTION = "nc.correction", _("Correction recorded")
    NC_ANALYSED = "nc.analysed", _("Root cause analysed")
    NC_ACTIONS_PLANNED = "nc.actions_planned", _("Corrective actions planned")
    NC_AWAITING_VERIFICATION = "nc.awaiting_verification", _("All actions done: awaiting the effectiveness check")
    NC_CLOSED = "nc.closed", _("Checked effective and closed")
    NC_REOPENED = "nc.reopened", _("Checked not effective: analysis reopened")
    NC_TRANSFERRED = "nc.transferred", _("Transferred to the successor unit")
    ACTION_ADDED = "action.added", _("Corrective action planned")
    ACTION_UPDATED = "action.updated", _("Corrective action changed")
    ACTION_DONE = "action.done", _("Corrective action done")
    QUESTION_SAVED = "question.saved", _("Question saved")
    REMINDER_SENT = "reminder.sent", _("Reminder sent")
