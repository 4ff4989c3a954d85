"""
Dossier-handling records of the one-stop offices (one row per dossier, imported from the
one-stop software) and the import batches that brought them in.

Besides the fields of DOMAIN.md's import format, each dossier stores the local calendar dates the
reports compare (received, due, result, closed) and its processing time in working days. They are
derived once, at import, so Biểu 06 is one GROUP BY over indexed columns, identical on SQLite and
PostgreSQL, without time-zone arithmetic or a Python loop over a million rows.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qms.core.models import AdministrativeProcedure, Membership, Unit, UnitScopedQuerySet
from qms.core.models.units import unit_ids_for_user
from qms.core.roles import Role, has_role


class Channel(models.TextChoices):
    IN_PERSON = "truc_tiep", _("In person")
    ONLINE = "truc_tuyen", _("Online")
    POST = "buu_chinh", _("By post")


class Status(models.IntegerChoices):
    """The national status codes of a dossier (DOMAIN.md)."""

    SUBMITTED = 1, _("Submitted online, not yet accepted")
    ACCEPTED = 2, _("Accepted")
    NOT_ACCEPTED = 3, _("Not accepted")
    PROCESSING = 4, _("In processing")
    SUPPLEMENT = 5, _("Supplement requested")
    PAYMENT = 6, _("Payment requested")
    WITHDRAWN = 7, _("Withdrawn by the applicant")
    STOPPED = 8, _("Processing stopped")
    FINISHED = 9, _("Processing finished")
    RETURNED = 10, _("Result returned")


#: Statuses left out of every report (never accepted).
EXCLUDED_STATUSES = (Status.SUBMITTED, Status.NOT_ACCEPTED)

#: A dossier closed within this many days of its receipt is "short"; the rest (closed later, or still open) are
#: `long_open`. A period [from, to] then reaches its dossiers through two index ranges: short ones received in
#: [from - LONG_OPEN_DAYS, to] (none received earlier can still be open at `from`), and long ones received by `to`
#: (few, and the still-open ones among them count anyway). So a report costs its period, not the history before it.
LONG_OPEN_DAYS = 92


def reach_q(date_from, date_to) -> Q:
    """The dossiers that can matter for [date_from, date_to]: received by its end, not closed before its start,
    written as the two index ranges of `LONG_OPEN_DAYS` (the same predicate as `engine.aggregate`'s SQL)."""
    earliest = date_from - datetime.timedelta(days=LONG_OPEN_DAYS)
    return (
        (Q(long_open=False, received_on__gte=earliest, received_on__lte=date_to) | Q(long_open=True, received_on__lte=date_to))
        & (Q(closed_on__isnull=True) | Q(closed_on__gte=date_from))
    )


class DossierQuerySet(UnitScopedQuerySet):
    unit_lookup = "unit"

    def reportable(self):
        return self.exclude(status__in=EXCLUDED_STATUSES)

    def pending_on(self, day):
        """Received by `day` and not closed by it."""
        return self.reportable().filter(reach_q(day, day)).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))


