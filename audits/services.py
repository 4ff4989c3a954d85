"""
State changes of internal audits and nonconformities (STYLE.md habit 3). The admin, commands, the
demo loader, other apps and tests all call these: keyword-only, `by` the acting user, `full_clean()`
before saving, and the history row (user and step) written here. A rule broken raises
`ValidationError` with a Vietnamese message, and nothing is half-written (each is one transaction).

Who may call which one is decided by the views (`audits.permissions`); these enforce the rules that
hold whoever acts: status order, dates, impartiality, closing only when effective.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audits.models import (
    NC_KINDS,
    Audit,
    AuditProgramme,
    AuditStatus,
    ChecklistItem,
    ChecklistResult,
    CorrectiveAction,
    EvidenceCollection,
    EvidenceFile,
    Finding,
    FindingKind,
    HistoryStep,
    NcSeverity,
    NcSource,
    NcStatus,
    Nonconformity,
    ProgrammeStatus,
    QuestionBankItem,
    ReminderKind,
    ReminderLog,
)
from audits.notifications import nc_opened_notify
from qms.core.freshness import records_changed
from qms.core.models import IsoClause, Membership, Unit, UnitKind
from qms.core.roles import Role, has_role
from qms.core.text import person_name
from qms.notifications.models import Delivery
from qms.notifications.services import delivery_for

logger = logging.getLogger(__name__)

# --- Messages users see (tests assert the Vietnamese text) ------------------------------------

MSG_IMPARTIALITY = _("%(user)s is a member of %(unit)s and cannot audit it (ISO 9001, 9.2.2 c).")
MSG_NOT_AN_AUDITOR = _("%(user)s is not an internal auditor.")
MSG_UNCERTIFIED_AUDITOR = _("%(user)s has no valid internal-auditor certificate on %(date)s (ISO 9001, 7.2).")
MSG_JUSTIFY_UNCERTIFIED = _(
    "No valid internal-auditor certificate on %(date)s: %(users)s. Write why they are on the team anyway."
)
MSG_PROGRAMME_LOCKED = _("The programme is approved: its content can no longer be changed.")
MSG_PROGRAMME_ALREADY_APPROVED = _("The programme is already approved.")
MSG_PROGRAMME_EMPTY = _("The programme plans no audit yet: add the audits before approval.")
MSG_PROGRAMME_EXISTS = _("A programme “%(title)s” already exists for %(year)s.")
MSG_AUDIT_YEAR = _("The audit must be planned within the programme's year (%(year)s).")
MSG_UNIT_NOT_IN_PROGRAMME = _("%(unit)s is not in the programme's scope.")
MSG_UNIT_NOT_IN_FORCE = _("%(unit)s does not exist on %(date)s.")
MSG_AUDIT_LOCKED = _("The audit is reported: its plan can no longer be changed.")
MSG_AUDIT_NOT_PLANNED = _("Only a planned audit can be started.")
MSG_AUDIT_NEEDS_LEAD = _("Name the lead auditor before starting the audit.")
MSG_AUDIT_NEEDS_CLAUSES = _("Choose the clauses in scope first.")
MSG_AUDIT_NOT_IN_PROGRESS = _("The audit is not in progress.")
MSG_AUDIT_NOT_REPORTED = _("Only a reported audit can be closed.")
MSG_CHECKLIST_UNANSWERED = _("%(count)s checklist question(s) have no result yet.")
MSG_CHECKLIST_NC_WITHOUT_FINDING = _("Checklist item %(items)s is marked as a nonconformity but has no nonconformity finding.")
MSG_CHECKLIST_HAS_RESULTS = _("The checklist already has results: it cannot be regenerated.")
MSG_NO_PREVIOUS_CHECKLIST = _("This unit has no earlier audit with a checklist to copy.")
MSG_NO_QUESTIONS = _("The question bank has no question for the clauses in scope.")
MSG_CONCLUSION_REQUIRED = _("Write the audit team's conclusion.")
MSG_FUTURE_DATE = _("The date cannot be in the future.")
MSG_BEFORE_START = _("The date is before the audit started.")
MSG_DUE_BEFORE_DETECTION = _("The due date is before the date of detection (%(date)s).")
MSG_BEFORE_DETECTION = _("The date is before the date of detection (%(date)s).")
MSG_NC_CLOSED = _("The nonconformity is closed.")
MSG_NC_NOT_ANALYSED = _("Record the root cause before planning corrective actions.")
MSG_NC_ANALYSIS_STATUS = _("The root cause can be recorded only before the actions are done.")
MSG_NC_NEEDS_WHY = _("Give at least the first “why?”.")
MSG_NC_NEEDS_CATEGORY = _("Choose a cause category.")
MSG_NC_NOT_AWAITING = _("The effectiveness can be checked only when every corrective action is done.")
MSG_NC_OPEN_ACTIONS = _("The nonconformity still has corrective actions not done.")
MSG_VERIFY_BEFORE_DONE = _("The check is dated before the last action was done (%(date)s).")
MSG_ACTION_DONE = _("The action is already done.")
MSG_EVIDENCE_REQUIRED = _("Describe the evidence that the action was done.")
MSG_CORRECTION_REQUIRED = _("Describe the correction.")
MSG_TRANSFER_SAME_UNIT = _("The nonconformity already belongs to %(unit)s.")
MSG_TRANSFER_NOT_SUCCESSOR = _("%(unit)s did not succeed %(old)s.")
MSG_AUDIT_SOURCE_NEEDS_FINDING = _("A nonconformity from an audit is opened by recording its finding.")

#: Days from detection to the default due date of the corrective action.
DEFAULT_DUE_DAYS = {NcSeverity.MAJOR: 15, NcSeverity.MINOR: 30}


# --- Saving with one history row --------------------------------------------------------------


def _full_clean(obj) -> None:
    """Model.full_clean(), except that a foreign key whose object is already loaded is not looked up
    again (the demo and bulk answers save thousands of rows; the database still enforces the key)."""
    loaded = [
        f.name for f in obj._meta.concrete_fields
        if f.is_relation and f.is_cached(obj) and getattr(obj, f.name) is not None and getattr(obj, f.name).pk is not None
    ]
    errors = {}
    for check in (lambda: obj.clean_fields(exclude=loaded), obj.clean, obj.validate_unique, obj.validate_constraints):
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _record(obj, *, by, step: HistoryStep, m2m: dict[str, Iterable] | None = None):
    """full_clean, save, set many-to-many fields, then write one history row with user and step."""
    created = obj._state.adding
    _full_clean(obj)
    obj.skip_history_when_saving = True
    try:
        obj.save()
        for name, values in (m2m or {}).items():
            getattr(obj, name).set(values)
    finally:
        del obj.skip_history_when_saving
    obj._history_user = by
    obj._change_reason = step.value
    type(obj)._history_records.create_historical_record(obj, "+" if created else "~")
    return obj


def _today() -> datetime.date:
    return timezone.localdate()


def _not_future(value: datetime.date, field: str):
    if value > _today():
        raise ValidationError({field: MSG_FUTURE_DATE})


def _fmt(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


# --- Impartiality (ISO 9001 9.2.2 c) -----------------------------------------------------------


def _unit_and_its_organs(unit: Unit) -> set[int]:
    """The unit and the offices and departments under it: not the communes under a district, which
    district staff may audit."""
    ids, frontier = {unit.pk}, [unit.pk]
    while frontier:
        frontier = list(Unit.objects.filter(
            parent_id__in=frontier, kind__in=[UnitKind.OFFICE, UnitKind.DEPARTMENT]).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


def impartiality_errors(*, unit: Unit, lead_auditor, auditors: Iterable) -> dict[str, list[ValidationError]]:
    """Form-ready errors for team members who work in the audited unit (a membership of it or of one of
    its offices and departments), or who are not auditors at all. Shared by the service and the audit form."""
    errors: dict[str, list[ValidationError]] = defaultdict(list)
    members = set(Membership.objects.filter(unit_id__in=_unit_and_its_organs(unit)).values_list("user_id", flat=True))
    for field_name, users in (("lead_auditor", [lead_auditor] if lead_auditor else []), ("auditors", list(auditors))):
        for user in users:
            params = {"user": person_name(user), "unit": unit.name}
            if user.pk in members:
                errors[field_name].append(ValidationError(MSG_IMPARTIALITY, params=params, code="impartiality"))
            elif not has_role(user, Role.AUDITOR):
                errors[field_name].append(ValidationError(MSG_NOT_AN_AUDITOR, params=params, code="not_auditor"))
    return dict(errors)


def team_errors(
    *, unit: Unit, lead_auditor, auditors: Iterable, on: datetime.date | None, justification: str = "",
) -> dict[str, list[ValidationError]]:
    """
    Everything wrong with an audit team, as form-ready errors: `impartiality_errors`, then members without
    an internal-auditor certificate valid on `on` (the planned start; today if none). Per
    QMS_UNCERTIFIED_AUDITOR they are refused ("refuse", the default) or allowed once the plan says why
    ("justify"). Shared by the audit form and `audit_save`: the one place of the rule.
    """
    from qms.competence.selectors import certified_auditor_ids

    auditors = list(auditors)
    errors = defaultdict(list, impartiality_errors(unit=unit, lead_auditor=lead_auditor, auditors=auditors))
    on = on or timezone.localdate()
    members = [("lead_auditor", lead_auditor)] if lead_auditor else []
    members += [("auditors", user) for user in auditors if not lead_auditor or user.pk != lead_auditor.pk]
    # Someone who is no auditor at all is already refused as such.
    members = [(name, user) for name, user in members if has_role(user, Role.AUDITOR)]
    certified = certified_auditor_ids([user.pk for _name, user in members], on)
    uncertified = [(name, user) for name, user in members if user.pk not in certified]
    if not uncertified:
        return dict(errors)
    if getattr(settings, "QMS_UNCERTIFIED_AUDITOR", "refuse") == "justify":
        if not justification.strip():
            names = ", ".join(person_name(user) for _name, user in uncertified)
            errors["team_justification"].append(ValidationError(
                MSG_JUSTIFY_UNCERTIFIED, params={"users": names, "date": _fmt(on)}, code="uncertified"))
        return dict(errors)
    for name, user in uncertified:
        errors[name].append(ValidationError(
            MSG_UNCERTIFIED_AUDITOR, params={"user": person_name(user), "date": _fmt(on)}, code="uncertified"))
    return dict(errors)


# --- Programme ---------------------------------------------------------------------------------


@transaction.atomic
def programme_save(*, programme: AuditProgramme, units: Iterable[Unit], by) -> AuditProgramme:
    """Create or change a programme (objectives, criteria, units in scope) while it is a draft."""
    if programme.pk and AuditProgramme.objects.filter(pk=programme.pk, status=ProgrammeStatus.APPROVED).exists():
        raise ValidationError(MSG_PROGRAMME_LOCKED)
    return _record(programme, by=by, step=HistoryStep.PROGRAMME_SAVED, m2m={"units": list(units)})


@transaction.atomic
def programme_approve(*, programme: AuditProgramme, by) -> AuditProgramme:
    """A leader approves the programme (who and when are recorded); its content is then fixed."""
    if programme.status == ProgrammeStatus.APPROVED:
        raise ValidationError(MSG_PROGRAMME_ALREADY_APPROVED)
    if not programme.audits.exists():
        raise ValidationError(MSG_PROGRAMME_EMPTY)
    programme.status = ProgrammeStatus.APPROVED
    programme.approved_by = by
    programme.approved_at = timezone.now()
    return _record(programme, by=by, step=HistoryStep.PROGRAMME_APPROVED)


def _shift_year(value: datetime.date, years: int) -> datetime.date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def _unit_on(unit: Unit, on: datetime.date) -> Unit:
    """The unit itself if it exists on `on`, else the one that carries its history then (mergers)."""
    if unit.is_in_force(on):
        return unit
    successor = unit.successor_as_of(on)
    return successor if successor.is_in_force(on) else unit


@transaction.atomic
def programme_copy(*, source: AuditProgramme, by, year: int | None = None) -> AuditProgramme:
    """
    A new draft programme from `source`: same scope, objectives, criteria and units, each audit moved
    to the same dates a year on with its clauses and documents, statuses reset (no team, no dates
    done, no approval). A unit merged away by then is replaced by its successor, once.
    """
    year = year or source.year + 1
    shift = year - source.year
    title = source.title.replace(str(source.year), str(year)) if str(source.year) in source.title else f"{source.title} ({year})"
    if AuditProgramme.objects.filter(year=year, title=title).exists():
        raise ValidationError(MSG_PROGRAMME_EXISTS, params={"title": title, "year": year})
    programme = AuditProgramme(
        year=year, title=title, scope=source.scope, objectives=source.objectives, criteria=source.criteria,
        copied_from=source,
    )
    audits = list(source.audits.select_related("unit").prefetch_related("clauses", "documents").order_by("planned_start", "pk"))
    planned, units = [], []
    for audit in audits:
        start = _shift_year(audit.planned_start, shift)
        unit = _unit_on(audit.unit, start)
        if unit in units:
            continue  # several predecessors merged into one unit: audit it once
        units.append(unit)
        planned.append((audit, unit, start, _shift_year(audit.planned_end, shift)))
    for unit in source.units.all():
        unit = _unit_on(unit, datetime.date(year, 1, 1))
        if unit not in units:
            units.append(unit)
    _record(programme, by=by, step=HistoryStep.PROGRAMME_COPIED, m2m={"units": units})
    for audit, unit, start, end in planned:
        copy = Audit(programme=programme, unit=unit, planned_start=start, planned_end=end, criteria=audit.criteria)
        _record(
            copy, by=by, step=HistoryStep.AUDIT_PLANNED,
            m2m={"clauses": list(audit.clauses.all()), "documents": list(audit.documents.all())},
        )
    return programme


# --- Audit plan and status ---------------------------------------------------------------------


@transaction.atomic
def audit_save(
    *, audit: Audit, by, auditors: Iterable = (), clauses: Iterable[IsoClause] = (), documents: Iterable = ()
) -> Audit:
    """Create or change an audit's plan: unit, dates, lead auditor and team, clauses and documents in scope."""
    auditors = [user for user in auditors if user.pk != audit.lead_auditor_id]
    if audit.pk and Audit.objects.filter(pk=audit.pk, status__in=[AuditStatus.REPORTED, AuditStatus.CLOSED]).exists():
        raise ValidationError(MSG_AUDIT_LOCKED)
    programme = audit.programme
    errors: dict[str, list] = defaultdict(list)
    if audit.planned_start and audit.planned_start.year != programme.year:
        errors["planned_start"].append(ValidationError(MSG_AUDIT_YEAR, params={"year": programme.year}))
    if audit.unit_id:
        params = {"unit": audit.unit.name}
        if programme.pk and not programme.units.filter(pk=audit.unit_id).exists():
            errors["unit"].append(ValidationError(MSG_UNIT_NOT_IN_PROGRAMME, params=params))
        if audit.planned_start and not audit.unit.is_in_force(audit.planned_start):
            errors["unit"].append(
                ValidationError(MSG_UNIT_NOT_IN_FORCE, params={**params, "date": _fmt(audit.planned_start)})
            )
        found_errors = team_errors(
            unit=audit.unit, lead_auditor=audit.lead_auditor, auditors=auditors, on=audit.planned_start,
            justification=audit.team_justification,
        )
        for name, found in found_errors.items():
            errors[name].extend(found)
    if errors:
        raise ValidationError(dict(errors))
    return _record(
        audit, by=by, step=HistoryStep.AUDIT_PLANNED,
        m2m={"auditors": auditors, "clauses": list(clauses), "documents": list(documents)},
    )


