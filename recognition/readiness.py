"""
How far a unit is from announcing conformity (and from keeping it): each readiness item is computed
from the data on a given day, links to its evidence, and says what to do next in plain Vietnamese.
Items follow Decision 19/2014 Art. 4 and ISO 9001: policy and objectives, a procedure for every TTHC,
documents current, an internal audit covering clauses 4–10 within 12 months, no open major or
overdue nonconformity, a management review within 12 months, objectives measured.

"Within 12 months" is to the day: on 27/11/2026 an event of 27/11/2025 counts, one of 26/11/2025 not.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.models import Audit, AuditStatus, NcSeverity, Nonconformity
from procedures_docs.models import ControlledDocumentPage, DocumentType, IssuedRevision, ReviewDemand
from qms.competence import selectors as competence
from qms.core.freshness import kept, kept_parts
from qms.core.models import Unit, UnitQmsStatus
from qms.core.models.units import per_request, unit_graph, unit_ids_for_user
from qms.core.text import person_name
from qms.reporting.engine import GroupBy, Period, bieu06
from qms.reporting.models import ObjectiveScope, QualityObjective
from qms.reporting.objectives import objective_evaluate, objectives_evaluate
from qms.risks import selectors as risks
from recognition.models import ManagementReview
from recognition.selectors import unit_procedures


def twelve_months_before(on: datetime.date) -> datetime.date:
    """The first day that still counts as "within 12 months" of `on`."""
    return on - relativedelta(months=12)


#: Column headings of the district overview, by item key.
SHORT_TITLES = {
    "policy": gettext_lazy("Policy, objectives"),
    "procedures": gettext_lazy("TTHC procedures"),
    "documents": gettext_lazy("Documents current"),
    "internal_audit": gettext_lazy("Internal audit"),
    "nonconformities": gettext_lazy("Nonconformities"),
    "management_review": gettext_lazy("Management review"),
    "objectives": gettext_lazy("Objectives measured"),
    "competence": gettext_lazy("Staff trained"),
    "context": gettext_lazy("Context reviewed"),
    "risks": gettext_lazy("Risks treated"),
}


@dataclass
class ReadinessItem:
    key: str
    title: str
    ok: bool
    detail: str = ""
    next_step: str = ""
    evidence_url: str = ""
    #: Figures behind the verdict, for whoever needs more than ok / not ok (the announcement's check).
    figures: dict = field(default_factory=dict)

    @property
    def short_title(self) -> str:
        return str(SHORT_TITLES.get(self.key, self.title))


@dataclass
class Readiness:
    unit: Unit
    on: datetime.date
    items: list[ReadinessItem] = field(default_factory=list)

    @property
    def score(self) -> int:
        """Per cent of the items met."""
        return round(100 * sum(item.ok for item in self.items) / len(self.items)) if self.items else 0

    @property
    def next_steps(self) -> list[str]:
        return [item.next_step for item in self.items if not item.ok and item.next_step]

    def item(self, key: str) -> ReadinessItem:
        return next(i for i in self.items if i.key == key)

    @property
    def major_nonconformities(self) -> int:
        """Major nonconformities open on the day (an announcement is refused while there is one)."""
        return self.item("nonconformities").figures.get("major", 0)


def _day(value: datetime.date) -> str:
    return date_format(value, "d/m/Y")


def documents_in_force(unit: Unit, on: datetime.date):
    """Documents owned by or applying to `unit` that had an issue in force on `on` and were not yet obsolete."""
    return (
        ControlledDocumentPage.objects.filter(Q(owner_unit=unit) | Q(applies_to=unit))
        .filter(issues__effective_date__lte=on)
        .exclude(withdrawal__withdrawn_on__lte=on)
        .distinct()
    )


@dataclass
class _Facts:
    """
    What the readiness checks and the overview read about several units on one day, fetched for all of
    them at once (a fixed number of queries, whatever the number of units): `_facts`.
    """

    on: datetime.date
    covered: dict[int, frozenset[int]]  # unit → itself, the units below it and those it succeeded
    doc_types: dict[int, set[str]]  # unit → types of the documents in force it owns or that apply to it
    procedure_docs: dict[int, set[int]]  # unit → TTHC covered by a procedure in force of its
    handled: dict[str | None, list]  # level → TTHC in force at that level
    next_review: dict[int, dict[int, datetime.date | None]]  # unit → its own documents in force → next review
    late_updates: dict[int, int]  # unit → its documents past the legal-update window
    audits: list  # reported or closed audits of the units concerned done by `on`, latest first
    ncs: dict[int, tuple[int, int, int]]  # unit → (open, major, overdue) nonconformities of its own on `on`
    reviews: list  # (pk, unit id, held on) of management reviews by `on`, latest first
    objectives: dict[int, list]  # unit → [(objective, evaluation)] applying to it
    statuses: dict[int, object]  # unit → its QMS status on `on`
    competence: dict[int, competence.ReadinessFacts]  # unit → its one-stop officers and auditors, trained / certified or not
    risks: dict[int, risks.RiskFacts]  # unit → its context review and risk register on `on` (qms.risks)

    def nc_counts(self, unit_ids) -> tuple[int, int, int]:
        counts = [self.ncs.get(pk, (0, 0, 0)) for pk in unit_ids]
        return tuple(sum(c[i] for c in counts) for i in range(3))


def _facts(units: list[Unit], on: datetime.date) -> _Facts:
    graph = unit_graph()
    pks = [unit.pk for unit in units]
    covered = {unit.pk: frozenset(graph.covered([unit.pk])) for unit in units}
    concerned = frozenset().union(*covered.values()) if covered else frozenset()
    # Each register's part is kept until a record of the apps it reads changes: a new finding reads the
    # findings again, not the documents, audits, objectives and registers (qms.core.freshness.kept_parts).
    parts = kept_parts(
        "readiness", (pks, sorted(concerned), on),
        {name: (reads, lambda read=read: read(units, concerned, on)) for name, (reads, read) in FACT_PARTS.items()},
    )
    documents = parts["documents"]
    of_unit, owned = documents.of_unit, documents.owned
    return _Facts(
        on=on, covered=covered,
        doc_types={pk: {documents.doc_type[d] for d in of_unit[pk]} for pk in pks},
        procedure_docs={pk: set().union(*(documents.procedures_of.get(d, set()) for d in of_unit[pk])) for pk in pks},
        handled=parts["handled"],
        next_review={pk: {d: documents.next_review.get(d) for d in owned[pk]} for pk in pks},
        late_updates={pk: len(owned[pk] & documents.unmet) for pk in pks},
        audits=parts["audits"], ncs=parts["ncs"], reviews=parts["reviews"], objectives=parts["objectives"],
        statuses=parts["statuses"], competence=parts["competence"], risks=parts["risks"],
    )


@dataclass
class _Documents:
    doc_type: dict[int, str]  # document in force → its type
    next_review: dict[int, datetime.date | None]  # document in force → its next review
    of_unit: dict[int, set[int]]  # unit → documents in force it owns or that apply to it
    owned: dict[int, set[int]]  # unit → documents in force it owns
    procedures_of: dict[int, set[int]]  # procedure document → the TTHC it covers
    unmet: set[int]  # owned documents past the legal-update window


def _documents(units: list[Unit], concerned, on: datetime.date) -> _Documents:
    pks = [unit.pk for unit in units]
    latest = IssuedRevision.objects.filter(document=OuterRef("pk"), effective_date__lte=on).order_by("-number")
    docs = documents_in_force_of(pks, on).annotate(next_review=Subquery(latest.values("next_review_on")[:1]))
    doc_rows = list(docs.values_list("pk", "doc_type", "owner_unit_id", "next_review"))
    doc_type = {pk: kind for pk, kind, _owner, _review in doc_rows}
    of_unit: dict[int, set[int]] = {pk: set() for pk in pks}
    owned: dict[int, set[int]] = {pk: set() for pk in pks}
    for doc, _kind, owner, _review in doc_rows:
        if owner in of_unit:
            of_unit[owner].add(doc)
            owned[owner].add(doc)
    for doc, unit_id in ControlledDocumentPage.objects.filter(pk__in=doc_type, applies_to__in=pks).values_list(
        "pk", "applies_to"
    ):
        of_unit[unit_id].add(doc)
    procedures_of: dict[int, set[int]] = {}
    for doc, procedure in ControlledDocumentPage.objects.filter(
        pk__in=[d for d, kind in doc_type.items() if kind == DocumentType.PROCEDURE], procedures__isnull=False
    ).values_list("pk", "procedures__pk"):
        procedures_of.setdefault(doc, set()).add(procedure)
    owned_docs = set().union(*owned.values()) if owned else set()
    unmet = set(
        ReviewDemand.objects.filter(document__in=owned_docs, raised_on__lte=on, due_on__lt=on)
        .filter(Q(met_by__isnull=True) | Q(met_by__effective_date__gt=on)).values_list("document", flat=True)
    )
    return _Documents(doc_type=doc_type, next_review={pk: review for pk, _kind, _owner, review in doc_rows},
                      of_unit=of_unit, owned=owned, procedures_of=procedures_of, unmet=unmet)


def _audits(units: list[Unit], concerned, on: datetime.date) -> list:
    return list(
        Audit.objects.filter(unit_id__in=concerned, status__in=[AuditStatus.REPORTED, AuditStatus.CLOSED])
        .annotate(done_on=Coalesce("actual_end", "actual_start")).filter(done_on__lte=on)
        .prefetch_related("clauses").order_by("-done_on")
    )


def _ncs(units: list[Unit], concerned, on: datetime.date) -> dict:
    return {
        row["unit_id"]: (row["open"], row["major"], row["overdue"])
        for row in Nonconformity.objects.filter(unit_id__in=concerned, detected_on__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on)).values("unit_id")
        .annotate(open=Count("pk"), major=Count("pk", filter=Q(severity=NcSeverity.MAJOR)),
                  overdue=Count("pk", filter=Q(due_on__lt=on)))
    }


def _reviews(units: list[Unit], concerned, on: datetime.date) -> list:
    return list(
        ManagementReview.objects.filter(unit_id__in=concerned, held_on__lte=on).order_by("-held_on")
        .values_list("pk", "unit_id", "held_on")
    )


def _statuses(units: list[Unit], concerned, on: datetime.date) -> dict:
    statuses: dict[int, object] = {}
    for status in UnitQmsStatus.objects.filter(unit_id__in=[unit.pk for unit in units], since__lte=on).order_by(
        "-since", "-pk"
    ):
        statuses.setdefault(status.unit_id, status)
    return statuses


def _objectives(units: list[Unit], concerned, on: datetime.date) -> dict:
    """The units' own objectives and their ancestors' "each unit" ones, each measured once for every unit."""
    graph = unit_graph()
    pks = [unit.pk for unit in units]
    ancestors = {pk: graph.ancestors(pk) for pk in pks}
    objectives = list(
        QualityObjective.objects.active()
        .filter(Q(unit_id__in=pks) | Q(unit_id__in={a for ids in ancestors.values() for a in ids}, scope=ObjectiveScope.EACH))
        .select_related("unit")
    )
    pairs = [(objective, last_complete_period(objective.period_kind, on)) for objective in objectives]
    evaluations = objectives_evaluate(pairs=pairs)
    return {
        pk: [(o, e) for o, e in zip(objectives, evaluations, strict=True)
             if o.unit_id == pk or (o.unit_id in ancestors[pk] and o.scope == ObjectiveScope.EACH)]
        for pk in pks
    }


def _handled(units: list[Unit], concerned, on: datetime.date) -> dict:
    handled = {}
    for unit in units:
        if unit.level not in handled:
            handled[unit.level] = list(unit_procedures(unit, on))
    return handled


#: The parts of `_Facts`, each with the apps it reads (tests/core/test_panel_reads.py holds each to them) and
#: how it is read for the units, the units they cover and the day.
FACT_PARTS: dict[str, tuple[tuple[str, ...], Callable]] = {
    "documents": (("procedures_docs", "wagtailcore"), _documents),
    "audits": (("audits", "core"), _audits),
    "ncs": (("audits",), _ncs),
    "reviews": (("recognition",), _reviews),
    "statuses": (("core",), _statuses),
    "objectives": (("reporting", "dossiers", "core"), _objectives),
    "handled": (("core",), _handled),
    "competence": (("competence", "core"), lambda units, concerned, on: competence.readiness_facts([u.pk for u in units], on)),
    "risks": (("risks",), lambda units, concerned, on: risks.readiness_facts([u.pk for u in units], on)),
}


def documents_in_force_of(unit_ids, on: datetime.date):
    """`documents_in_force` of several units at once."""
    return (
        ControlledDocumentPage.objects.filter(Q(owner_unit__in=unit_ids) | Q(applies_to__in=unit_ids))
        .filter(issues__effective_date__lte=on)
        .exclude(withdrawal__withdrawn_on__lte=on)
        .distinct()
    )


def _url(name: str) -> str:
    """`reverse(name)`, once per request: the checks of a province's 200 units link to the same few lists."""
    return per_request(("url", name), lambda: reverse(name))


