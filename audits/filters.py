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


#: Yes/no filters as choices, so the active-filter pill reads "Quá hạn: Có", not "True".
YES_NO = [("true", _("Yes")), ("false", _("No"))]


def yes_no(label, method):
    return django_filters.ChoiceFilter(choices=YES_NO, label=label, method=method)


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
            if hasattr(value, "pk"):
                shown = value
            else:
                shown = {str(k): v for k, v in getattr(field, "choices", [])}.get(str(value), value)
            described.append((str(field.label), str(shown)))
        return described


class NonconformityFilterSet(DescribedFilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"), method="filter_unit")
    status = django_filters.ChoiceFilter(choices=NcStatus.choices, label=_("Status"))
    open = yes_no(_("Not closed"), "filter_open")
    overdue = yes_no(_("Overdue"), "filter_overdue")
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
        return qs.open() if value == "true" else qs.filter(status=NcStatus.CLOSED)

    def filter_overdue(self, qs, name, value):
        overdue = Nonconformity.objects.overdue().values("pk")
        return qs.filter(pk__in=overdue) if value == "true" else qs.exclude(pk__in=overdue)


class AuditFilterSet(DescribedFilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"))
    status = django_filters.ChoiceFilter(choices=AuditStatus.choices, label=_("Status"))
    year = django_filters.ChoiceFilter(choices=_years, field_name="planned_start__year", label=_("Year"))
    late = yes_no(_("Late (not started by the planned end)"), "filter_late")

    class Meta:
        model = Audit
        fields = ["programme"]

    def filter_late(self, qs, name, value):
        late = Audit.objects.late(timezone.localdate()).values("pk")
        return qs.filter(pk__in=late) if value == "true" else qs.exclude(pk__in=late)


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
    done = yes_no(_("Done"), "filter_done")
    overdue = yes_no(_("Overdue"), "filter_overdue")
    mine = yes_no(_("I am responsible"), "filter_mine")
    year = django_filters.ChoiceFilter(choices=_years, field_name="due_on__year", label=_("Year due"))

    class Meta:
        model = CorrectiveAction
        fields = []

    def filter_done(self, qs, name, value):
        return qs.filter(done_on__isnull=value != "true")

    def filter_overdue(self, qs, name, value):
        overdue = CorrectiveAction.objects.overdue().values("pk")
        return qs.filter(pk__in=overdue) if value == "true" else qs.exclude(pk__in=overdue)

    def filter_mine(self, qs, name, value):
        mine = qs.filter(responsible=self.request.user)
        return mine if value == "true" else qs.exclude(pk__in=mine.values("pk"))


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