@transaction.atomic
def audit_start(*, audit: Audit, by, on: datetime.date | None = None) -> Audit:
    """Planned → in progress. Generates the checklist from the question bank if it has none."""
    on = on or _today()
    if audit.status != AuditStatus.PLANNED:
        raise ValidationError(MSG_AUDIT_NOT_PLANNED)
    if not audit.lead_auditor_id:
        raise ValidationError(MSG_AUDIT_NEEDS_LEAD)
    if not audit.clauses.exists():
        raise ValidationError(MSG_AUDIT_NEEDS_CLAUSES)
    _not_future(on, "actual_start")
    # Membership may have changed since planning: check impartiality again on the day.
    errors = impartiality_errors(unit=audit.unit, lead_auditor=audit.lead_auditor, auditors=audit.auditors.all())
    if errors:
        raise ValidationError(errors)
    if not audit.checklist.exists():
        checklist_generate(audit=audit, by=by)
    audit.status = AuditStatus.IN_PROGRESS
    audit.actual_start = on
    return _record(audit, by=by, step=HistoryStep.AUDIT_STARTED)


@transaction.atomic
def audit_report(*, audit: Audit, conclusion: str, by, on: datetime.date | None = None) -> Audit:
    """In progress → reported: every question answered, every "nonconformity" answer backed by a finding."""
    on = on or _today()
    if audit.status != AuditStatus.IN_PROGRESS:
        raise ValidationError(MSG_AUDIT_NOT_IN_PROGRESS)
    if not conclusion.strip():
        raise ValidationError({"conclusion": MSG_CONCLUSION_REQUIRED})
    unanswered = audit.checklist.filter(result="").count()
    if unanswered:
        raise ValidationError(MSG_CHECKLIST_UNANSWERED, params={"count": unanswered})
    unbacked = (
        audit.checklist.filter(result=ChecklistResult.NONCONFORMITY)
        .exclude(findings__kind__in=NC_KINDS)
        .values_list("position", flat=True)
    )
    if unbacked:
        raise ValidationError(MSG_CHECKLIST_NC_WITHOUT_FINDING, params={"items": ", ".join(map(str, unbacked))})
    _not_future(on, "actual_end")
    if on < audit.actual_start:
        raise ValidationError({"actual_end": MSG_BEFORE_START})
    audit.status = AuditStatus.REPORTED
    audit.actual_end = on
    audit.conclusion = conclusion.strip()
    return _record(audit, by=by, step=HistoryStep.AUDIT_REPORTED)