def management_review(unit: Unit, facts: _Facts) -> ReadinessItem:
    """A management review held within 12 months, by the unit itself (its minutes issued or not)."""
    on = facts.on
    since = twelve_months_before(on)
    last = next(((pk, held_on) for pk, unit_id, held_on in facts.reviews if unit_id == unit.pk), None)
    title = _("Management review within 12 months")
    if last and last[1] >= since:
        return ReadinessItem(
            "management_review", title, True,
            detail=_("Last review on %(day)s.") % {"day": _day(last[1])},
            evidence_url=reverse("reviews:inspect", args=[last[0]]),
        )
    detail = _("Last review on %(day)s.") % {"day": _day(last[1])} if last else _("No management review yet.")
    return ReadinessItem(
        "management_review", title, False, detail=detail,
        next_step=_("Hold a management review chaired by the leader and issue its minutes."),
        evidence_url=_url("reviews:add"),
    )


def policy_and_objectives(unit: Unit, facts: _Facts) -> ReadinessItem:
    """A quality policy and quality objectives in force."""
    in_force = facts.doc_types[unit.pk]
    missing = [label for kind, label in ((DocumentType.POLICY, _("quality policy")),
                                         (DocumentType.OBJECTIVES, _("quality objectives"))) if kind not in in_force]
    title = _("Quality policy and objectives in force")
    url = _url("documents:master_list") + f"?unit={unit.pk}"
    if not missing:
        return ReadinessItem("policy", title, True, detail=_("Both are issued and in force."), evidence_url=url)
    return ReadinessItem(
        "policy", title, False, detail=_("Missing: %(what)s.") % {"what": ", ".join(missing)}, evidence_url=url,
        next_step=_("Draft the quality policy and the year's quality objectives and have the leader approve them."),
    )


