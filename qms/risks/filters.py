"""Filters of the risk lists: unit (only the user's), kind, level, status, and the flag of high risks
without a treatment action."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from audits.filters import YES_NO, _units
from qms.risks.models import (
    ContextIssue,
    InterestedParty,
    IssueCategory,
    IssueDirection,
    PartyKind,
    Risk,
    RiskAction,
    RiskKind,
    RiskLevel,
    RiskSource,
    RiskStatus,
    Treatment,
)


class RiskFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"))
    kind = django_filters.ChoiceFilter(choices=RiskKind.choices, label=_("Risk or opportunity"))
    level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("Level"), method="filter_level")
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, label=_("Status"))
    source = django_filters.ChoiceFilter(choices=RiskSource.choices, label=_("Source"))
    treatment = django_filters.ChoiceFilter(choices=Treatment.choices, label=_("Treatment"))
    flagged = django_filters.ChoiceFilter(choices=YES_NO, label=_("High risk without action"), method="filter_flagged")

    class Meta:
        model = Risk
        fields = ["unit", "kind", "level", "status", "source", "treatment", "flagged"]

    def filter_level(self, queryset, name, value):
        return queryset.of_level(value) if value else queryset

    def filter_flagged(self, queryset, name, value):
        flagged = queryset.high_without_action().values("pk")
        if value == "true":
            return queryset.filter(pk__in=flagged)
        return queryset.exclude(pk__in=flagged) if value == "false" else queryset


class RiskActionFilterSet(WagtailFilterSet):
    risk__unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"))
    done = django_filters.ChoiceFilter(choices=YES_NO, label=_("Done"), method="filter_done")
    effective = django_filters.ChoiceFilter(choices=YES_NO, label=_("Effective"), method="filter_effective")

    class Meta:
        model = RiskAction
        fields = ["risk__unit", "done", "effective"]

    def filter_done(self, queryset, name, value):
        return queryset.filter(done_on__isnull=value != "true") if value else queryset

    def filter_effective(self, queryset, name, value):
        return queryset.filter(effective=value == "true") if value else queryset


class ContextIssueFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"))
    direction = django_filters.ChoiceFilter(choices=IssueDirection.choices, label=_("Internal or external"))
    category = django_filters.ChoiceFilter(choices=IssueCategory.choices, label=_("Category"))
    obsolete = django_filters.ChoiceFilter(choices=YES_NO, label=_("No longer relevant"), method="filter_obsolete")

    class Meta:
        model = ContextIssue
        fields = ["unit", "direction", "category", "obsolete"]

    def filter_obsolete(self, queryset, name, value):
        return queryset.filter(obsolete=value == "true") if value else queryset


class InterestedPartyFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"))
    kind = django_filters.ChoiceFilter(choices=PartyKind.choices, label=_("Kind of party"))
    obsolete = django_filters.ChoiceFilter(choices=YES_NO, label=_("No longer relevant"), method="filter_obsolete")

    class Meta:
        model = InterestedParty
        fields = ["unit", "kind", "obsolete"]

    def filter_obsolete(self, queryset, name, value):
        return queryset.filter(obsolete=value == "true") if value else queryset
