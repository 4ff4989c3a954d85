"""
Wagtail's page explorer, scoped as every other list and costing the page it shows (issue 11).

`ExplorerPageViewSet` is the viewset of every page type (registered for `Page`, after Wagtail's own), so the
explorer of any page lists its children with `ExplorerIndexView`. What differs from Wagtail's:

- **Filters name only what the user may reach.** Wagtail's "Owner" and "Edited by" list every page owner and
  editor of the whole tree; here only those of pages the user may reach (`qms.core.pagescope`), so a commune's
  officer does not see who works on another commune's documents. "Site" shows only when there are several.
- **No second permission filter when one permission covers the page explored.** Wagtail filters the children
  again through every page permission the user holds (a quality officer holds one per unit's library: an OR
  of 19 tree conditions, built in about 20 ms, plus a query for their common ancestor). When a permission on
  the explored page or above it already lets the user explore all that is below, that filter keeps every row,
  so it is left out; the unit scope (`construct_explorer_page_queryset`) still applies.
- **No parent lookup per row unless searching.** Wagtail reads each row's parent for a "Parent" column the
  explorer never shows (while searching, its explorer still reads them for the titles), and each row's sites,
  which `annotate_site_root_state` already tells.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import MultipleUserFilter
from wagtail.admin.ui.tables.pages import ParentPageColumn
from wagtail.admin.views.pages.listing import EditedByFilter, ExplorableIndexView, GenericPageFilterSet
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, PageLogEntry, Site

from qms.core.pagescope import pages_allowed

#: The page permissions that let a user explore a page and all below it (Wagtail's `explorable_instances`).
EXPLORE_PERMISSIONS = frozenset({"add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"})


def _reachable_pages(request):
    return pages_allowed(Page.objects.all(), request.user)


class ExplorerFilterSet(GenericPageFilterSet):
    owner = MultipleUserFilter(
        label=_("Owner"),
        queryset=lambda request: get_user_model().objects.filter(
            pk__in=_reachable_pages(request).order_by().values("owner_id")
        ),
        widget=CheckboxSelectMultiple,
    )
    edited_by = EditedByFilter(
        label=_("Edited by"),
        queryset=lambda request: get_user_model().objects.filter(
            pk__in=PageLogEntry.objects.filter(action="wagtail.edit", page__in=_reachable_pages(request).values("pk"))
            .order_by()
            .values("user_id")
        ),
        widget=CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if len(Site.get_site_root_paths()) < 2:  # read once per request (qms.core.site_paths)
            del self.filters["site"]


class ExplorerIndexView(ExplorableIndexView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.columns = [column for column in self.columns if not isinstance(column, ParentPageColumn)]

    def annotate_queryset(self, pages):
        # Wagtail's, without prefetching each row's sites: `annotate_site_root_state` answers `is_site_root()`.
        pages = pages.prefetch_related("content_type").defer_streamfields().specific()
        if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            pages = pages.prefetch_workflow_states()
        if self.i18n_enabled:
            pages = pages.prefetch_related("locale").annotate_has_untranslated_locale()
        return pages.annotate_site_root_state().annotate_approved_schedule()

    def permission_covers_all_below(self) -> bool:
        """Does one of the user's page permissions let them explore the explored page and all below it?"""
        user, parent = self.request.user, self.parent_page
        if user.is_superuser:
            return user.is_active
        return any(
            permission.permission.codename in EXPLORE_PERMISSIONS
            and (permission.page_id == parent.pk or parent.path.startswith(permission.page.path))
            for permission in self.permission_policy.get_cached_permissions_for_user(user)
        )

    def get_base_queryset(self):
        if self.is_searching_whole_tree or not self.permission_covers_all_below():
            return super().get_base_queryset()
        if self.is_searching or self.is_filtering:
            pages = self.model._default_manager.descendant_of(self.parent_page)
        else:
            pages = self.model._default_manager.child_of(self.parent_page)
        return self.annotate_queryset(pages)


class ExplorerPageViewSet(PageViewSet):
    """Wagtail's page views, with the explorer above (registered in qms.core.wagtail_hooks)."""

    name = "qms_pages"
    index_view_class = ExplorerIndexView
    filterset_class = ExplorerFilterSet