def procedures_for_every_tthc(unit: Unit, facts: _Facts) -> ReadinessItem:
    """An internal procedure in force for every TTHC the unit handles."""
    handled = facts.handled[unit.level]
    covered = facts.procedure_docs[unit.pk]
    missing = [p for p in handled if p.pk not in covered]
    title = _("An internal procedure in force for every TTHC")
    detail = _("%(covered)s of %(total)s TTHC have a procedure in force.") % {
        "covered": len(handled) - len(missing), "total": len(handled)}
    if missing:
        shown = ", ".join(p.code for p in missing[:6]) + ("…" if len(missing) > 6 else "")
        detail += " " + _("Missing: %(what)s.") % {"what": shown}
    return ReadinessItem(
        "procedures", title, bool(handled) and not missing, detail=detail,
        evidence_url=_url("documents:master_list") + f"?unit={unit.pk}",
        next_step="" if handled and not missing else _("Write and issue an internal procedure for each TTHC still without one."),
    )


def documents_current(unit: Unit, facts: _Facts) -> ReadinessItem:
    """No document of the unit overdue for its periodic review or for a legal update (3 months)."""
    on = facts.on
    late_reviews = sum(1 for due in facts.next_review[unit.pk].values() if due is not None and due < on)
    late_updates = facts.late_updates[unit.pk]
    title = _("No document overdue for review or legal update")
    ok = late_reviews == 0 and late_updates == 0
    return ReadinessItem(
        "documents", title, ok,
        detail=_("%(reviews)s overdue for periodic review, %(updates)s past the 3-month legal-update window.") % {
            "reviews": late_reviews, "updates": late_updates},
        evidence_url=_url("documents:review_due"),
        next_step="" if ok else _("Review the documents that are due and issue revised versions."),
    )


