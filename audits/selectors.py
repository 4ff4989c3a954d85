"""
Reads that span several models: the history timelines, dashboard counts, merger transfers, the
people who may be made responsible for an action.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from audits.models import (
    Audit,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    HistoryStep,
    Nonconformity,
)
from qms.core.models import IsoClause, Membership, Unit
from qms.core.models.units import unit_graph
from qms.core.text import person_name

# --- Timeline ----------------------------------------------------------------------------------

#: Fields left out of the timeline: keys, and bookkeeping the reader does not need.
_HIDDEN = {"id", "original_unit", "source_content_type", "source_object_id", "audit", "position", "nonconformity"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    when: datetime.datetime
    user_name: str
    subject: str
    step_label: str
    kind: str  # "+", "~" or "-"
    changes: list[Change] = field(default_factory=list)
    #: Tie-breaker so rows written in one transaction keep their order.
    order: int = 0


class _Display:
    """Turns stored values into what a reader understands: labels, names, dd/mm/yyyy."""

    def __init__(self):
        self.cache: dict[tuple[type, object], str] = {}

    def related(self, model, pk) -> str:
        key = (model, pk)
        if key not in self.cache:
            obj = model._default_manager.filter(pk=pk).first()
            if obj is None:
                text = f"#{pk}"
            elif model is get_user_model():
                text = person_name(obj)
            else:
                text = str(obj)
            self.cache[key] = text
        return self.cache[key]

    def value(self, model_field, value) -> str:
        if value is None or value == "":
            return ""
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.ForeignKey):
            return self.related(model_field.related_model, value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return str(value)

    def names(self, model, pks) -> str:
        return ", ".join(sorted(self.related(model, pk) for pk in pks))


def _step_label(row) -> str:
    reason = row.history_change_reason or ""
    if reason in HistoryStep.values:
        return str(HistoryStep(reason).label)
    return {"+": pgettext_lazy("history", "Created"), "~": _("Changed"), "-": pgettext_lazy("history", "Deleted")}[row.history_type]


def _m2m_ids(row, m2m_field) -> set:
    through_rows = getattr(row, m2m_field.name).all()
    target = m2m_field.m2m_reverse_field_name()
    return {getattr(r, f"{target}_id") for r in through_rows}


def _entries(model, history_rows, subject, display: _Display, *, hidden=frozenset()) -> list[TimelineEntry]:
    """One entry per history row: the fields it changed against the object's previous row."""
    hidden = _HIDDEN | set(hidden)
    fields = [f for f in model._meta.concrete_fields if f.name not in hidden]
    m2m = [f for f in model._meta.many_to_many if f.name not in hidden]
    entries, previous = [], {}
    for row in history_rows:
        before = previous.get(row.id)
        changes = []
        if before is None:
            for f in fields:
                raw = getattr(row, f.attname)
                value = display.value(f, raw)
                if value and value != _("No") and raw != 0:
                    changes.append(Change(capfirst(str(f.verbose_name)), "", value))
        else:
            delta = row.diff_against(before, included_fields=[f.name for f in fields])
            by_name = {f.name: f for f in fields}
            for change in delta.changes:
                f = by_name[change.field]
                changes.append(Change(capfirst(str(f.verbose_name)), display.value(f, change.old), display.value(f, change.new)))
        for f in m2m:
            new_ids = _m2m_ids(row, f)
            old_ids = _m2m_ids(before, f) if before is not None else set()
            if new_ids != old_ids:
                changes.append(Change(
                    capfirst(str(f.verbose_name)), display.names(f.related_model, old_ids), display.names(f.related_model, new_ids),
                ))
        previous[row.id] = row
        entries.append(TimelineEntry(
            when=row.history_date, user_name=person_name(row.history_user) if row.history_user_id else _("System"),
            subject=subject(row), step_label=_step_label(row), kind=row.history_type, changes=changes,
            order=row.history_id,
        ))
    return entries


def _rows(model, **filters):
    return list(model.history.filter(**filters).select_related("history_user").order_by("history_date", "history_id"))


def _sorted(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda e: (e.when, e.order))


def timeline_for_nonconformity(nc: Nonconformity) -> list[TimelineEntry]:
    """The nonconformity's story: the finding that raised it, each step, each action."""
    display = _Display()
    entries = _entries(Nonconformity, _rows(Nonconformity, id=nc.pk), lambda r: r.reference, display, hidden={"finding"})
    entries += _entries(
        CorrectiveAction, _rows(CorrectiveAction, nonconformity_id=nc.pk),
        lambda r: _("Action: %(what)s") % {"what": r.description[:80]}, display,
    )
    if nc.finding_id:
        entries += _entries(
            Finding, _rows(Finding, id=nc.finding_id), lambda r: _("Finding of the audit"), display,
            hidden={"checklist_item"},
        )
    return _sorted(entries)


