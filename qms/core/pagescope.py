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

from qms.core.models.units import unit_ids_for_user


def _unit_roots() -> list[tuple[str, int]]:
    """(tree path, unit id) of every page that owns a subtree for a unit."""
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
