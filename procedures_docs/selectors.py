"""
Reads across documents, issues, withdrawals and users (STYLE.md: selectors): who may read what,
the master list, the review schedule, what each user still has to read, the acknowledgement matrix.

Who reads what:
- superusers: everything;
- quality officers, leaders, auditors: every document owned by or applying to a unit in their scope
  (`unit_ids_for_user`), with its past issues, and obsolete ones too;
- unit staff: the issue in force of the documents that apply to their units (and those documents'
  forms); never drafts, past issues or obsolete documents;
- the team of an audit not closed yet (whatever their role and units): the documents in force owned by
  or applying to the audited unit, with their forms and past issues (`audited_documents`).
Drafts are never on the site; they are read in the admin by those who may edit or approve them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import DateField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Least, Length, Substr
from django.utils import timezone
from wagtail.models import Page

from procedures_docs.models import (
    Acknowledgement,
    ControlledDocumentPage,
    DocumentType,
    DocumentWithdrawal,
    IssuedRevision,
    ReviewDemand,
)
from qms.core.models import Membership, Unit
from qms.core.models.units import unit_ids_for_user
from qms.core.roles import Role, audited_unit_ids, has_role
from qms.core.text import search_terms

MANAGER_ROLES = (Role.QUALITY_OFFICER, Role.LEADER, Role.AUDITOR)


def reads_history(user) -> bool:
    """May read past issues and obsolete documents (in their scope)."""
    return getattr(user, "is_active", False) and has_role(user, *MANAGER_ROLES)


def _with_forms(documents, candidates):
    """`documents` (no forms) plus the forms among `candidates` whose procedure is one of them."""
    paths = list(documents.values_list("path", flat=True))
    forms = candidates.filter(doc_type=DocumentType.FORM).annotate(
        parent_path=Substr("path", 1, Length("path") - Page.steplen)
    ).filter(parent_path__in=paths)
    return ControlledDocumentPage.objects.filter(Q(pk__in=documents.values("pk")) | Q(pk__in=forms.values("pk")))


def readable_documents(user):
    """The live documents `user` may read on the site (see the module docstring)."""
    live = ControlledDocumentPage.objects.live()
    if not getattr(user, "is_active", False) or not user.is_authenticated:
        return live.none()
    if user.is_superuser:
        return live
    own = _own_readable(user, live)
    audited = audited_documents(user)
    if audited is None:
        return own
    return live.filter(Q(pk__in=own.values("pk")) | Q(pk__in=audited.values("pk")))


def _own_readable(user, live):
    """What the user's role and memberships let them read (`live`: the live documents)."""
    units = unit_ids_for_user(user)
    if reads_history(user):
        documents = live.exclude(doc_type=DocumentType.FORM).filter(Q(owner_unit__in=units) | Q(applies_to__in=units))
        return _with_forms(documents.distinct(), live)
    if has_role(user, Role.UNIT_STAFF):
        in_force = live.filter(withdrawal__isnull=True)
        documents = in_force.exclude(doc_type=DocumentType.FORM).filter(applies_to__in=units)
        return _with_forms(documents.distinct(), in_force)
    return live.none()


def audited_documents(user):
    """
    The documents in force (not withdrawn) owned by or applying to a unit that `user` audits now
    (`qms.core.roles.audited_unit_ids`: on the team of an audit not closed yet), with their forms;
    None when the user audits nobody. The team reads them and their past issues, nothing more: no
    drafts, no obsolete documents, no registers.
    """
    units = audited_unit_ids(user)
    if not units:
        return None
    in_force = ControlledDocumentPage.objects.live().filter(withdrawal__isnull=True)
    documents = in_force.exclude(doc_type=DocumentType.FORM).filter(Q(owner_unit__in=units) | Q(applies_to__in=units))
    return _with_forms(documents.distinct(), in_force)


def can_read(user, page: ControlledDocumentPage, *, number: int | None = None) -> bool:
    """May `user` read `page` on the site: its issue in force, or issue `number` (history readers and
    the team of an open audit of its unit only)."""
    if not page.live or not readable_documents(user).filter(pk=page.pk).exists():
        return False
    current = page.current_issue
    if number is not None and (current is None or number != current.number):
        if user.is_superuser or reads_history(user):
            return True
        audited = audited_documents(user)
        return audited is not None and audited.filter(pk=page.pk).exists()
    return True


