"""Filters of the admin lists: unit (only the user's), status, kind, clause, overdue, year."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from audits.models import (
    Audit,
    AuditProgramme,
    AuditStatus,
    CorrectiveAction,
    Finding,
    FindingKind,
    NcSeverity,
    NcSource,
    NcStatus,
    Nonconformity,
    ProgrammeStatus,
    QuestionBankItem,
)
from qms.core.models import IsoClause, Unit


def _units(request):
    if request is None:
        return Unit.objects.none()
    return Unit.objects.for_user(request.user).exclude(kind="province").order_by("-valid_from", "name")


def _years():
    return [(year, str(year)) for year in range(timezone.localdate().year, 2019, -1)]


def _clauses(request):
    return IsoClause.objects.all()


class ClauseFilter(django_filters.ModelChoiceFilter):
    """A clause and its sub-clauses: "7.5" also finds 7.5.3."""

    def filter(self, qs, value):
        if not value:
            return qs
        lookup = f"{self.field_name}__sort_key"
        return qs.filter(**{lookup: value.sort_key}) | qs.filter(**{f"{lookup}__startswith": f"{value.sort_key}."})


class DescribedFilterSet(WagtailFilterSet):
    def describe(self) -> list[tuple[str, str]]:
        """(label, shown value) of each filter in use, for the heading of an export."""
        described = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", []):
                continue
            field = self.form.fields[name]
            if isinstance(value, bool):
                shown = _("Yes") if value else _("No")
            elif hasattr(value, "pk"):
                shown = value
            else:
                shown = {str(k): v for k, v in getattr(field, "choices", [])}.get(str(value), value)
            described.append((str(field.label), str(shown)))
        return described


class NonconformityFilterSet(DescribedFilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"), method="filter_unit")
    status = django_filters.ChoiceFilter(choices=NcStatus.choices, label=_("Status"))
    open = django_filters.BooleanFilter(label=_("Not closed"), method="filter_open")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    source = django_filters.ChoiceFilter(choices=NcSource.choices, label=_("Source"))
    severity = django_filters.ChoiceFilter(choices=NcSeverity.choices, label=_("Severity"))
    clause = ClauseFilter(queryset=_clauses, field_name="clause", label=_("Clause"))
    year = django_filters.ChoiceFilter(choices=_years, field_name="detected_on__year", label=_("Year detected"))

    class Meta:
        model = Nonconformity
        fields = []

    def filter_unit(self, qs, name, value):
        """The unit's own nonconformities and those it handed over at a merger."""
        return qs.filter(unit=value) | qs.filter(original_unit=value)

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        return qs.open() if value else qs.filter(status=NcStatus.CLOSED)

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        overdue = Nonconformity.objects.overdue().values("pk")
        return qs.filter(pk__in=overdue) if value else qs.exclude(pk__in=overdue)


class AuditFilterSet(DescribedFilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"))
    status = django_filters.ChoiceFilter(choices=AuditStatus.choices, label=_("Status"))
    year = django_filters.ChoiceFilter(choices=_years, field_name="planned_start__year", label=_("Year"))
    late = django_filters.BooleanFilter(label=_("Late (not started by the planned end)"), method="filter_late")

    class Meta:
        model = Audit
        fields = ["programme"]

    def filter_late(self, qs, name, value):
        if value is None:
            return qs
        late = Audit.objects.late(timezone.localdate()).values("pk")
        return qs.filter(pk__in=late) if value else qs.exclude(pk__in=late)


class FindingFilterSet(DescribedFilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units, field_name="audit__unit", label=_("Unit"))
    kind = django_filters.ChoiceFilter(choices=FindingKind.choices, label=_("Kind"))
    clause = ClauseFilter(queryset=_clauses, field_name="clause", label=_("Clause"))
    year = django_filters.ChoiceFilter(choices=_years, field_name="recorded_on__year", label=_("Year"))

    class Meta:
        model = Finding
        fields = []


class CorrectiveActionFilterSet(DescribedFilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units, field_name="nonconformity__unit", label=_("Unit"))
    done = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", exclude=True, label=_("Done"))
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    mine = django_filters.BooleanFilter(label=_("I am responsible"), method="filter_mine")
    year = django_filters.ChoiceFilter(choices=_years, field_name="due_on__year", label=_("Year due"))

    class Meta:
        model = CorrectiveAction
        fields = []

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        overdue = CorrectiveAction.objects.overdue().values("pk")
        return qs.filter(pk__in=overdue) if value else qs.exclude(pk__in=overdue)

    def filter_mine(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(responsible=self.request.user) if value else qs.exclude(responsible=self.request.user)


class ProgrammeFilterSet(DescribedFilterSet):
    year = django_filters.ChoiceFilter(choices=_years, label=_("Year"))
    status = django_filters.ChoiceFilter(choices=ProgrammeStatus.choices, label=_("Status"))

    class Meta:
        model = AuditProgramme
        fields = []


class QuestionFilterSet(DescribedFilterSet):
    clause = ClauseFilter(queryset=_clauses, field_name="clause", label=_("Clause"))

    class Meta:
        model = QuestionBankItem
        fields = ["active"]