def timeline_for_audit(audit: Audit) -> list[TimelineEntry]:
    """The audit's story: plan changes, status, checklist answers (generation summarised), findings."""
    display = _Display()
    entries = _entries(Audit, _rows(Audit, id=audit.pk), lambda r: str(audit), display, hidden={"programme"})
    item_rows = _rows(ChecklistItem, audit_id=audit.pk)
    generated = [r for r in item_rows if r.history_type == "+"]
    batches: dict[tuple, list] = defaultdict(list)
    for row in generated:
        batches[(row.history_user_id, row.history_date.replace(microsecond=0))].append(row)
    for rows in batches.values():
        first = rows[0]
        entries.append(TimelineEntry(
            when=first.history_date, user_name=person_name(first.history_user) if first.history_user_id else _("System"),
            subject=_("Checklist"), step_label=_step_label(first), kind="+",
            changes=[Change(_("Questions"), "", str(len(rows)))], order=first.history_id,
        ))
    answers = [r for r in item_rows if r.history_type == "~"]
    clause_numbers = dict(IsoClause.objects.values_list("pk", "number"))
    # Diffs need each answer's previous row, the generated one included.
    answer_entries = _entries(
        ChecklistItem, [r for r in item_rows if r.history_type != "-"],
        lambda r: _("Question %(number)s (clause %(clause)s)") % {"number": r.position, "clause": clause_numbers.get(r.clause_id, "")},
        display, hidden={"clause", "question", "position"},
    )
    answer_ids = {r.history_id for r in answers}
    entries += [e for e in answer_entries if e.order in answer_ids]
    entries += _entries(
        Finding, _rows(Finding, audit_id=audit.pk), lambda r: _("Finding: %(what)s") % {"what": r.statement[:80]}, display,
        hidden={"checklist_item"},
    )
    return _sorted(entries)


def timeline_for_programme(programme) -> list[TimelineEntry]:
    from audits.models import AuditProgramme

    display = _Display()
    return _sorted(_entries(AuditProgramme, _rows(AuditProgramme, id=programme.pk), lambda r: r.title, display))


def timeline_for_question(question) -> list[TimelineEntry]:
    from audits.models import QuestionBankItem

    display = _Display()
    return _sorted(_entries(QuestionBankItem, _rows(QuestionBankItem, id=question.pk), lambda r: r.clause.number, display))


def timeline_for_finding(finding: Finding) -> list[TimelineEntry]:
    display = _Display()
    return _sorted(_entries(Finding, _rows(Finding, id=finding.pk), lambda r: str(finding.audit), display, hidden={"checklist_item"}))


def timeline_for_action(action: CorrectiveAction) -> list[TimelineEntry]:
    display = _Display()
    return _sorted(_entries(CorrectiveAction, _rows(CorrectiveAction, id=action.pk), lambda r: action.nonconformity.reference, display))


# --- Dashboard ---------------------------------------------------------------------------------


@dataclass
class UnitNcCounts:
    unit: Unit
    open: int
    overdue: int
    actions_overdue: int


def nonconformity_counts_by_unit(user, today: datetime.date | None = None) -> list[UnitNcCounts]:
    """Open and overdue nonconformities (and overdue actions) per unit the user may see; units with none are left out."""
    today = today or timezone.localdate()
    ncs = Nonconformity.objects.for_user(user).open()
    counts = ncs.values("unit").annotate(
        open=Count("pk", distinct=True),
        overdue=Count("pk", filter=Q(due_on__lt=today), distinct=True),
        actions_overdue=Count("actions", filter=Q(actions__done_on__isnull=True, actions__due_on__lt=today), distinct=True),
    )
    units = unit_graph().units  # the request's unit tree: no query
    rows = [UnitNcCounts(units[r["unit"]], r["open"], r["overdue"], r["actions_overdue"]) for r in counts]
    return sorted(rows, key=lambda r: (-r.overdue, -r.open, r.unit.name))


def my_actions(user):
    """Actions the user is responsible for, open ones first (most overdue first), then the done ones."""
    return (
        CorrectiveAction.objects.filter(responsible=user)
        .select_related("nonconformity__unit")
        .order_by(models.F("done_on").asc(nulls_first=True), "due_on", "pk")
    )


def nonconformities_raised_open(user):
    """The open nonconformities `user` detected (the auditor's open findings), earliest due first."""
    return Nonconformity.objects.for_user(user).open().filter(detected_by=user).select_related("unit").order_by("due_on", "pk")


# --- Mergers -----------------------------------------------------------------------------------


@dataclass
class TransferCandidate:
    nonconformity: Nonconformity
    successor: Unit
    open_actions: int


def nonconformities_to_transfer(user, on: datetime.date | None = None) -> list[TransferCandidate]:
    """Open nonconformities of units that no longer exist on `on`, with the unit that succeeded them."""
    on = on or timezone.localdate()
    ncs = (
        Nonconformity.objects.for_user(user).open()
        .filter(unit__valid_to__lt=on)
        .select_related("unit")
        .annotate(open_actions=Count("actions", filter=Q(actions__done_on__isnull=True)))
        .order_by("unit__name", "reference")
    )
    rollup = Unit.objects.rollup_map(on)
    successors = unit_graph().units  # the request's unit tree: no query
    candidates = []
    for nc in ncs:
        successor = successors[rollup[nc.unit_id]]
        if successor.pk != nc.unit_id and successor.is_in_force(on):
            candidates.append(TransferCandidate(nc, successor, nc.open_actions))
    return candidates


# --- People ------------------------------------------------------------------------------------


def responsible_candidates(nc: Nonconformity, on: datetime.date | None = None):
    """Who may be made responsible for an action: members of the unit, of the units above it, and of
    the unit that succeeded it (after a merger, the staff are there)."""
    on = on or timezone.localdate()
    unit_ids, unit = set(), nc.unit
    for start in (unit, unit.successor_as_of(on)):
        current = start
        while current is not None:
            unit_ids.add(current.pk)
            current = current.parent
    user_ids = Membership.objects.filter(unit__in=unit_ids).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("last_name", "first_name")