MAIN_CLAUSES = [str(n) for n in range(4, 11)]


def internal_audit(unit: Unit, facts: _Facts) -> ReadinessItem:
    """Internal audits of the unit performed (reported or closed) within 12 months cover clauses 4 to 10."""
    on = facts.on
    since = twelve_months_before(on)
    own = [audit for audit in facts.audits if audit.unit_id == unit.pk]
    audits = [audit for audit in own if audit.done_on >= since]
    covered = {clause.number.split(".")[0] for audit in audits for clause in audit.clauses.all()}
    missing = [c for c in MAIN_CLAUSES if c not in covered]
    title = _("Internal audit within 12 months covering clauses 4–10")
    if audits and not missing:
        return ReadinessItem(
            "internal_audit", title, True,
            detail=_("Last audit ended on %(day)s.") % {"day": _day(audits[0].done_on)},
            evidence_url=reverse("audits:page", args=[audits[0].pk]),
        )
    if audits:
        detail = _("Audited within 12 months, but not clauses %(clauses)s.") % {"clauses": ", ".join(missing)}
        url = reverse("audits:page", args=[audits[0].pk])
    else:
        last = own[0] if own else None
        detail = (_("Last audit ended on %(day)s.") % {"day": _day(last.done_on)}) if last else _("Never audited.")
        url = _url("audits:index") + f"?unit={unit.pk}"
    return ReadinessItem(
        "internal_audit", title, False, detail=detail, evidence_url=url,
        next_step=_("Plan and carry out an internal audit of the unit covering every clause from 4 to 10."),
    )


