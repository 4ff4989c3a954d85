"""Reads across the context and risk registers: the heat map, readiness facts and review inputs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import (
    ContextIssue,
    ContextReview,
    InterestedParty,
    Risk,
    RiskAction,
    RiskKind,
    RiskLevel,
    RiskStatus,
    risk_level,
    risk_scale,
    risk_thresholds,
)

# --- heat map ---------------------------------------------------------------------------------------


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    count: int
    level: RiskLevel

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


def heat_map(risks) -> list[list[HeatCell]]:
    """The likelihood × impact grid of `risks` (open ones count), highest likelihood first: rows are
    likelihoods, columns impacts from 1 up, each cell with its count and the level of its score."""
    counts = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in risks.filter(status=RiskStatus.OPEN).values("likelihood", "impact").annotate(n=Count("pk"))
    }
    scale = risk_scale()
    return [
        [HeatCell(likelihood, impact, counts.get((likelihood, impact), 0), risk_level(likelihood * impact))
         for impact in range(1, scale + 1)]
        for likelihood in range(scale, 0, -1)
    ]


# --- readiness --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskFacts:
    """What readiness reads about one unit's registers on a day."""

    last_context_review: datetime.date | None
    last_assessment: datetime.date | None
    high_untreated: int
    open_risks: int


def readiness_facts(unit_ids, on: datetime.date) -> dict[int, RiskFacts]:
    """For each of `unit_ids`, as recorded by `on`: its last context review, its last risk assessment, its
    open records and its open high risks without a treatment action. One query whatever the number of
    units (the district overview has a query budget: docs/operations.md)."""
    from qms.core.models import Unit

    high = risk_thresholds()[1]
    assessed = Risk.objects.filter(unit=OuterRef("pk"), assessed_on__lte=on)
    open_on = assessed.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    untreated = (
        open_on.filter(kind=RiskKind.RISK).annotate(score=F("likelihood") * F("impact")).filter(score__gte=high)
        .filter(~Exists(RiskAction.objects.filter(risk=OuterRef("pk"))))
    )
    reviewed = ContextReview.objects.filter(unit=OuterRef("pk"), reviewed_on__lte=on).order_by("-reviewed_on")

    def count(queryset):
        return Coalesce(Subquery(queryset.order_by().values("unit").annotate(n=Count("pk")).values("n")[:1]), 0)

    rows = Unit.objects.filter(pk__in=list(unit_ids)).annotate(
        last_review=Subquery(reviewed.values("reviewed_on")[:1]),
        last_assessment=Subquery(assessed.order_by("-assessed_on").values("assessed_on")[:1]),
        open_risks=count(open_on), high_untreated=count(untreated),
    ).values_list("pk", "last_review", "last_assessment", "open_risks", "high_untreated")
    found = {
        pk: RiskFacts(last_context_review=review, last_assessment=last, high_untreated=bare, open_risks=opened)
        for pk, review, last, opened, bare in rows
    }
    return {pk: found.get(pk, RiskFacts(None, None, 0, 0)) for pk in unit_ids}


# --- management review inputs ----------------------------------------------------------------------


def context_changes(unit_ids, date_from: datetime.date, date_to: datetime.date) -> list[tuple[datetime.date, str, str, str]]:
    """(day, register, change, text) for each issue or party added, changed or marked obsolete in the
    period, from their history (9.3.2 b)."""
    rows = []
    for model, register in ((ContextIssue, "issue"), (InterestedParty, "party")):
        history = model.history.filter(
            unit_id__in=unit_ids, history_date__date__gte=date_from, history_date__date__lte=date_to
        ).order_by("history_date")
        last_kind: dict[int, str] = {}
        for record in history:
            if record.history_type == "+":
                change = "added"
            elif record.history_type == "~":
                change = "obsolete" if record.obsolete else "changed"
            else:
                continue
            # One line per record and kind of change (ten edits of one issue are one "changed").
            if last_kind.get(record.id) == change:
                continue
            last_kind[record.id] = change
            text = record.description if register == "issue" else f"{record.name}: {record.needs}"
            rows.append((record.history_date.date(), register, change, text))
    return sorted(rows, key=lambda row: row[0])


@dataclass
class RiskActionsSummary:
    done: list  # actions done in the period, with their effectiveness
    open_high: list  # open high risks at the end of the period
    effective: int
    not_effective: int
    not_reviewed: int
    overdue: int


def risk_actions_summary(unit_ids, date_from: datetime.date, date_to: datetime.date) -> RiskActionsSummary:
    """9.3.2 e): the actions on risks and opportunities done in the period and whether they worked, the
    actions overdue at its end, and the high risks still open then."""
    done = list(
        RiskAction.objects.filter(risk__unit_id__in=unit_ids, done_on__range=(date_from, date_to))
        .select_related("risk", "owner").order_by("done_on", "pk")
    )
    overdue = RiskAction.objects.filter(risk__unit_id__in=unit_ids, due_on__lt=date_to).filter(
        Q(done_on__isnull=True) | Q(done_on__gt=date_to)).count()
    open_high = [
        risk for risk in Risk.objects.filter(unit_id__in=unit_ids, assessed_on__lte=date_to, kind=RiskKind.RISK)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=date_to)).select_related("unit").prefetch_related("actions")
        if risk.level == RiskLevel.HIGH
    ]
    return RiskActionsSummary(
        done=done, open_high=open_high,
        effective=sum(1 for a in done if a.effective is True and a.reviewed_on <= date_to),
        not_effective=sum(1 for a in done if a.effective is False and a.reviewed_on <= date_to),
        not_reviewed=sum(1 for a in done if a.effective is None or a.reviewed_on > date_to),
        overdue=overdue,
    )