@transaction.atomic
def audit_close(*, audit: Audit, by, on: datetime.date | None = None) -> Audit:
    """Reported → closed (the report is accepted; its nonconformities are followed on their own)."""
    on = on or _today()
    if audit.status != AuditStatus.REPORTED:
        raise ValidationError(MSG_AUDIT_NOT_REPORTED)
    _not_future(on, "closed_on")
    audit.status = AuditStatus.CLOSED
    audit.closed_on = on
    return _record(audit, by=by, step=HistoryStep.AUDIT_CLOSED)


# --- Checklist ---------------------------------------------------------------------------------


def _bank_questions(clauses: Iterable[IsoClause]) -> list[tuple[IsoClause, str]]:
    """Active questions of the clauses in scope and of their sub-clauses, in clause order."""
    keys = [clause.sort_key for clause in clauses]
    if not keys:
        return []
    match = Q()
    for key in keys:
        match |= Q(clause__sort_key=key) | Q(clause__sort_key__startswith=f"{key}.")
    questions = QuestionBankItem.objects.filter(match, active=True).select_related("clause")
    return [(q.clause, q.question) for q in questions.order_by("clause__sort_key", "position", "pk")]


def previous_audit(audit: Audit) -> Audit | None:
    """The latest earlier audit with a checklist of the same unit or of a unit it succeeded."""
    units = [audit.unit_id, *audit.unit.predecessors().values_list("pk", flat=True)]
    return (
        Audit.objects.filter(unit__in=units, planned_start__lt=audit.planned_start, checklist__isnull=False)
        .exclude(pk=audit.pk)
        .order_by("-planned_start", "-pk")
        .distinct()
        .first()
    )