def documents_attaching(file_document):
    """The controlled documents that attach `file_document` (a Wagtail document) as an original,
    from Wagtail's reference index (a never-published draft's content is in its page row, so it counts)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    ids = ReferenceIndex.get_references_to(file_document).filter(
        content_type=ContentType.objects.get_for_model(ControlledDocumentPage)
    ).values_list("object_id", flat=True)
    return ControlledDocumentPage.objects.filter(pk__in=[int(pk) for pk in ids])


def may_download(user, file_document) -> bool:
    """
    May `user` download `file_document` through Wagtail's /documents/ URL: the original of a
    controlled document goes to whoever may read that document (its issue on the site, or its draft
    in the admin); any other document to those who see it in the admin's documents (collection
    permissions). Evidence is refused by `audits` whatever this says.
    """
    from wagtail.permissions import policy_registry

    if not (getattr(user, "is_active", False) and user.is_authenticated):
        return False
    attaching = documents_attaching(file_document)
    if attaching.exists():
        return (
            readable_documents(user).filter(pk__in=attaching.values("pk")).exists()
            or managed_documents(user).filter(pk__in=attaching.values("pk")).exists()
        )
    policy = policy_registry.get_by_type(type(file_document))
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], file_document)


def can_manage(user, page: ControlledDocumentPage) -> bool:
    """May see the register and acknowledgement matrix of `page` (QO, leaders, auditors of its unit)."""
    if not getattr(user, "is_active", False):
        return False
    return user.is_superuser or (reads_history(user) and page.owner_unit_id in unit_ids_for_user(user))


def managed_documents(user):
    """All documents (drafts too) whose registers `user` may see."""
    qs = ControlledDocumentPage.objects.all()
    if getattr(user, "is_superuser", False):
        return qs
    if not reads_history(user):
        return qs.none()
    return qs.filter(owner_unit__in=unit_ids_for_user(user))


# --- in force, review schedule -------------------------------------------------------------------

def documents_in_force():
    """Issued, live and not withdrawn: what the master list lists."""
    return ControlledDocumentPage.objects.live().filter(withdrawal__isnull=True, issues__isnull=False).distinct()


def with_review_due(queryset):
    """
    Annotate `review_due_on`: the periodic date of the issue in force (effective date + interval),
    or an earlier open review demand (a legal-basis change). Also `effective_date`, `issue_number`.
    """
    latest = IssuedRevision.objects.filter(document=OuterRef("pk")).order_by("-number")
    demand = ReviewDemand.objects.filter(document=OuterRef("pk"), met_by__isnull=True).order_by("due_on")
    periodic = Subquery(latest.values("next_review_on")[:1], output_field=DateField())
    return queryset.annotate(
        issue_number=Subquery(latest.values("number")[:1]),
        effective_date=Subquery(latest.values("effective_date")[:1], output_field=DateField()),
        approved_by_name=Subquery(latest.values("approved_by_name")[:1]),
        periodic_review_on=periodic,
        demand_due_on=Subquery(demand.values("due_on")[:1], output_field=DateField()),
    ).annotate(
        review_due_on=Least(Coalesce(F("demand_due_on"), F("periodic_review_on")), F("periodic_review_on")),
    )


def review_due(user, *, today: datetime.date | None = None, within_days: int = 30):
    """Documents in force in `user`'s scope whose review is overdue or due within `within_days`."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    scope = managed_documents(user)
    return (
        with_review_due(documents_in_force().filter(pk__in=scope.values("pk")))
        .filter(review_due_on__lte=horizon)
        .select_related("owner_unit")
        .order_by("review_due_on", "code")
    )


# --- master list ----------------------------------------------------------------------------------

def master_list_units(user):
    """The owning units whose master list `user` may pick: those in their scope, and those they audit now."""
    units = Unit.objects.filter(owned_documents__isnull=False).distinct().order_by("name")
    if getattr(user, "is_superuser", False):
        return units
    return units.filter(pk__in=unit_ids_for_user(user) | audited_unit_ids(user))


