"""
Which pages of the tree a user may reach in the admin. A page model that owns a subtree for a unit
(a unit's document library, its survey page) names the field in `owning_unit_field`; a page in such
a subtree belongs to that unit, and only users whose scope covers the unit (`unit_ids_for_user`)
reach it. Pages outside every unit's subtree (the root, the home page) are reachable by all.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models.functions import Substr
from wagtail.models import Page, get_page_models

from qms.core.freshness import shared_fact
from qms.core.models.units import unit_ids_for_user


def _unit_roots() -> list[tuple[str, int]]:
    """(tree path, unit id) of every page that owns a subtree for a unit; read once per request, and shared while
    the records are unchanged."""
    return shared_fact("unit_roots", _read_unit_roots)


def _read_unit_roots() -> list[tuple[str, int]]:
    roots = []
    for model in get_page_models():
        field = model.__dict__.get("owning_unit_field")  # declared by the model itself, not inherited
        if field:
            roots.extend(model.objects.values_list("path", f"{field}_id"))
    return roots


def _foreign_roots(user) -> list[str]:
    scope = unit_ids_for_user(user)
    return [path for path, unit_id in _unit_roots() if unit_id not in scope]


def page_allowed(user, page: Page) -> bool:
    """May `user` reach `page` in the admin at all (their page permissions then say what they may do)."""
    if getattr(user, "is_superuser", False):
        return True
    return not any(page.path.startswith(root) for root in _foreign_roots(user))


def pages_allowed(pages, user):
    """`pages` less those in other units' subtrees (a filter for choosers, explorer and search)."""
    if getattr(user, "is_superuser", False):
        return pages
    by_length = defaultdict(list)
    for root in _foreign_roots(user):
        by_length[len(root)].append(root)
    for length, roots in by_length.items():
        foreign = Page.objects.annotate(root=Substr("path", 1, length)).filter(root__in=roots).values("pk")
        pages = pages.exclude(pk__in=foreign)
    return pages


def documents_of_other_units(user) -> set[int]:
    """
    Ids of Wagtail documents (originals of controlled documents) that belong to units outside `user`'s
    scope: referenced only by pages in other units' subtrees, or, not referenced yet (attached to a
    draft), uploaded by someone none of whose units is in the user's scope. Superusers: none.
    Cached on the user object for the request: the document listing asks once per row.
    """
    cached = getattr(user, "_qms_foreign_documents", None)
    if cached is None:
        cached = _documents_of_other_units(user)
        if getattr(user, "is_authenticated", False):
            user._qms_foreign_documents = cached
    return cached


def _documents_of_other_units(user) -> set[int]:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from wagtail.documents import get_document_model
    from wagtail.models import ReferenceIndex

    if getattr(user, "is_superuser", False):
        return set()
    Document = get_document_model()
    sources: dict[int, set[int]] = defaultdict(set)
    references = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(Document),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("to_object_id", "object_id")
    for document_id, page_id in references:
        sources[int(document_id)].add(int(page_id))
    all_pages = {pk for pages in sources.values() for pk in pages}
    reachable = set(pages_allowed(Page.objects.filter(pk__in=all_pages), user).values_list("pk", flat=True))
    foreign = {document_id for document_id, pages in sources.items() if not pages & reachable}
    scope = unit_ids_for_user(user)
    uploaders = Document.objects.exclude(pk__in=sources).exclude(uploaded_by_user=user).exclude(
        uploaded_by_user__isnull=True
    ).values_list("uploaded_by_user_id", flat=True).distinct()
    User = get_user_model()
    outsiders = {pk for pk in uploaders if not unit_ids_for_user(User.objects.get(pk=pk)) & scope}
    foreign |= set(Document.objects.exclude(pk__in=sources).filter(uploaded_by_user__in=outsiders).values_list("pk", flat=True))
    return foreign