@transaction.atomic
def checklist_generate(*, audit: Audit, by, from_previous: bool = False) -> list[ChecklistItem]:
    """
    (Re)build the checklist while nothing is answered: from the question bank for the clauses in
    scope, or as a copy of the questions of the unit's previous audit (its baseline).
    """
    if audit.status not in (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS):
        raise ValidationError(MSG_AUDIT_LOCKED)
    if audit.checklist.exclude(result="").exists():
        raise ValidationError(MSG_CHECKLIST_HAS_RESULTS)
    if from_previous:
        previous = previous_audit(audit)
        if previous is None:
            raise ValidationError(MSG_NO_PREVIOUS_CHECKLIST)
        questions = [(item.clause, item.question) for item in previous.checklist.select_related("clause").order_by("position")]
    else:
        if not audit.clauses.exists():
            raise ValidationError(MSG_AUDIT_NEEDS_CLAUSES)
        questions = _bank_questions(audit.clauses.all())
        if not questions:
            raise ValidationError(MSG_NO_QUESTIONS)
    for item in audit.checklist.all():
        item._history_user = by
        item.delete()
    items = [
        ChecklistItem(audit=audit, clause=clause, position=position, question=question)
        for position, (clause, question) in enumerate(questions, start=1)
    ]
    items = ChecklistItem.objects.bulk_create(items)
    ChecklistItem.history.bulk_history_create(
        items, default_user=by, default_change_reason=HistoryStep.CHECKLIST_GENERATED.value, default_date=timezone.now()
    )
    records_changed(ChecklistItem)  # bulk_create sends no post_save (qms.core.freshness)
    return items


