"""
Organisational units: the province → district → commune → office tree, with validity
dates and successor links, because units merge and split (see DOMAIN.md, the 2025
merger of Yên Thế). History stays on the unit that owned it; reports and scoping
follow the succession links to reach it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    TOWNSHIP = "township", _("Township")
    WARD = "ward", _("Ward")
    OFFICE = "office", _("One-stop office")
    DEPARTMENT = "department", _("Department")


#: The administrative level whose TTHC a unit of each kind handles.
LEVEL_OF_KIND = {
    UnitKind.PROVINCE: "province",
    UnitKind.DISTRICT: "district",
    UnitKind.COMMUNE: "commune",
    UnitKind.TOWNSHIP: "commune",
    UnitKind.WARD: "commune",
}


#: The tail of the label of a unit that no longer exists (see Unit.label).
UNIT_ENDED = _("%(code)s, until %(date)s")

_KIND_PREFIXES = ("Thành phố ", "Thị trấn ", "Thị xã ", "Tỉnh ", "Huyện ", "Quận ", "Phường ", "Xã ")


class QmsStatus(models.TextChoices):
    BUILDING = "building", _("Building the QMS")
    APPLYING = "applying", _("Applying the QMS")
    ANNOUNCED = "announced", _("Conformity announced")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class _Graph:
    """The whole unit tree and succession graph, read in two queries (units number in hundreds). `units`
    holds every unit by id, ordered by code: within a request, read it rather than query units again
    (and never change these shared instances)."""

    def __init__(self):
        self.children: dict[int, list[int]] = defaultdict(list)
        self.parent: dict[int, int] = {}
        self.units: dict[int, Unit] = {unit.pk: unit for unit in Unit.objects.all()}
        parent_field = Unit._meta.get_field("parent")
        for pk, unit in self.units.items():
            if unit.parent_id:
                self.children[unit.parent_id].append(pk)
                self.parent[pk] = unit.parent_id
                if unit.parent_id in self.units:  # `unit.parent` costs no query
                    parent_field.set_cached_value(unit, self.units[unit.parent_id])
        self.successions: dict[int, list[tuple[int, datetime.date, bool]]] = defaultdict(list)
        self.predecessors: dict[int, list[int]] = defaultdict(list)
        for pred, succ, on, primary in UnitSuccession.objects.values_list(
            "predecessor_id", "successor_id", "effective_on", "is_primary"
        ):
            self.successions[pred].append((succ, on, primary))
            if primary:  # only a primary succession hands the predecessor's history over
                self.predecessors[succ].append(pred)

    def descendants(self, roots: Iterable[int]) -> set[int]:
        seen: set[int] = set()
        stack = list(roots)
        while stack:
            pk = stack.pop()
            if pk not in seen:
                seen.add(pk)
                stack.extend(self.children.get(pk, ()))
        return seen

    def ancestors(self, pk: int) -> list[int]:
        """The units above `pk` in the tree, nearest first."""
        found = []
        while (pk := self.parent.get(pk)) is not None and pk not in found:
            found.append(pk)
        return found

    def ancestors_by_succession(self, roots: Iterable[int]) -> set[int]:
        """The roots and every unit whose history they carry, however many mergers back."""
        seen: set[int] = set()
        stack = list(roots)
        while stack:
            pk = stack.pop()
            if pk not in seen:
                seen.add(pk)
                stack.extend(self.predecessors.get(pk, ()))
        return seen

    def covered(self, roots: Iterable[int]) -> set[int]:
        """The roots, everything below them, and every unit whose history they carry (with what was below it)."""
        return self.descendants(self.ancestors_by_succession(self.descendants(roots)))

    def successor_as_of(self, pk: int, on: datetime.date) -> int:
        """Follow primary successions that took effect by `on`; a unit not succeeded is its own."""
        seen = {pk}
        while True:
            nxt = next((s for s, eff, primary in self.successions.get(pk, ()) if primary and eff <= on), None)
            if nxt is None or nxt in seen:
                return pk
            seen.add(nxt)
            pk = nxt


#: The unit graph shared by everything one request does (`unit_graph_per_request`); None outside a request.
_request_scope: ContextVar[dict | None] = ContextVar("qms_unit_graph", default=None)


@contextmanager
def unit_graph_per_request() -> Iterator[None]:
    """
    Within the block, `unit_graph()` reads the unit tree once and every caller reuses it: scoping,
    readiness and reports of one page asked for it 15 times. qms.core.middleware.UnitGraphMiddleware
    wraps each request in it. A unit or succession saved meanwhile drops it (`unit_graph_forget`).
    """
    token = _request_scope.set({})
    try:
        yield
    finally:
        _request_scope.reset(token)


def per_request(key: str, compute):
    """`compute()`, once per request for `key` (the unit tree, the pages that own a unit's subtree, a period's
    dossier counts that several panels of a page show); afresh outside a request. Only for facts a page does not
    change while it renders: a save of a unit drops them all."""
    scope = _request_scope.get()
    if scope is None:
        return compute()
    if key not in scope:
        scope[key] = compute()
    return scope[key]


def per_request_peek(key, default=None):
    """What `per_request` kept under `key` in this request, without computing it."""
    return (_request_scope.get() or {}).get(key, default)


def per_request_forget(key) -> None:
    """What `per_request` kept under `key` is read again when next asked for (a receiver of the record's saves)."""
    scope = _request_scope.get()
    if scope:
        scope.pop(key, None)


def unit_graph() -> _Graph:
    """The unit tree and succession graph: read once per request, afresh outside one, and shared by the
    requests that follow while the records are unchanged (qms.core.freshness.shared_fact)."""
    from qms.core.freshness import shared_fact

    return shared_fact("graph", _Graph)


def unit_of_request(pk: int | None):
    """The unit `pk` as the request's unit graph holds it (no query), or None outside a request: for labels
    computed per row (the explorer's document titles), which would otherwise read their unit row by row."""
    scope = _request_scope.get()
    return unit_graph().units.get(pk) if scope is not None and pk else None


def unit_graph_forget(sender, **kwargs) -> None:
    """Receiver of saves and deletes: a unit, a succession or a page owning a unit's subtree changed
    during the request, so what `per_request` kept is read again when next asked for."""
    scope = _request_scope.get()
    if scope and (sender in (Unit, UnitSuccession) or sender.__dict__.get("owning_unit_field")):
        scope.clear()


def unit_ids_for_user(user) -> frozenset[int]:
    """
    Ids of the units `user` may see: their memberships' units, everything below them, and every
    unit those succeeded (with what was below it). Cached on the user object for the request.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_qms_unit_ids", None)
    if cached is not None:
        return cached
    user._qms_unit_ids = frozenset(unit_graph().covered(member_unit_ids(user)))
    return user._qms_unit_ids


def member_unit_ids(user) -> frozenset[int]:
    """Ids of the units of `user`'s memberships themselves (not below them). Cached on the user object for the
    request: scoping and the papers' issuing body both start from them."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_qms_member_unit_ids", None)
    if cached is None:
        from qms.core.freshness import user_fact

        cached = user._qms_member_unit_ids = user_fact(
            user, "member_units", lambda: frozenset(Membership.objects.filter(user=user).values_list("unit_id", flat=True))
        )
    return cached


class UnitScopedQuerySet(models.QuerySet):
    """
    Base for querysets of records owned by a unit. Subclasses name the path to the unit:
    `unit_lookup = "audit__unit"`. `.for_user(user)` is the one way every app scopes what a user sees.
    """

    unit_lookup = "unit"

    def for_user(self, user):
        if getattr(user, "is_superuser", False):
            return self
        return self.filter(**{f"{self.unit_lookup}__in": unit_ids_for_user(user)})


class UnitQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date) -> UnitQuerySet:
        """Units that legally exist on `on` (validity bounds are inclusive)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def descendants_of(self, units: Iterable[Unit | int], *, include_self: bool = True) -> UnitQuerySet:
        roots = {u.pk if isinstance(u, Unit) else u for u in units}
        ids = unit_graph().descendants(roots)
        if not include_self:
            ids -= roots
        return self.filter(pk__in=ids)

    def covered_by(self, units: Iterable[Unit | int]) -> UnitQuerySet:
        """What a membership of `units` covers (see `unit_ids_for_user`): the scope of a unit's own reports,
        reviews and readiness, its predecessors' history included."""
        roots = {u.pk if isinstance(u, Unit) else u for u in units}
        return self.filter(pk__in=unit_graph().covered(roots))

    def for_user(self, user) -> UnitQuerySet:
        """The units `user` may see: see `unit_ids_for_user`."""
        if getattr(user, "is_superuser", False):
            return self
        return self.filter(pk__in=unit_ids_for_user(user))

    def rollup_map(self, on: datetime.date) -> dict[int, int]:
        """unit id → id of the unit that carries its history on `on` (itself if not succeeded)."""
        graph = unit_graph()
        pks = graph.units if not self.query.where else self.values_list("pk", flat=True)  # all: known already
        return {pk: graph.successor_as_of(pk, on) for pk in pks}