def nonconformities_under_control(unit: Unit, facts: _Facts) -> ReadinessItem:
    """On the day: no open major nonconformity and none overdue (the unit's and its predecessors')."""
    open_count, major, overdue = facts.nc_counts(facts.covered[unit.pk])
    title = _("No open major nonconformity, none overdue")
    detail = _("%(open)s open, of which %(major)s major and %(overdue)s overdue.") % {
        "open": open_count, "major": major, "overdue": overdue}
    ok = major == 0 and overdue == 0
    return ReadinessItem(
        "nonconformities", title, ok, detail=detail,
        next_step="" if ok else _("Finish the corrective actions of the open nonconformities and have their effectiveness checked."),
        evidence_url=_url("nonconformities:index") + f"?unit={unit.pk}", figures={"major": major, "overdue": overdue},
    )


def last_complete_period(kind: str, on: datetime.date) -> Period:
    """The latest month / quarter / 6 months / year that has ended by `on` (inclusive)."""
    period = Period.containing(kind, on)
    return period if period.date_to <= on else Period.containing(kind, period.date_from - datetime.timedelta(days=1))


def _ancestors(unit: Unit) -> list[int]:
    return unit_graph().ancestors(unit.pk)


def objectives_measured(unit: Unit, facts: _Facts) -> ReadinessItem:
    """Quality objectives apply to the unit (its own, or its district's "each unit" ones) and each was
    measurable on the dossier records of its last complete period."""
    title = _("Quality objectives measured for the last period")
    objectives = facts.objectives[unit.pk]
    if not objectives:
        return ReadinessItem(
            "objectives", title, False, detail=_("No quality objective applies to this unit."),
            next_step=_("Set measurable quality objectives (e.g. on-time rate at least 98 per cent) and a plan to reach them."),
            evidence_url=_url("qualityobjective:add"),
        )
    unit_ids = facts.covered[unit.pk]
    met = not_met = unmeasured = 0
    for objective, evaluation in objectives:
        mine = evaluation.measurements_of(unit_ids) if objective.scope == ObjectiveScope.EACH else evaluation.measurements
        if not mine or all(m.met is None for m in mine):
            unmeasured += 1
        elif all(m.met for m in mine if m.met is not None):
            met += 1
        else:
            not_met += 1
    detail = _("%(count)s objectives: %(met)s met, %(not_met)s not met, %(unmeasured)s without data.") % {
        "count": len(objectives), "met": met, "not_met": not_met, "unmeasured": unmeasured}
    return ReadinessItem(
        "objectives", title, unmeasured == 0, detail=detail,
        next_step="" if unmeasured == 0 else _("Import the dossier records of the last period so the objectives can be measured."),
        evidence_url=_url("qualityobjective:index"),
    )