@transaction.atomic
def checklist_item_record(
    *, item: ChecklistItem, result: str, by, notes: str = "", evidence: str = "", attachments: Iterable = ()
) -> ChecklistItem:
    """Record an answer while the audit is in progress; new attachments are added to the old ones."""
    if item.audit.status != AuditStatus.IN_PROGRESS:
        raise ValidationError(MSG_AUDIT_NOT_IN_PROGRESS)
    item.result, item.notes, item.evidence = result, notes.strip(), evidence.strip()
    attachments = list(attachments)
    m2m = {"attachments": [*item.attachments.all(), *attachments]} if attachments else None
    return _record(item, by=by, step=HistoryStep.CHECKLIST_RECORDED, m2m=m2m)


# --- Findings ----------------------------------------------------------------------------------


@transaction.atomic
def finding_record(
    *,
    audit: Audit,
    kind: str,
    statement: str,
    by,
    clause: IsoClause | None = None,
    evidence: str = "",
    checklist_item: ChecklistItem | None = None,
    attachments: Iterable = (),
    on: datetime.date | None = None,
) -> Finding:
    """
    Record a finding of an audit in progress. A major or minor nonconformity opens its Nonconformity
    in the same transaction, and marks its checklist item as a nonconformity.
    """
    on = on or _today()
    if audit.status != AuditStatus.IN_PROGRESS:
        raise ValidationError(MSG_AUDIT_NOT_IN_PROGRESS)
    if clause is None and checklist_item is not None:
        clause = checklist_item.clause
    _not_future(on, "recorded_on")
    if on < audit.actual_start:
        raise ValidationError({"recorded_on": MSG_BEFORE_START})
    finding = Finding(
        audit=audit, kind=kind, clause=clause, statement=statement.strip(), evidence=evidence.strip(),
        checklist_item=checklist_item, recorded_by=by, recorded_on=on,
    )
    _record(finding, by=by, step=HistoryStep.FINDING_RECORDED, m2m={"attachments": list(attachments)})
    if finding.is_nonconformity:
        nonconformity_open(
            unit=audit.unit, source=NcSource.AUDIT, finding=finding, clause=clause,
            description=finding.statement + (f"\n{finding.evidence}" if finding.evidence else ""),
            severity=NcSeverity.MAJOR if kind == FindingKind.MAJOR_NC else NcSeverity.MINOR,
            detected_on=on, by=by,
        )
        if checklist_item is not None and checklist_item.result != ChecklistResult.NONCONFORMITY:
            checklist_item_record(
                item=checklist_item, result=ChecklistResult.NONCONFORMITY, notes=checklist_item.notes,
                evidence=checklist_item.evidence, by=by,
            )
    return finding


