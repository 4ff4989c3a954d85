"""State changes of the context and risk registers: one function each, called alike from the admin,
the demo and the tests (STYLE.md, habit 3). Every save runs `full_clean()` first."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.core.models import Unit
from qms.core.models.units import unit_graph
from qms.core.roles import DISTRICT_LEVEL_KINDS

from .models import ContextIssue, ContextReview, InterestedParty, Risk, RiskAction, RiskStatus

MSG_NO_TEMPLATE = _("The district above this unit has published no template of context issues and interested parties.")
MSG_NOTHING_NEW = _("Every record of the district's template is already in this unit's register.")
MSG_TEMPLATE_COPIED = _("%(issues)s issues and %(parties)s interested parties copied from the district's template: adapt them to the unit.")
MSG_NOT_DONE = _("The effectiveness of an action is reviewed once it is done.")
MSG_ALREADY_DONE = _("This action is already recorded as done.")
MSG_NOT_OWNER = _("Only the action's owner, a quality officer or a leader records that it is done.")


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def context_issue_save(*, issue: ContextIssue) -> ContextIssue:
    issue.updated_on = timezone.localdate()
    return _save(issue)


def interested_party_save(*, party: InterestedParty) -> InterestedParty:
    party.updated_on = timezone.localdate()
    return _save(party)


def context_review_record(*, unit: Unit, by, on: datetime.date, note: str = "") -> ContextReview:
    return _save(ContextReview(unit=unit, reviewed_by=by, reviewed_on=on, note=note))


def template_units(unit: Unit) -> list[int]:
    """The district- or province-level units whose templates `unit` copies: those above it and those it
    succeeded (a commune formed on 1/7/2025 took over the abolished district's work), nearest first."""
    graph = unit_graph()
    found: list[int] = list(graph.ancestors(unit.pk))
    for pred, successions in graph.successions.items():
        if any(succ == unit.pk for succ, _on, _primary in successions):
            found += [pred, *graph.ancestors(pred)]
    seen: list[int] = []
    for pk in found:
        if pk not in seen and graph.units[pk].kind in DISTRICT_LEVEL_KINDS:
            seen.append(pk)
    return seen


@transaction.atomic
def context_template_copy(*, unit: Unit, by) -> tuple[int, int]:
    """
    Copy the district's template ("Sao chép mẫu của huyện") into `unit`'s register: every current issue
    and party flagged as template of the units of `template_units`, except those already copied. The
    copies are the unit's own records, to adapt. Returns (issues, parties) copied; raises ValidationError
    when there is no template or nothing new in it.
    """
    sources = template_units(unit)
    issues = ContextIssue.objects.current().filter(unit_id__in=sources, is_template=True).order_by("pk")
    parties = InterestedParty.objects.current().filter(unit_id__in=sources, is_template=True).order_by("pk")
    if not issues.exists() and not parties.exists():
        raise ValidationError(MSG_NO_TEMPLATE)
    had_issues = set(ContextIssue.objects.filter(unit=unit).values_list("copied_from", flat=True))
    had_parties = set(InterestedParty.objects.filter(unit=unit).values_list("copied_from", flat=True))
    copied_issues = copied_parties = 0
    for issue in issues:
        if issue.pk in had_issues:
            continue
        context_issue_save(issue=ContextIssue(
            unit=unit, direction=issue.direction, category=issue.category, description=issue.description,
            effect=issue.effect, copied_from=issue,
        ))
        copied_issues += 1
    for party in parties:
        if party.pk in had_parties:
            continue
        interested_party_save(party=InterestedParty(
            unit=unit, kind=party.kind, name=party.name, needs=party.needs, monitoring=party.monitoring, copied_from=party,
        ))
        copied_parties += 1
    if not copied_issues and not copied_parties:
        raise ValidationError(MSG_NOTHING_NEW)
    return copied_issues, copied_parties


def risk_save(*, risk: Risk) -> Risk:
    return _save(risk)


def risk_close(*, risk: Risk, on: datetime.date) -> Risk:
    """A risk that no longer applies is closed, never deleted (its assessment is history)."""
    risk.status, risk.closed_on = RiskStatus.CLOSED, on
    return _save(risk)


def risk_action_save(*, action: RiskAction) -> RiskAction:
    return _save(action)


def can_complete(user, action: RiskAction) -> bool:
    return action.done_on is None and (action.owner_id == user.pk or user.has_perm("risks.change_riskaction"))


def risk_action_complete(*, action: RiskAction, by, done_on: datetime.date, result: str) -> RiskAction:
    """The owner (or an officer) records that the action is done and what was done."""
    if action.done_on is not None:
        raise ValidationError(MSG_ALREADY_DONE)
    if not can_complete(by, action):
        raise PermissionDenied(MSG_NOT_OWNER)
    action.done_on, action.result = done_on, result
    return _save(action)


def risk_action_review(*, action: RiskAction, by, effective: bool, note: str, on: datetime.date) -> RiskAction:
    """The effectiveness review of a done action (quality officers and leaders)."""
    if action.done_on is None:
        raise ValidationError(MSG_NOT_DONE)
    action.effective, action.effectiveness_note, action.reviewed_on, action.reviewed_by = effective, note, on, by
    return _save(action)