def master_list(*, units=None, user=None):
    """
    The documents in force (danh mục tài liệu nội bộ) owned by `units` (None: every unit), each
    procedure followed by its forms, annotated with its issue (number, effective date, approver).
    Limited to what `user` may read when a user is given.
    """
    qs = documents_in_force()
    if units is not None:
        qs = qs.filter(owner_unit__in=units)
    if user is not None:
        qs = qs.filter(pk__in=readable_documents(user).values("pk"))
    return with_review_due(qs).select_related("owner_unit").order_by("owner_unit__name", "path")


# --- reading and acknowledgement -----------------------------------------------------------------

def documents_to_read(user):
    """
    Issues in force that `user` has not acknowledged, of documents (not forms) that apply to a unit
    they are a member of. Newest first.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    units = Membership.objects.filter(user=user).values("unit_id")
    pages = (
        documents_in_force().exclude(doc_type=DocumentType.FORM).filter(applies_to__in=units)
        .filter(pk__in=readable_documents(user).values("pk"))
    )
    pages = list(with_review_due(pages).select_related("owner_unit").distinct())
    issues = {
        issue.document_id: issue
        for issue in IssuedRevision.objects.filter(document__in=[p.pk for p in pages]).order_by("number")
    }
    read = set(Acknowledgement.objects.filter(user=user, issue__in=issues.values()).values_list("issue_id", flat=True))
    pending = []
    for page in pages:
        issue = issues.get(page.pk)
        if issue is not None and issue.pk not in read:
            pending.append((page, issue))
    pending.sort(key=lambda pair: (pair[1].effective_date, pair[0].code), reverse=True)
    return pending


@dataclass
class MatrixRow:
    user: object
    position: str
    acknowledgement: Acknowledgement | None
    #: The latest earlier issue this user read, when they have not read the current one.
    earlier: Acknowledgement | None = None


@dataclass
class MatrixUnit:
    unit: Unit
    rows: list[MatrixRow] = field(default_factory=list)

    @property
    def read_count(self) -> int:
        return sum(1 for row in self.rows if row.acknowledgement)


def acknowledgement_matrix(page: ControlledDocumentPage, issue: IssuedRevision | None = None) -> list[MatrixUnit]:
    """
    For each unit the document applies to, its members (active, not administrators) and whether they
    acknowledged `issue` (default: the issue in force), with the earlier issue they read if not.
    """
    issue = issue or page.current_issue
    User = get_user_model()
    units = list(page.applies_to.order_by("name"))
    memberships = (
        Membership.objects.filter(unit__in=units, user__is_active=True, user__is_superuser=False)
        .select_related("user", "unit").order_by("user__last_name", "user__first_name", "user__username")
    )
    acks = {}
    earlier = {}
    if issue is not None:
        acks = {a.user_id: a for a in Acknowledgement.objects.filter(issue=issue)}
        for ack in Acknowledgement.objects.filter(issue__document=page, issue__number__lt=issue.number).select_related("issue").order_by("issue__number"):
            earlier[ack.user_id] = ack
    by_unit = {unit.pk: MatrixUnit(unit=unit) for unit in units}
    for membership in memberships:
        user = membership.user
        by_unit[membership.unit_id].rows.append(
            MatrixRow(user=user, position=membership.position, acknowledgement=acks.get(user.pk),
                      earlier=None if user.pk in acks else earlier.get(user.pk))
        )
    del User
    return list(by_unit.values())


# --- search ---------------------------------------------------------------------------------------

def search_documents(user, query: str):
    """
    Documents `user` may read whose code, title or text match `query`, with or without diacritics:
    the search backend folds the index and the query alike (qms/core/search.py), so "kiem soat tai lieu"
    finds "Kiểm soát tài liệu".
    """
    if not search_terms(query):
        return []
    readable = readable_documents(user)
    results = ControlledDocumentPage.objects.live().search(query, operator="and")
    allowed = set(readable.values_list("pk", flat=True))
    return [page for page in results if page.pk in allowed]


def with_issue_facts(pages):
    """`pages` annotated with `qms_obsolete` and `qms_ever_issued`, which `ControlledDocumentPage.is_obsolete` and
    `permissions.ever_issued` read instead of a query per page (Wagtail keeps annotations on specific pages)."""
    return pages.annotate(
        qms_obsolete=Exists(DocumentWithdrawal.objects.filter(document_id=OuterRef("pk"))),
        qms_ever_issued=Exists(IssuedRevision.objects.filter(document__path__startswith=OuterRef("path"))),
    )