# --- Nonconformities ---------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"KPH-{year}-"
    last = Nonconformity.objects.filter(reference__startswith=prefix).aggregate(last=Max("reference"))["last"]
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def nonconformity_open(
    *,
    unit: Unit,
    source: str,
    description: str,
    detected_on: datetime.date,
    by,
    detected_by=None,
    severity: str = NcSeverity.MINOR,
    clause: IsoClause | None = None,
    related_document=None,
    due_on: datetime.date | None = None,
    source_reference: str = "",
    source_object=None,
    finding: Finding | None = None,
) -> Nonconformity:
    """
    Open a nonconformity. The one entry point for every source: audits (through `finding_record`),
    and later late dossiers, citizen complaints and management review, which pass `source_object`
    (any model instance) so the record links back to what raised it.
    """
    if source == NcSource.AUDIT and finding is None:
        raise ValidationError(MSG_AUDIT_SOURCE_NEEDS_FINDING)
    _not_future(detected_on, "detected_on")
    nc = Nonconformity(
        reference=_next_reference(detected_on.year),
        unit=unit, original_unit=unit, source=source, source_reference=source_reference.strip(),
        finding=finding, clause=clause, related_document=related_document, description=description.strip(),
        severity=severity, detected_on=detected_on, detected_by=detected_by or by,
        due_on=due_on or detected_on + datetime.timedelta(days=DEFAULT_DUE_DAYS[NcSeverity(severity)]),
    )
    if due_on and due_on < detected_on:
        raise ValidationError({"due_on": ValidationError(MSG_DUE_BEFORE_DETECTION, params={"date": _fmt(detected_on)})})
    if source_object is not None:
        nc.source_content_type = ContentType.objects.get_for_model(source_object)
        nc.source_object_id = str(source_object.pk)
    _record(nc, by=by, step=HistoryStep.NC_OPENED)
    nc_opened_notify(nc=nc, by=by)
    return nc


@transaction.atomic
def nonconformity_update(*, nc: Nonconformity, by) -> Nonconformity:
    """Save changed details (description, clause, severity, document, due date) of an open nonconformity."""
    if Nonconformity.objects.filter(pk=nc.pk, status=NcStatus.CLOSED).exists():
        raise ValidationError(MSG_NC_CLOSED)
    if nc.due_on < nc.detected_on:
        raise ValidationError({"due_on": ValidationError(MSG_DUE_BEFORE_DETECTION, params={"date": _fmt(nc.detected_on)})})
    return _record(nc, by=by, step=HistoryStep.NC_UPDATED)


def _check_not_closed(nc: Nonconformity):
    if nc.status == NcStatus.CLOSED:
        raise ValidationError(MSG_NC_CLOSED)


def _check_after_detection(nc: Nonconformity, value: datetime.date, field_name: str):
    if value < nc.detected_on:
        raise ValidationError({field_name: ValidationError(MSG_BEFORE_DETECTION, params={"date": _fmt(nc.detected_on)})})
    _not_future(value, field_name)


@transaction.atomic
def nonconformity_record_correction(*, nc: Nonconformity, correction: str, on: datetime.date, by) -> Nonconformity:
    """The immediate action taken to contain the nonconformity (any time before it is closed)."""
    _check_not_closed(nc)
    if not correction.strip():
        raise ValidationError({"correction": MSG_CORRECTION_REQUIRED})
    _check_after_detection(nc, on, "correction_on")
    nc.correction, nc.correction_on = correction.strip(), on
    return _record(nc, by=by, step=HistoryStep.NC_CORRECTION)


@transaction.atomic
def nonconformity_analyse(
    *, nc: Nonconformity, whys: list[str], cause_category: str, by, on: datetime.date | None = None
) -> Nonconformity:
    """Record the root cause (five whys and a category): open → analysed; may be revised until actions are done."""
    on = on or _today()
    if nc.status not in (NcStatus.OPEN, NcStatus.ANALYSED, NcStatus.ACTIONS_PLANNED):
        raise ValidationError(MSG_NC_ANALYSIS_STATUS)
    whys = [w.strip() for w in whys][:5]
    whys += [""] * (5 - len(whys))
    if not whys[0]:
        raise ValidationError({"why_1": MSG_NC_NEEDS_WHY})
    if not cause_category:
        raise ValidationError({"cause_category": MSG_NC_NEEDS_CATEGORY})
    _check_after_detection(nc, on, "analysed_on")
    nc.why_1, nc.why_2, nc.why_3, nc.why_4, nc.why_5 = whys
    nc.cause_category, nc.analysed_on = cause_category, on
    if nc.status == NcStatus.OPEN:
        nc.status = NcStatus.ANALYSED
    return _record(nc, by=by, step=HistoryStep.NC_ANALYSED)