def staff_competent(unit: Unit, facts: _Facts) -> ReadinessItem:
    """Every one-stop officer of the unit trained in ISO awareness, every internal auditor holding a valid
    certificate, on the day (qms.competence.selectors.readiness_facts)."""
    found = facts.competence[unit.pk]
    missing = found.missing
    detail = _("%(staff)s of %(staff_total)s one-stop officers trained, %(auditors)s of %(auditors_total)s auditors certified.") % {
        "staff": sum(ok for _u, ok in found.staff), "staff_total": len(found.staff),
        "auditors": sum(ok for _u, ok in found.auditors), "auditors_total": len(found.auditors)}
    if missing:
        detail += " " + _("Missing: %(what)s.") % {"what": ", ".join(person_name(user) for user in missing)}
    return ReadinessItem(
        "competence", _("Every one-stop officer trained in ISO awareness, every auditor certified"), not missing,
        detail=detail, evidence_url=_url("competencematrix:index") + f"?unit={unit.pk}",
        next_step=_("Train the officers and auditors listed and record their certificates.") if missing else "",
    )


def context_reviewed(unit: Unit, facts: _Facts) -> ReadinessItem:
    """The unit's context issues and interested parties reviewed within 12 months (ISO 9001 4.1, 4.2)."""
    last = facts.risks[unit.pk].last_context_review
    title = _("Context and interested parties reviewed within 12 months")
    url = _url("context_issues:index") + f"?unit={unit.pk}"
    detail = _("Last reviewed on %(day)s.") % {"day": _day(last)} if last else _("Never reviewed.")
    ok = last is not None and last >= twelve_months_before(facts.on)
    return ReadinessItem(
        "context", title, ok, detail=detail, evidence_url=url,
        next_step="" if ok else _("Review the unit's context issues and interested parties (copy the district's template if there is none) and record the review."),
    )


def risks_assessed(unit: Unit, facts: _Facts) -> ReadinessItem:
    """Risks assessed within 12 months and every open high risk with a treatment action (ISO 9001 6.1)."""
    risk_facts = facts.risks[unit.pk]
    last, untreated = risk_facts.last_assessment, risk_facts.high_untreated
    title = _("Risks assessed within 12 months and every high risk treated")
    url = _url("risks:index") + f"?unit={unit.pk}"
    recent = last is not None and last >= twelve_months_before(facts.on)
    detail = (_("Last assessment on %(day)s.") % {"day": _day(last)} if last else _("No risk assessed yet.")) + " " + (
        _("%(count)s high risks without a treatment action.") % {"count": untreated})
    ok = recent and untreated == 0
    if ok:
        step = ""
    elif not recent:
        step = _("Assess the unit's risks and opportunities (likelihood and impact) and plan how to treat them.")
    else:
        step = _("Plan a treatment action for every high risk.")
        url += "&flagged=true"
    return ReadinessItem("risks", title, ok, detail=detail, evidence_url=url, next_step=step,
                         figures={"high_untreated": untreated})


#: The readiness checks, in the order a unit meets them; each reads what `_facts` fetched for all units.
CHECKS: list[Callable[[Unit, _Facts], ReadinessItem]] = [
    policy_and_objectives, procedures_for_every_tthc, documents_current, internal_audit, nonconformities_under_control, management_review, objectives_measured,
    context_reviewed, risks_assessed, staff_competent,
]


def readiness_of_units(units: list[Unit], on: datetime.date, facts: _Facts | None = None) -> dict[int, Readiness]:
    """The readiness of each of `units` on `on`: one set of queries for all of them (dashboard, overview)."""
    facts = facts or _facts(units, on)
    return {unit.pk: Readiness(unit=unit, on=on, items=[check(unit, facts) for check in CHECKS]) for unit in units}


def unit_readiness(unit: Unit, on: datetime.date) -> Readiness:
    return readiness_of_units([unit], on)[unit.pk]


# --- the district overview ------------------------------------------------------------------------

OVERVIEW_KINDS = ("district", "commune", "township", "ward")


@dataclass
class OverviewRow:
    unit: Unit
    readiness: Readiness
    status: object  # UnitQmsStatus or None
    on_time_rate: float | None
    open_ncs: int
    overdue_ncs: int
    documents_due: int
    last_audit: datetime.date | None
    last_review: datetime.date | None

    @property
    def sort_values(self) -> dict:
        return {
            "unit": self.unit.name, "score": self.readiness.score,
            "on_time": -1 if self.on_time_rate is None else self.on_time_rate,
            "open": self.open_ncs, "overdue": self.overdue_ncs, "documents": self.documents_due,
            "audit": self.last_audit or datetime.date.min, "review": self.last_review or datetime.date.min,
        }


