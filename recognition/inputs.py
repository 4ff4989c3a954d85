"""
The inputs of a management review (ISO 9001 9.3.2), gathered from the data for the reviewed period.
Each gatherer returns a JSON-safe section (title, summary lines, a table) so the inputs can be frozen
in the review when its minutes are issued and printed as they were.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audits.models import Audit, Nonconformity
from qms.core.models import AdministrativeProcedure, Unit, UnitSuccession
from qms.core.text import person_name
from qms.feedback.models import CitizenFeedback
from qms.feedback.selectors import satisfaction_summary
from qms.reporting.engine import Period, bieu06
from qms.reporting.models import QualityObjective
from qms.reporting.objectives import objective_evaluate
from qms.risks.selectors import context_changes as context_register_changes
from qms.risks.selectors import risk_actions_summary
from recognition.models import ManagementReview, ReviewAction


@dataclass
class Section:
    key: str
    title: str
    summary: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    #: Relative column widths in percent, for print.
    widths: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Scope:
    """What a review looks at: the unit with what it covers, over [date_from, date_to]."""

    unit: Unit
    unit_ids: frozenset[int]
    date_from: datetime.date
    date_to: datetime.date


def _day(value: datetime.date | None) -> str:
    return date_format(value, "d/m/Y") if value else "–"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}".replace(".", ",") + "%"


def previous_actions(scope: Scope) -> Section:
    """9.3.2 a) status of actions from previous management reviews."""
    actions = (
        ReviewAction.objects.filter(review__unit_id__in=scope.unit_ids, review__held_on__lt=scope.date_to)
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=scope.date_from))
        .select_related("review", "owner")
        .order_by("due_on")
    )
    section = Section("previous_actions", _("Actions from previous management reviews"),
                      headers=[pgettext("review action", "Action"), pgettext("review action", "Owner"), _("Due"), _("Status")], widths=[46, 20, 14, 20])
    done = 0
    for action in actions:
        if action.done_on and action.done_on <= scope.date_to:
            status, done = _("done on %(day)s") % {"day": _day(action.done_on)}, done + 1
        elif action.due_on < scope.date_to:
            status = _("overdue")
        else:
            status = _("in progress")
        section.rows.append([action.description, person_name(action.owner), _day(action.due_on), status])
    section.summary.append(_("%(done)s of %(total)s actions done.") % {"done": done, "total": len(section.rows)})
    return section


def citizen_feedback(scope: Scope) -> Section:
    """9.3.2 c) 1) customer satisfaction and feedback from interested parties."""
    summary = satisfaction_summary(unit_ids=scope.unit_ids, date_from=scope.date_from, date_to=scope.date_to)
    section = Section("feedback", _("Citizen satisfaction and feedback"),
                      headers=[_("Day"), _("Unit"), _("Rating"), _("Complaint or petition")], widths=[14, 22, 10, 54])
    section.summary.append(
        _("%(answers)s answers; satisfied: %(rate)s; average rating: %(average)s; complaints: %(complaints)s.")
        % {"answers": summary.answers, "rate": _percent(summary.rate),
           "average": "–" if summary.average_rating is None else f"{summary.average_rating:.2f}".replace(".", ","),
           "complaints": summary.complaints}
    )
    complaints = (
        CitizenFeedback.objects.filter(unit_id__in=scope.unit_ids, is_complaint=True)
        .between(scope.date_from, scope.date_to)
        .select_related("unit")
        .order_by("submitted_at")
    )
    for answer in complaints:
        section.rows.append([_day(answer.submitted_on), answer.unit.name, f"{answer.rating}/5", answer.comment])
    return section


def legal_changes(scope: Scope) -> Section:
    """9.3.2 b) changes in external issues: the legal basis of the TTHC the unit handles."""
    procedures = AdministrativeProcedure.objects.filter(
        level=scope.unit.level, legal_basis_changed_on__range=(scope.date_from, scope.date_to)
    ).order_by("legal_basis_changed_on")
    section = Section("legal_changes", _("Changes in the legal basis of procedures"),
                      headers=[_("Code"), _("Procedure"), _("Changed on"), _("New legal basis")], widths=[14, 40, 14, 32])
    for procedure in procedures:
        section.rows.append([procedure.code, procedure.name, _day(procedure.legal_basis_changed_on), procedure.legal_basis])
    section.summary.append(_("%(count)s procedures changed their legal basis.") % {"count": len(section.rows)})
    return section


def unit_changes(scope: Scope) -> Section:
    """9.3.2 b) changes in internal issues: mergers and reorganisations touching the unit."""
    successions = UnitSuccession.objects.filter(
        Q(predecessor_id__in=scope.unit_ids) | Q(successor_id__in=scope.unit_ids),
        effective_on__range=(scope.date_from, scope.date_to),
    ).select_related("predecessor", "successor")
    section = Section("unit_changes", _("Changes in organisational units"), headers=[_("Date"), _("Change")], widths=[16, 84])
    for succession in successions:
        change = f"{succession.predecessor} → {succession.successor} ({succession.get_kind_display().lower()})"
        section.rows.append([_day(succession.effective_on), change])
    return section


def objectives_and_performance(scope: Scope) -> Section:
    """9.3.2 c) 2–3) the quality objectives and the dossier performance (Biểu 06) over the period."""
    period = Period(scope.date_from, scope.date_to)
    totals = bieu06(period=period, units=[scope.unit], as_of=scope.date_to).totals
    section = Section("performance", _("Quality objectives and dossier handling"),
                      headers=[_("Objective"), _("Target"), _("Result"), _("Met")], widths=[52, 14, 14, 20])
    section.summary.append(
        _("Dossiers: %(received)s received, %(resolved)s resolved (%(early)s early, %(on_time)s on time, %(late)s late), "
          "%(pending)s pending of which %(overdue)s overdue, %(withdrawn)s withdrawn.") % {
            "received": totals["c3"], "resolved": totals["c7"], "early": totals["c8"], "on_time": totals["c9"],
            "late": totals["c10"], "pending": totals["c11"], "overdue": totals["c13"], "withdrawn": totals["c14"]}
    )
    section.summary.append(
        _("On-time rate %(on_time)s; online rate %(online)s; average processing time %(days)s working days.") % {
            "on_time": _percent(totals["on_time_rate"]), "online": _percent(totals["online_rate"]),
            "days": "–" if totals["avg_working_days"] is None else f"{totals['avg_working_days']:.1f}".replace(".", ",")}
    )
    objectives = QualityObjective.objects.active().filter(unit_id__in=scope.unit_ids).select_related("unit")
    for objective in objectives:
        evaluation = objective_evaluate(objective=objective, period=period)
        verdict = {True: _("met"), False: _("not met"), None: _("no data")}[evaluation.met]
        results = ", ".join(m.display for m in evaluation.measurements) or "–"
        section.rows.append([f"{objective.title} ({objective.unit.name})", objective.target_display, results, verdict])
    return section


def nonconformities(scope: Scope) -> Section:
    """9.3.2 c) 4) nonconformities and corrective actions: detected in the period or still open at its end."""
    relevant = Nonconformity.objects.filter(unit_id__in=scope.unit_ids, detected_on__lte=scope.date_to).filter(
        Q(detected_on__gte=scope.date_from) | Q(closed_on__isnull=True) | Q(closed_on__gt=scope.date_to)
    ).select_related("unit").order_by("detected_on")
    section = Section("nonconformities", _("Nonconformities and corrective actions"),
                      headers=[_("Reference"), _("Unit"), _("Severity"), _("Detected"), _("Status"), _("Due")],
                      widths=[16, 22, 12, 14, 22, 14])
    closed = overdue = 0
    for nc in relevant:
        is_closed = nc.closed_on is not None and nc.closed_on <= scope.date_to
        closed += is_closed
        late = not is_closed and nc.due_on < scope.date_to
        overdue += late
        status = _("closed on %(day)s") % {"day": _day(nc.closed_on)} if is_closed else (
            _("overdue") if late else nc.get_status_display())
        section.rows.append([nc.reference, nc.unit.name, nc.get_severity_display(), _day(nc.detected_on), status, _day(nc.due_on)])
    section.summary.append(_("%(total)s nonconformities: %(closed)s closed, %(overdue)s overdue.") % {
        "total": len(section.rows), "closed": closed, "overdue": overdue})
    return section


def audit_results(scope: Scope) -> Section:
    """9.3.2 c) 6) results of the internal audits carried out in the period."""
    audits = (
        Audit.objects.filter(unit_id__in=scope.unit_ids, actual_start__isnull=False)
        .annotate(done_on=Coalesce("actual_end", "actual_start"))
        .filter(done_on__range=(scope.date_from, scope.date_to))
        .select_related("unit").prefetch_related("findings").order_by("done_on")
    )
    section = Section("audits", _("Internal audit results"),
                      headers=[_("Unit"), _("Date"), _("Findings"), _("Conclusion")], widths=[20, 12, 30, 38])
    for audit in audits:
        kinds = Counter(finding.get_kind_display() for finding in audit.findings.all())
        findings = "; ".join(f"{label}: {count}" for label, count in sorted(kinds.items())) or "–"
        section.rows.append([audit.unit.name, _day(audit.done_on), findings, audit.conclusion or audit.get_status_display()])
    section.summary.append(_("%(count)s internal audits in the period.") % {"count": len(section.rows)})
    return section


def context_changes(scope: Scope) -> Section:
    """9.3.2 b) changes in the internal and external issues and the interested parties (the context register)."""
    labels = {"added": _("added"), "changed": _("changed"), "obsolete": _("no longer relevant")}
    registers = {"issue": _("Context issue"), "party": _("Interested party")}
    section = Section("context_changes", _("Changes in context issues and interested parties"),
                      headers=[_("Date"), _("Register"), _("Kind of change"), _("Content")], widths=[14, 20, 16, 50])
    for day, register, change, text in context_register_changes(scope.unit_ids, scope.date_from, scope.date_to):
        section.rows.append([_day(day), registers[register], labels[change], text])
    section.summary.append(_("%(count)s changes in the context register.") % {"count": len(section.rows)})
    return section


def risks(scope: Scope, review: ManagementReview | None = None) -> Section:
    """9.3.2 e) the effectiveness of actions taken to address risks and opportunities, from the register;
    what the review's free text says is kept as a note after it."""
    summary = risk_actions_summary(scope.unit_ids, scope.date_from, scope.date_to)
    section = Section("risks", _("Risks and opportunities"),
                      headers=[_("Risk or opportunity"), pgettext("risk", "Action"), _("Done"), _("Effectiveness")],
                      widths=[30, 36, 12, 22])
    section.summary.append(
        _("%(done)s actions on risks and opportunities done: %(effective)s effective, %(not_effective)s not effective, "
          "%(not_reviewed)s not yet reviewed; %(overdue)s overdue.") % {
            "done": len(summary.done), "effective": summary.effective, "not_effective": summary.not_effective,
            "not_reviewed": summary.not_reviewed, "overdue": summary.overdue}
    )
    untreated = [risk for risk in summary.open_high if not risk.actions.all()]
    section.summary.append(_("%(open)s high risks open at the end of the period, %(untreated)s of them without a treatment action.") % {
        "open": len(summary.open_high), "untreated": len(untreated)})
    for risk in untreated:
        section.summary.append(_("High risk without action: %(title)s (%(unit)s).") % {"title": risk.title, "unit": risk.unit.name})
    for action in summary.done:
        if action.effective is None or action.reviewed_on > scope.date_to:
            verdict = _("not yet reviewed")
        else:
            verdict = _("effective") if action.effective else _("not effective")
            if action.effectiveness_note:
                verdict += f": {action.effectiveness_note}"
        section.rows.append([action.risk.title, action.description, _day(action.done_on), verdict])
    if review and review.risks_and_opportunities:
        section.summary.append(_("Supplementary note:"))
        section.summary.extend(line for line in review.risks_and_opportunities.splitlines() if line.strip())
    return section


#: The gatherers, in the order of ISO 9001 9.3.2; apps above add theirs here.
GATHERERS: list[Callable[[Scope], Section]] = [
    previous_actions, legal_changes, unit_changes, context_changes, citizen_feedback, objectives_and_performance, nonconformities,
    audit_results,
]


def review_scope(review: ManagementReview) -> Scope:
    unit_ids = frozenset(Unit.objects.covered_by([review.unit]).values_list("pk", flat=True))
    return Scope(unit=review.unit, unit_ids=unit_ids, date_from=review.period_from, date_to=review.period_to)


def gather_review_inputs(review: ManagementReview) -> dict:
    """Every input section for the review's unit and period, JSON-safe, in the standard's order."""
    scope = review_scope(review)
    sections = [gather(scope) for gather in GATHERERS] + [risks(scope, review)]
    return {"sections": [asdict(section) for section in sections]}