class Unit(ClusterableModel):
    """
    A province, district, commune/township/ward, or an office inside one. Admin: Catalogues → Units.
    `code` is what imports use: the GSO code for administrative units, an own code otherwise.
    """

    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_('Official name, e.g. "Xã Đồng Tiến".'))
    code = models.CharField(_("code"), max_length=32, unique=True, help_text=_("The GSO code where there is one."))
    gso_code = models.CharField(_("GSO code"), max_length=16, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True, help_text=_("Empty: since before records."))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day the unit existed."))

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
            models.UniqueConstraint(fields=["gso_code"], condition=~Q(gso_code=""), name="unit_gso_code_unique"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """
        The one name of a unit on screen (pickers, filters, tables, choosers): its name, code and, for a
        unit that no longer exists, its last day, because abolished and new communes share names:
        "Xã Xuân Lương (07249, đến 30/06/2025)" and "Xã Xuân Lương (BN-XUANLUONG)". Printed papers use
        `name` (and `authority_name`), as an official heading must.
        """
        if self.valid_to:
            return f"{self.name} ({UNIT_ENDED % {'code': self.code, 'date': f'{self.valid_to:%d/%m/%Y}'}})"
        return f"{self.name} ({self.code})"

    @property
    def place_name(self) -> str:
        """The name without its kind, for the place-and-date line: "Thị trấn Phồn Xương" → "Phồn Xương"."""
        for prefix in _KIND_PREFIXES:
            if self.name.startswith(prefix):
                return self.name[len(prefix):]
        return self.name

    @property
    def authority_name(self) -> str:
        """The People's Committee that issues the unit's documents: "UBND xã Yên Thế"."""
        if self.kind in LEVEL_OF_KIND:
            return f"UBND {self.name[:1].lower()}{self.name[1:]}"
        return self.name

    @property
    def level(self) -> str | None:
        """'province', 'district' or 'commune': the level of TTHC this unit handles."""
        return LEVEL_OF_KIND.get(self.kind)

    def is_in_force(self, on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or self.valid_to >= on)

    def descendants(self, *, include_self: bool = True) -> UnitQuerySet:
        return Unit.objects.descendants_of([self], include_self=include_self)

    def successor_as_of(self, on: datetime.date) -> Unit:
        """The unit that carries this unit's history on `on`, following merger chains."""
        pk = unit_graph().successor_as_of(self.pk, on)
        return self if pk == self.pk else Unit.objects.get(pk=pk)

    def successors_as_of(self, on: datetime.date) -> UnitQuerySet:
        """Direct successors in effect by `on`, primary or not (a split has several)."""
        return Unit.objects.filter(successions_in__predecessor=self, successions_in__effective_on__lte=on)

    def predecessors(self) -> UnitQuerySet:
        """Every unit whose history this one carries (primary successions), however many mergers back."""
        ids = unit_graph().ancestors_by_succession([self.pk]) - {self.pk}
        return Unit.objects.filter(pk__in=ids)

    def qms_status_on(self, on: datetime.date) -> UnitQmsStatus | None:
        return self.qms_statuses.filter(since__lte=on).order_by("-since", "-pk").first()


class UnitSuccession(models.Model):
    """
    `predecessor` was merged into, split into, or renamed as `successor` on `effective_on`.
    The primary successor (at most one per predecessor) receives the predecessor's history in roll-ups.
    """

    class Kind(models.TextChoices):
        MERGER = "merger", _("Merged into")
        SPLIT = "split", _("Split into")
        RENAME = "rename", _("Renamed to")
        REORGANISATION = "reorganisation", _("Reorganised into")

    predecessor = ParentalKey(Unit, on_delete=models.CASCADE, related_name="successions", verbose_name=_("predecessor"))
    successor = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="successions_in", verbose_name=_("successor")
    )
    effective_on = models.DateField(_("effective on"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MERGER)
    is_primary = models.BooleanField(
        _("carries the history"), default=True, help_text=_("Reports roll this unit's records up to this successor.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["effective_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.UniqueConstraint(
                fields=["predecessor"], condition=Q(is_primary=True), name="succession_one_primary_successor"
            ),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


class UnitQmsStatus(models.Model):
    """One step of a unit's QMS story (building, applying, announced, withdrawn), from `since` on."""

    unit = ParentalKey(Unit, on_delete=models.CASCADE, related_name="qms_statuses", verbose_name=_("unit"))
    status = models.CharField(_("QMS status"), max_length=16, choices=QmsStatus.choices)
    since = models.DateField(_("since"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("QMS status")
        verbose_name_plural = _("QMS statuses")
        ordering = ["unit", "since", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="announced") | ~Q(decision_number=""),
                name="qms_status_announced_needs_decision",
                violation_error_message=_("An announcement needs its decision number."),
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.since:%d/%m/%Y})"


class Membership(models.Model):
    """
    Ties a user to a unit they work in. A membership covers the unit's descendants and the
    units it succeeded, so a merged commune's staff keep their predecessors' records.
    The user's role comes from their groups (see `qms.core.roles`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    position = models.CharField(_("position"), max_length=200, blank=True, help_text=_('e.g. "Phó Chủ tịch UBND".'))

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__code", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} – {self.unit}"


def people_in_scope(user):
    """The people `user` may name on a record (an owner, a person trained, a reviewer): active members of
    the units in `user`'s scope; everyone for a superuser. Another commune's staff are not offered."""
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.filter(is_active=True)
    if not user.is_superuser:
        people = people.filter(pk__in=Membership.objects.for_user(user).values("user_id"))
    return people.order_by("last_name", "first_name", "username")