def _check_action(nc: Nonconformity, due_on: datetime.date):
    _check_not_closed(nc)
    if nc.status == NcStatus.OPEN:
        raise ValidationError(MSG_NC_NOT_ANALYSED)
    if due_on < nc.detected_on:
        raise ValidationError({"due_on": ValidationError(MSG_DUE_BEFORE_DETECTION, params={"date": _fmt(nc.detected_on)})})


@transaction.atomic
def corrective_action_add(
    *, nc: Nonconformity, description: str, responsible, due_on: datetime.date, by
) -> CorrectiveAction:
    """Plan a corrective action; the nonconformity moves to "actions planned" (also back from awaiting verification)."""
    _check_action(nc, due_on)
    action = CorrectiveAction(nonconformity=nc, description=description.strip(), responsible=responsible, due_on=due_on)
    _record(action, by=by, step=HistoryStep.ACTION_ADDED)
    if nc.status != NcStatus.ACTIONS_PLANNED:
        nc.status = NcStatus.ACTIONS_PLANNED
        _record(nc, by=by, step=HistoryStep.NC_ACTIONS_PLANNED)
    return action


@transaction.atomic
def corrective_action_update(
    *, action: CorrectiveAction, description: str, responsible, due_on: datetime.date, by
) -> CorrectiveAction:
    """Change what, who or when of an action not yet done."""
    if action.done_on:
        raise ValidationError(MSG_ACTION_DONE)
    _check_action(action.nonconformity, due_on)
    action.description, action.responsible, action.due_on = description.strip(), responsible, due_on
    return _record(action, by=by, step=HistoryStep.ACTION_UPDATED)


@transaction.atomic
def corrective_action_complete(
    *, action: CorrectiveAction, done_on: datetime.date, evidence: str, by, attachments: Iterable = ()
) -> CorrectiveAction:
    """Mark an action done with its evidence; when the last one is done the nonconformity awaits verification."""
    nc = action.nonconformity
    _check_not_closed(nc)
    if action.done_on:
        raise ValidationError(MSG_ACTION_DONE)
    if not evidence.strip():
        raise ValidationError({"evidence": MSG_EVIDENCE_REQUIRED})
    _check_after_detection(nc, done_on, "done_on")
    action.done_on, action.evidence = done_on, evidence.strip()
    attachments = list(attachments)
    _record(action, by=by, step=HistoryStep.ACTION_DONE, m2m={"attachments": attachments} if attachments else None)
    if nc.status == NcStatus.ACTIONS_PLANNED and not nc.actions.open().exists():
        nc.status = NcStatus.AWAITING_VERIFICATION
        _record(nc, by=by, step=HistoryStep.NC_AWAITING_VERIFICATION)
    return action


@transaction.atomic
def nonconformity_verify(
    *, nc: Nonconformity, effective: bool, by, on: datetime.date | None = None, notes: str = ""
) -> Nonconformity:
    """
    The effectiveness check, once every action is done. Effective: the nonconformity is closed.
    Not effective: the analysis is reopened (status open, root cause kept as a draft to revise).
    """
    on = on or _today()
    if nc.status != NcStatus.AWAITING_VERIFICATION:
        raise ValidationError(MSG_NC_OPEN_ACTIONS if nc.actions.open().exists() else MSG_NC_NOT_AWAITING)
    if nc.actions.open().exists():
        raise ValidationError(MSG_NC_OPEN_ACTIONS)
    _check_after_detection(nc, on, "verified_on")
    last_done = nc.actions.aggregate(last=Max("done_on"))["last"]
    if last_done and on < last_done:
        raise ValidationError({"verified_on": ValidationError(MSG_VERIFY_BEFORE_DONE, params={"date": _fmt(last_done)})})
    nc.verified_on, nc.verified_by, nc.effective, nc.verification_notes = on, by, effective, notes.strip()
    if effective:
        nc.status, nc.closed_on = NcStatus.CLOSED, on
        return _record(nc, by=by, step=HistoryStep.NC_CLOSED)
    nc.status = NcStatus.OPEN
    nc.reopened_count += 1
    return _record(nc, by=by, step=HistoryStep.NC_REOPENED)


@transaction.atomic
def nonconformity_transfer(*, nc: Nonconformity, to_unit: Unit, by, on: datetime.date | None = None) -> Nonconformity:
    """
    Hand an open nonconformity (and its actions) of a merged unit to the unit that succeeded it. It
    keeps its reference, history and `original_unit`.
    """
    on = on or _today()
    _check_not_closed(nc)
    if nc.unit_id == to_unit.pk:
        raise ValidationError(MSG_TRANSFER_SAME_UNIT, params={"unit": to_unit.name})
    if nc.unit.successor_as_of(on).pk != to_unit.pk:
        raise ValidationError(MSG_TRANSFER_NOT_SUCCESSOR, params={"unit": to_unit.name, "old": nc.unit.name})
    nc.unit, nc.transferred_on = to_unit, on
    return _record(nc, by=by, step=HistoryStep.NC_TRANSFERRED)