def overview_units(user, on: datetime.date):
    """The administrative units in force on `on` that `user` may see, district first."""
    known = unit_graph().units  # the request's units: no query
    ids = known if user.is_superuser else unit_ids_for_user(user)
    units = [known[pk] for pk in ids if pk in known and known[pk].kind in OVERVIEW_KINDS and known[pk].is_in_force(on)]
    return sorted(units, key=lambda u: (u.kind != "district", u.kind != "township", u.name))


def district_overview(user, on: datetime.date) -> list[OverviewRow]:
    """One row per unit in force on `on`: readiness items, on-time rate over the 12 months to `on`,
    open and overdue nonconformities, documents due for review within 30 days, last audit and review.
    Every figure of every row comes from the same few queries (`_facts`), whatever the number of units."""
    units = overview_units(user, on)
    if not units:
        return []
    # The same rows until a record changes (qms.core.freshness); a list of its own, as the view sorts it.
    return list(kept("district-overview", (sorted(unit.pk for unit in units), on), lambda: _overview_rows(units, on)))


def _overview_rows(units: list[Unit], on: datetime.date) -> list[OverviewRow]:
    year = Period(twelve_months_before(on) + datetime.timedelta(days=1), on)
    report = bieu06(period=year, units=units, group_by=GroupBy.UNIT, as_of=on)
    on_time = {row["key"]: row["on_time_rate"] for row in report.rows}
    facts = _facts(units, on)
    readiness = readiness_of_units(units, on, facts)
    horizon = on + datetime.timedelta(days=30)
    rows = []
    for unit in units:
        covered = facts.covered[unit.pk]
        open_ncs, _major, overdue_ncs = facts.nc_counts(covered)
        rows.append(OverviewRow(
            unit=unit, readiness=readiness[unit.pk], status=facts.statuses.get(unit.pk),
            on_time_rate=on_time.get(unit.pk) if unit.kind != "district" else report.totals.get("on_time_rate"),
            open_ncs=open_ncs, overdue_ncs=overdue_ncs,
            documents_due=sum(1 for due in facts.next_review[unit.pk].values() if due is not None and due <= horizon),
            last_audit=next((a.done_on for a in facts.audits if a.unit_id in covered), None),
            last_review=next((held_on for _pk, unit_id, held_on in facts.reviews if unit_id in covered), None),
        ))
    return rows


# --- the evidence bundle of an announcement --------------------------------------------------------

def announcement_evidence(unit: Unit, on: datetime.date) -> dict:
    """What backs an announcement on `on`: readiness, documents in force, the audits and review of the
    last 12 months, the objectives' last results, the QMS status so far. Printed after the decision."""
    since = twelve_months_before(on)
    latest = IssuedRevision.objects.filter(document=OuterRef("pk"), effective_date__lte=on).order_by("-number")
    documents = (
        documents_in_force(unit, on).exclude(doc_type=DocumentType.FORM)
        .annotate(issue_number=Subquery(latest.values("number")[:1]), effective=Subquery(latest.values("effective_date")[:1]))
        .order_by("code")
    )
    audits = (
        Audit.objects.filter(unit=unit, status__in=[AuditStatus.REPORTED, AuditStatus.CLOSED])
        .annotate(done_on=Coalesce("actual_end", "actual_start")).filter(done_on__gte=since, done_on__lte=on)
        .prefetch_related("clauses", "findings").order_by("done_on")
    )
    review = ManagementReview.objects.filter(unit=unit, held_on__gte=since, held_on__lte=on).order_by("-held_on").first()
    objectives = []
    for objective in QualityObjective.objects.active().filter(Q(unit=unit) | Q(unit_id__in=_ancestors(unit), scope=ObjectiveScope.EACH)):
        period = last_complete_period(objective.period_kind, on)
        evaluation = objective_evaluate(objective=objective, period=period)
        mine = [m for m in evaluation.measurements if m.unit.pk == unit.pk] or evaluation.measurements
        objectives.append({"objective": objective, "period": period, "measurements": mine})
    return {
        "readiness": unit_readiness(unit, on),
        "documents": documents,
        "audits": [{"audit": a, "clauses": ", ".join(sorted({c.number.split(".")[0] for c in a.clauses.all()}, key=int)),
                    "findings": len(a.findings.all())} for a in audits],
        "review": review,
        "objectives": objectives,
        "statuses": unit.qms_statuses.filter(since__lte=on).order_by("since", "pk"),
    }