class Dossier(models.Model):
    """One dossier handled by a one-stop office. Admin: Dossiers → Dossier records (read only; records come by import)."""

    # Unique through Meta.constraints, not `unique=True`: on PostgreSQL that would add a second, "_like" index
    # (varchar_pattern_ops) that no query uses: codes are looked up by equality (import, ON CONFLICT) and the
    # list's search is `icontains`, UPPER(code) LIKE '%…%', which no b-tree index serves.
    code = models.CharField(_("dossier code"), max_length=64)
    # No single-column indexes on the keys: (unit, long_open, received_on) serves unit lookups, and every extra
    # index costs each of a million inserts (procedure and batch are looked up by them only on deletion).
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("receiving unit"), db_index=False
    )
    procedure = models.ForeignKey(
        AdministrativeProcedure, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("procedure"),
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"))
    processed_at = models.DateTimeField(_("processing finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices)
    digitised = models.BooleanField(_("digitised"), default=False)
    electronic_result = models.BooleanField(_("electronic result"), default=False)

    # Derived at import (local calendar dates, Asia/Ho_Chi_Minh): what the reports compare.
    received_on = models.DateField(_("received on"), editable=False)
    # The dossier term ("ngày hẹn trả"); other records' deadlines are "due on" without this context.
    due_on = models.DateField(pgettext_lazy("dossier", "due on"), editable=False)
    #: The result date (processing finished, else returned); empty for withdrawn dossiers, which are never resolved.
    result_on = models.DateField(_("resolved on"), null=True, blank=True, editable=False)
    #: The day the dossier left the pending pile: its result date, or for a withdrawn one its return date.
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    #: Still open, or closed more than LONG_OPEN_DAYS after receipt (see `reach_q`); derived at import. True by
    #: default: a row written without it is read by every report that may need it (slower, never wrong).
    long_open = models.BooleanField(_("open long"), default=True, editable=False)
    #: Working days from receipt to the result (weekends and public holidays excluded).
    working_days = models.PositiveSmallIntegerField(_("processing time (working days)"), null=True, editable=False)
    #: Working days between receipt and due date; -1 when the due date is a day off (data-quality check).
    due_working_days = models.SmallIntegerField(editable=False)
    batch = models.ForeignKey(
        "ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="dossiers",
        verbose_name=_("last import"), editable=False, db_index=False,
    )

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at"]
        indexes = [
            # Biểu 06, the objectives and "pending on a day" over all or many units (`reach_q`, `engine.aggregate`):
            # the two ranges (short, received in [from - LONG_OPEN_DAYS, to]) and (long, received by to).
            models.Index(fields=["long_open", "received_on"], name="dossier_reach"),
            # The same for one commune or a few units (unit IN (...) then the two ranges); unit deletion checks.
            models.Index(fields=["unit", "long_open", "received_on"], name="dossier_unit_reach"),
            # The days of a month a report enters or leaves mid-way (`engine.head_sql`, `engine.tail_sql`) and the
            # monthly trend over the dossiers (`engine.monthly`): dossiers closed within the days. Closed ones only,
            # so a query for the dossiers still open has one index to take, the next.
            models.Index(fields=["closed_on"], condition=Q(closed_on__isnull=False), name="dossier_closed_on"),
            # The dossiers still open, with every column a report reads of them (`months.ROW_COLUMNS`): the stock
            # of an unfinished month at today (`engine.tail_sql`) is one index-only read of the few open rows,
            # where reading them from the table visited a block for each (10M dossiers: 0.31 → 0.02 s).
            models.Index(
                fields=["unit", "status", "received_on", "due_on", "procedure", "channel", "result_on", "closed_on",
                        "working_days"],
                condition=Q(closed_on__isnull=True), name="dossier_open",
            ),
        ]
        constraints = [
            # The import's upsert key (ON CONFLICT (code)) and its look-ups of the codes already stored.
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.CheckConstraint(condition=Q(status__gte=1, status__lte=10), name="dossier_status_1_to_10"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="dossier_due_not_before_received"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("received_on")),
                name="dossier_closed_not_before_received",
            ),
            # A dossier still open is always in the long range (the reports would lose it otherwise).
            models.CheckConstraint(condition=Q(closed_on__isnull=False) | Q(long_open=True), name="dossier_open_is_long_open"),
            models.CheckConstraint(
                condition=~Q(status=7) | (Q(returned_at__isnull=False) & Q(result_on__isnull=True)),
                name="dossier_withdrawn_has_return_and_no_result",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_withdrawn(self) -> bool:
        return self.status == Status.WITHDRAWN


MSG_OUTCOME_REJECTED = _("Rejected: nothing written")
MSG_OUTCOME_PARTLY = _("Done, rows with errors left out")
MSG_OUTCOME_CHECKED = _("Checked only: valid, nothing written")
MSG_OUTCOME_CHECKED_ERRORS = _("Checked only: has errors, nothing written")


class ImportBatchQuerySet(models.QuerySet):
    def for_user(self, user):
        """
        A batch is seen by whoever uploaded it (superusers see all): its errors quote the file. A quality
        officer also sees, read only, the batches uploaded by the people of the units in their scope (the
        district's officer checks that every commune imported its quarter before the report).
        """
        if getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if has_role(user, Role.QUALITY_OFFICER):
            uploaders = Membership.objects.filter(unit_id__in=unit_ids_for_user(user)).values("user_id")
            return self.filter(Q(created_by=user) | Q(created_by__in=uploaders))
        return self.filter(created_by=user)


class ImportBatch(models.Model):
    """
    One import of a dossier file: who, when, which file (name and SHA-256), what it did and every
    row error. Admin: Dossiers → Imports. A large file is imported in the background; its state and
    progress show on the batch's page.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking the rows")
        WRITING = "writing", _("Writing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    finished_at = models.DateTimeField(pgettext_lazy("import batch", "finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="dossier-imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    dry_run = models.BooleanField(_("check only"), default=False)
    keep_valid = models.BooleanField(_("keep the valid rows"), default=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    rows_estimate = models.PositiveIntegerField(default=0, editable=False)
    rows_checked = models.PositiveIntegerField(default=0, editable=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    #: Row errors as {"row", "column", "value", "message"}, the first MAX_STORED_ERRORS of them.
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True, help_text=_("Why the file as a whole could not be imported."))
    #: Refreshed by the process running the import while it checks and writes; a batch whose heartbeat
    #: is older than DOSSIER_IMPORT_STALE_SECONDS is abandoned (services.import_batches_recover).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True, editable=False)
    #: "host:pid" of the process running the import: a live process on this host is never declared dead.
    runner = models.CharField(max_length=200, blank=True, editable=False)

    objects = ImportBatchQuerySet.as_manager()

    MAX_STORED_ERRORS = 20_000

    class Meta:
        verbose_name = _("dossier import")
        verbose_name_plural = _("dossier imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})" if self.created_at else self.file_name

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.CHECKING, self.State.WRITING)

    @property
    def rejected(self) -> bool:
        """Finished with row errors and, all or nothing, wrote nothing."""
        return self.state == self.State.DONE and bool(self.error_count) and not (self.keep_valid or self.dry_run)

    @property
    def outcome(self) -> str:
        """What the batch did, as the lists say it: a rejected file is not "done", a check wrote nothing."""
        if self.state != self.State.DONE:
            return self.get_state_display()
        if self.dry_run:
            return str(MSG_OUTCOME_CHECKED_ERRORS if self.error_count else MSG_OUTCOME_CHECKED)
        if self.rejected:
            return str(MSG_OUTCOME_REJECTED)
        if self.error_count:
            return str(MSG_OUTCOME_PARTLY)
        return self.get_state_display()

    @property
    def wrote(self) -> bool:
        return not self.dry_run and self.state == self.State.DONE and (self.created or self.updated)

    @property
    def progress_percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_estimate:
            return 0
        return min(99, int(100 * self.rows_checked / self.rows_estimate))


class ImportWorker(models.Model):
    """
    A running task worker (`manage.py import_worker`), seen every few seconds: the batch page tells
    the user when a queued import has no worker to run it. Not in the admin menu.
    """

    name = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("import worker")
        verbose_name_plural = _("import workers")

    def __str__(self):
        return self.name


class DossierDataVersion(models.Model):
    """
    One row whose number the import raises in the transaction that writes dossiers (`importer.write`):
    the report cache's key names it, so a report is recomputed after new data, and costs one primary-key
    read instead of counting every dossier. Not in the admin menu.
    """

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)
    #: The monthly cells (`DossierMonth`) hold exactly what the dossier table says, with their stocks counted
    #: at every month end up to `months_through` (a month's first day). False until built (`months.rebuild`).
    months_ok = models.BooleanField(default=False)
    months_through = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("dossier data version")
        verbose_name_plural = _("dossier data versions")

    def __str__(self):
        return str(self.version)


class MonthCells(models.Model):
    """The counts of one month (`qms.dossiers.months`): flows in the month, stocks at its last day."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    #: The month's first day.
    month = models.DateField()
    received_online = models.IntegerField(default=0)
    received_other = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    #: Sum of the working days of the dossiers resolved in the month (their average processing time).
    working_days = models.BigIntegerField(default=0)
    #: Open at the month's last day, due on it or later / due before it.
    open_in_time = models.IntegerField(default=0)
    open_overdue = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DossierMonth(MonthCells):
    """
    The Biểu 06 counts of one (unit, procedure, month), kept by the import in the transaction that writes the
    dossiers (`qms.dossiers.months`): a report over whole months sums a few cells per unit and procedure instead
    of every dossier of its period (issue 15). Flows are counted in the month they happen in (received, resolved,
    withdrawn); stocks (still open, in time or overdue) at the month's last day. Not in the admin menu.
    """

    procedure = models.ForeignKey(AdministrativeProcedure, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("dossier month")
        verbose_name_plural = _("dossier months")
        constraints = [
            # The import's upsert key; also serves the reports of one or a few units (unit IN (...), month range).
            models.UniqueConstraint(fields=["unit", "month", "procedure"], name="dossier_month_key"),
        ]
        indexes = [
            # Reports over every unit: the months of the period.
            models.Index(fields=["month"], name="dossier_month_month"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.procedure_id} {self.month:%m/%Y}"


class DossierUnitMonth(MonthCells):
    """
    `DossierMonth` summed over the procedures: what Biểu 06 by unit and the quality objectives read. A province's
    year is then 12 cells per unit (2,600 for 200 units), where per procedure it was 75,000 at a million dossiers.
    """

    class Meta:
        verbose_name = _("dossier unit month")
        verbose_name_plural = _("dossier unit months")
        # The upsert key, which serves one or a few units; the months of a period for every unit.
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="dossier_unit_month_key")]
        indexes = [models.Index(fields=["month"], name="dossier_unit_month_month")]

    def __str__(self):
        return f"{self.unit_id} {self.month:%m/%Y}"