# --- Attachments -------------------------------------------------------------------------------

#: The parent collection of every unit's evidence collection (docs/security.md, "Kept records").
EVIDENCE_COLLECTION = "Bằng chứng đánh giá và khắc phục"


def _restricted(collection):
    """Close Wagtail's own document URLs on `collection`: a group restriction naming no group lets no
    one but a superuser through, and `audits.wagtail_hooks` refuses evidence to superusers too."""
    from wagtail.models import CollectionViewRestriction

    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.GROUPS)
    return collection


def evidence_root_collection():
    """The parent of the units' evidence collections, created on first use."""
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=EVIDENCE_COLLECTION).first()
    return _restricted(collection or root.add_child(name=EVIDENCE_COLLECTION))


def evidence_collection_for(unit: Unit):
    """The collection of `unit`'s evidence, created on first use under the evidence parent."""
    found = EvidenceCollection.objects.select_related("collection").filter(unit=unit).first()
    if found is not None:
        return found.collection
    parent = evidence_root_collection()
    collection = _restricted(parent.add_child(name=f"{unit.name} ({unit.code})"))
    EvidenceCollection.objects.create(unit=unit, collection=collection)
    return collection


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def evidence_document_create(*, file, by, unit: Unit, title: str = ""):
    """Store an uploaded evidence file of `unit` as a Wagtail document in the unit's evidence
    collection, with the SHA-256 of its bytes (shown beside the download link)."""
    from wagtail.documents import get_document_model

    sha256 = _sha256(file)
    Document = get_document_model()
    document = Document(title=title or file.name, file=file, collection=evidence_collection_for(unit), uploaded_by_user=by)
    document._set_document_file_metadata()
    document.full_clean()
    document.save()
    evidence = EvidenceFile(document=document, unit=unit, sha256=sha256)
    evidence.full_clean()
    evidence.save()
    return document


# --- Reminders ---------------------------------------------------------------------------------

#: How many days ahead an action counts as "due soon".
REMINDER_DAYS_AHEAD = 7


@dataclass
class ReminderReport:
    emails: int = 0
    actions: int = 0
    #: Responsible people who have no e-mail address (nothing was logged for them: retried tomorrow).
    without_email: list[str] = field(default_factory=list)
    #: People whose message could not be sent (nothing logged: a rerun tries again).
    failed: list[str] = field(default_factory=list)


def action_reminders_send(*, today: datetime.date | None = None) -> ReminderReport:
    """
    E-mail each responsible person the open actions due within 7 days or overdue, in one message;
    each action at most once a day (a ReminderLog row per action and day, unique in the database).
    """
    today = today or _today()
    report = ReminderReport()
    actions = (
        CorrectiveAction.objects.open()
        .filter(due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_AHEAD))
        .exclude(nonconformity__status=NcStatus.CLOSED)
        .exclude(reminders__sent_on=today)
        .select_related("responsible", "nonconformity__unit")
        .order_by("responsible_id", "due_on", "pk")
    )
    by_person: dict[int, list[CorrectiveAction]] = defaultdict(list)
    for action in actions:
        by_person[action.responsible_id].append(action)
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    for person_actions in by_person.values():
        person = person_actions[0].responsible
        if delivery_for(person) == Delivery.OFF:
            continue  # the person turned e-mail off (Account → Notifications)
        if not person.email:
            report.without_email.append(person.get_username())
            continue
        rows = []
        for action in person_actions:
            kind = ReminderKind.OVERDUE if action.due_on < today else ReminderKind.DUE_SOON
            rows.append({
                "action": action, "kind": kind, "days_late": (today - action.due_on).days,
                "url": base_url + reverse("nonconformities:detail", args=[action.nonconformity_id]),
            })
        try:
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                for row in rows:
                    log = ReminderLog(action=row["action"], sent_on=today, kind=row["kind"], recipient=person.email)
                    _record(log, by=None, step=HistoryStep.REMINDER_SENT)
                context = {"person": person, "rows": rows, "today": today}
                subject = render_to_string("audits/email/action_reminder_subject.txt", context).strip()
                body = render_to_string("audits/email/action_reminder.txt", context)
                send_mail(subject, body, None, [person.email])
        except (OSError, smtplib.SMTPException):
            logger.exception("Action reminder to %s failed", person.email)
            report.failed.append(person.get_username())
            continue
        report.emails += 1
        report.actions += len(rows)
    return report


# --- Question bank -----------------------------------------------------------------------------


@transaction.atomic
def question_save(*, question: QuestionBankItem, by) -> QuestionBankItem:
    """Create or change a question of the bank (checklists already generated keep their own copy)."""
    return _record(question, by=by, step=HistoryStep.QUESTION_SAVED)
