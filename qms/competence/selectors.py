"""
Reads across models: the competence status of people on a day (the matrix, readiness, the audit team
check). A requirement is met, expiring (valid, but for at most QMS_COMPETENCE_EXPIRING_DAYS more days)
or missing; "to the day": a record valid until 31/12 is expiring on 31/12 and missing on 1/1.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from procedures_docs.models import Acknowledgement, ControlledDocumentPage, DocumentType, IssuedRevision
from qms.competence.models import (
    INTERNAL_AUDITOR,
    ISO_AWARENESS,
    CompetenceRequirement,
    RequirementKind,
    TrainingRecord,
)
from qms.core.models import Membership, Unit, UnitKind
from qms.core.models.units import unit_graph
from qms.core.roles import Role

MET, EXPIRING, MISSING = "met", "expiring", "missing"
STATUS_LABELS = {MET: _("Met"), EXPIRING: _("Expiring"), MISSING: _("Missing")}


def expiring_days() -> int:
    return getattr(settings, "QMS_COMPETENCE_EXPIRING_DAYS", 60)


@dataclass
class Cell:
    status: str
    #: Last valid day of the best record (None: never expires, or nothing valid).
    expires_on: datetime.date | None = None
    #: For the procedures requirement: procedures in force and how many the person acknowledged.
    read: int = 0
    total: int = 0

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def valid(self) -> bool:
        return self.status in (MET, EXPIRING)


@dataclass
class MatrixRow:
    person: object
    position: str
    roles: list[str]
    #: requirement id → Cell; a requirement that does not apply to the person has no entry.
    cells: dict[int, Cell] = field(default_factory=dict)

    def cell(self, requirement) -> Cell | None:
        return self.cells.get(requirement.pk)


@dataclass
class UnitMatrix:
    unit: Unit
    on: datetime.date
    requirements: list[CompetenceRequirement]
    rows: list[MatrixRow]

    def cells_of(self, row: MatrixRow) -> list[Cell | None]:
        return [row.cells.get(r.pk) for r in self.requirements]


def staff_units(unit_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each unit with its offices and departments (whose members are its staff, not its communes')."""
    graph = unit_graph()
    found = {}
    for pk in unit_ids:
        ids, frontier = {pk}, [pk]
        while frontier:
            frontier = [
                child for parent in frontier for child in graph.children.get(parent, ())
                if graph.units[child].kind in (UnitKind.OFFICE, UnitKind.DEPARTMENT)
            ]
            ids.update(frontier)
        found[pk] = ids
    return found


def _training_status(valid: list[datetime.date | None], on: datetime.date) -> Cell:
    """The best of the valid records' expiry dates (None: no expiry)."""
    if not valid:
        return Cell(MISSING)
    if None in valid:
        return Cell(MET)
    best = max(valid)
    status = EXPIRING if (best - on).days <= expiring_days() else MET
    return Cell(status, expires_on=best)


def training_expiries(person_ids: Iterable[int], requirement_ids: Iterable[int], on: datetime.date) -> dict:
    """(person id, requirement id) → expiry dates of the records valid on `on` (None: no expiry)."""
    found = defaultdict(list)
    rows = (
        TrainingRecord.objects.valid_on(on)
        .filter(person_id__in=list(person_ids), requirements__in=list(requirement_ids))
        .values_list("person_id", "requirements", "expires_on")
    )
    for person, requirement, expires in rows:
        found[(person, requirement)].append(expires)
    return found


def procedures_read(people_units: dict[int, set[int]], on: datetime.date) -> dict[int, tuple[int, int]]:
    """
    person id → (procedures acknowledged, procedures in force) over the units they work in: a procedure
    in force applies to or is owned by the unit, has an issue effective by `on` and is not obsolete then;
    the person must have acknowledged its current issue (the latest effective by `on`).
    """
    all_units = set().union(*people_units.values()) if people_units else set()
    docs = (
        ControlledDocumentPage.objects.filter(doc_type=DocumentType.PROCEDURE)
        .filter(Q(owner_unit__in=all_units) | Q(applies_to__in=all_units))
        .filter(issues__effective_date__lte=on).exclude(withdrawal__withdrawn_on__lte=on)
    )
    docs_of_unit: dict[int, set[int]] = defaultdict(set)
    for pk, owner, applies in docs.values_list("pk", "owner_unit_id", "applies_to").distinct():
        for unit in (owner, applies):
            if unit in all_units:
                docs_of_unit[unit].add(pk)
    doc_ids = set().union(*docs_of_unit.values()) if docs_of_unit else set()
    current: dict[int, int] = {}
    for issue, doc in (
        IssuedRevision.objects.filter(document_id__in=doc_ids, effective_date__lte=on).order_by("document_id", "number")
        .values_list("pk", "document_id")
    ):
        current[doc] = issue  # the last one wins: the latest number
    read = defaultdict(set)
    for user, doc in Acknowledgement.objects.filter(
        issue_id__in=current.values(), user_id__in=list(people_units), acknowledged_at__date__lte=on
    ).values_list("user_id", "issue__document_id"):
        read[user].add(doc)
    result = {}
    for person, units in people_units.items():
        mine = set().union(*(docs_of_unit.get(u, set()) for u in units))
        result[person] = (len(mine & read[person]), len(mine))
    return result


def _people(unit_ids: Iterable[int], *, groups: bool = True) -> dict[int, list[Membership]]:
    """Unit → memberships of its staff (its own and its offices'), active people, administrators left out.
    Each says whether its person is a one-stop officer (`is_one_stop`) or an internal auditor (`is_auditor`);
    `groups`: with every group of the person fetched too (the matrix's roles), one query more."""
    staff = staff_units(unit_ids)
    all_units = set().union(*staff.values()) if staff else set()
    in_group = get_user_model().groups.through.objects.filter(user_id=OuterRef("user_id"))
    memberships = (
        Membership.objects.filter(unit_id__in=all_units, user__is_active=True, user__is_superuser=False)
        .select_related("user")
        .annotate(is_one_stop=Exists(in_group.filter(group__name=Role.UNIT_STAFF.value)),
                  is_auditor=Exists(in_group.filter(group__name=Role.AUDITOR.value)))
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    memberships = list(memberships.prefetch_related("user__groups") if groups else memberships)
    found: dict[int, list[Membership]] = {pk: [] for pk in staff}
    for pk, ids in staff.items():
        seen = set()
        for membership in memberships:
            if membership.unit_id in ids and membership.user_id not in seen:
                seen.add(membership.user_id)
                found[pk].append(membership)
    return found


def _statuses(memberships: list[Membership], requirements: list[CompetenceRequirement], on: datetime.date,
              units_of: dict[int, set[int]]) -> dict[int, dict[int, Cell]]:
    """person id → requirement id → Cell, for the requirements of each person's roles."""
    persons = {m.user_id: m.user for m in memberships}
    training = [r for r in requirements if r.kind == RequirementKind.TRAINING]
    expiries = training_expiries(persons, [r.pk for r in training], on)
    needs_reading = any(r.kind == RequirementKind.PROCEDURES for r in requirements)
    reading = procedures_read({p: units_of[p] for p in persons}, on) if needs_reading else {}
    cells: dict[int, dict[int, Cell]] = {}
    for pk, user in persons.items():
        groups = {g.pk for g in user.groups.all()}
        mine = cells[pk] = {}
        for requirement in requirements:
            if not groups & {g.pk for g in requirement.roles.all()}:
                continue
            if requirement.kind == RequirementKind.TRAINING:
                mine[requirement.pk] = _training_status(expiries.get((pk, requirement.pk), []), on)
            else:
                done, total = reading.get(pk, (0, 0))
                mine[requirement.pk] = Cell(MET if done == total else MISSING, read=done, total=total)
    return cells


def _role_labels(user) -> list[str]:
    """The user's roles (not the per-unit document access groups they also belong to)."""
    names = {g.name for g in user.groups.all()}
    return [str(role.label) for role in Role if role.value in names]


def competence_matrices(unit_ids: Iterable[int], on: datetime.date) -> dict[int, UnitMatrix]:
    """The competence matrix of each unit: its staff × the requirements of their roles, on `on`."""
    unit_ids = list(unit_ids)
    people = _people(unit_ids)
    requirements = list(CompetenceRequirement.objects.prefetch_related("roles").order_by("name"))
    memberships = [m for ms in people.values() for m in ms]
    units_of: dict[int, set[int]] = defaultdict(set)
    for m in Membership.objects.filter(user_id__in={m.user_id for m in memberships}).values_list("user_id", "unit_id"):
        units_of[m[0]].add(m[1])
    cells = _statuses(memberships, requirements, on, units_of)
    units = unit_graph().units
    matrices = {}
    for pk in unit_ids:
        rows = [
            MatrixRow(person=m.user, position=m.position, roles=_role_labels(m.user),
                      cells=cells[m.user_id])
            for m in people[pk]
        ]
        used = [r for r in requirements if any(r.pk in row.cells for row in rows)]
        matrices[pk] = UnitMatrix(unit=units[pk], on=on, requirements=used, rows=rows)
    return matrices


def competence_matrix(unit: Unit, on: datetime.date) -> UnitMatrix:
    return competence_matrices([unit.pk], on)[unit.pk]


@dataclass
class ReadinessFacts:
    """One unit's one-stop staff and internal auditors and whether each is trained / certified on the day."""

    staff: list[tuple[object, bool]] = field(default_factory=list)
    auditors: list[tuple[object, bool]] = field(default_factory=list)

    @property
    def missing(self) -> list:
        return [user for user, ok in (*self.staff, *self.auditors) if not ok]


def readiness_facts(unit_ids: Iterable[int], on: datetime.date) -> dict[int, ReadinessFacts]:
    """
    For each unit: its one-stop officers with whether their ISO awareness training is valid on `on`, and
    its internal auditors with whether their internal-auditor certificate is. A fixed number of queries
    for any number of units (the district overview).
    """
    unit_ids = list(unit_ids)
    people = _people(unit_ids, groups=False)
    persons = {m.user_id for ms in people.values() for m in ms}
    expiries = defaultdict(list)  # (person, requirement code) → expiries of the records valid on `on`
    for person, code, expires in (
        TrainingRecord.objects.valid_on(on)
        .filter(person_id__in=persons, requirements__code__in=[ISO_AWARENESS, INTERNAL_AUDITOR])
        .values_list("person_id", "requirements__code", "expires_on")
    ):
        expiries[(person, code)].append(expires)

    def ok(person_id, code):
        return _training_status(expiries.get((person_id, code), []), on).valid

    facts = {}
    for pk in unit_ids:
        fact = facts[pk] = ReadinessFacts()
        for m in people[pk]:
            if m.is_one_stop:
                fact.staff.append((m.user, ok(m.user_id, ISO_AWARENESS)))
            if m.is_auditor:
                fact.auditors.append((m.user, ok(m.user_id, INTERNAL_AUDITOR)))
    return facts


def certified_auditor_ids(user_ids: Iterable[int], on: datetime.date) -> set[int]:
    """Of `user_ids`, those holding an internal-auditor certificate valid on `on`."""
    return set(
        TrainingRecord.objects.valid_on(on)
        .filter(person_id__in=list(user_ids), requirements__code=INTERNAL_AUDITOR)
        .values_list("person_id", flat=True)
    )


