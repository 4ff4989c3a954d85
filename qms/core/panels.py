"""Dashboard panels of the shared domain."""

import functools

from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import get_page_models

from qms.core.freshness import keep_panels
from qms.core.models.units import unit_ids_for_user
from qms.core.roles import Role, roles_of


class WelcomePanel(Component):
    """Greets the user by name with their role and units: the first thing on the dashboard."""

    name = "qms_welcome"
    reads = ()  # the user's memberships and units: the structure version (qms.core.freshness)
    order = 10
    template_name = "core/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        today = timezone.localdate()
        memberships = list(user.memberships.select_related("unit").order_by("unit__code"))
        for membership in memberships:
            membership.in_force = membership.unit.is_in_force(today)
        return {
            "user": user,
            "roles": [role.label for role in sorted(roles_of(user))],
            "memberships": memberships,
            # The ids are units' own (the request's unit graph): counting them costs no query.
            "covered_count": 0 if user.is_superuser else len(unit_ids_for_user(user)),
        }


# --- each role's first screen -----------------------------------------------------------------------
#: The dashboard of each role, built around its main task (issue 13): the panels it shows, first task
#: first. Panels are named by their `name` (Wagtail's own and those the apps add with
#: `construct_homepage_panels`; "site_summary" is Wagtail's page/document counts above them), so core
#: imports none of them. A panel no role of the user lists is not rendered at all, so it costs no query
#: (Wagtail's recent edits, locked pages and workflow panels serve those who edit or approve documents).
DASHBOARDS: dict[Role, list[str]] = {
    # "Import last month, check my Biểu 06", then what the unit must read and answer.
    Role.UNIT_STAFF: [
        "qms_welcome", "qms_last_month", "qms_objectives", "documents_to_read", "qms_my_audit_work", "qms_nonconformities",
    ],
    # "My audits and open findings".
    Role.AUDITOR: ["qms_welcome", "qms_my_audit_work", "qms_nonconformities", "documents_to_read"],
    # "What waits for my approval and how my units stand".
    Role.LEADER: [
        "qms_welcome", "workflow_objects_to_moderate", "qms_readiness", "qms_nonconformities", "qms_objectives",
        "documents_review_due", "documents_to_read",
    ],
    # The quality officer keeps the whole picture, Wagtail's editing panels included.
    Role.QUALITY_OFFICER: [
        "site_summary", "qms_welcome", "qms_readiness", "workflow_objects_to_moderate",
        "user_objects_in_workflow_moderation",
        "qms_nonconformities", "qms_objectives", "documents_review_due", "documents_to_read", "qms_my_audit_work",
        "recent_edits", "locked_pages",
    ],
}


#: What Wagtail's dashboard panels and site summary items read (apps, or models as "app.model"), so that each is
#: kept until those records change (qms.core.freshness.keep_panels; ours declare `reads` themselves). PAGES: Wagtail's own and
#: every app with a page type (the panels show pages as their specific type). A panel named nowhere is kept
#: until any record changes. tests/core/test_panel_reads.py holds each to what it declares.
PAGES = "pages"
WAGTAIL_PANEL_READS: dict[str, tuple[str, ...]] = {
    "workflow_objects_to_moderate": (PAGES,),
    "user_objects_in_workflow_moderation": (PAGES,),
    "recent_edits": (PAGES,),
    "locked_pages": (PAGES,),
    "PagesSummaryItem": (PAGES,),
    # Our documents are scoped by their unit's collection, evidence files left out (qms.core.files).
    "DocumentsSummaryItem": ("wagtailcore", "wagtaildocs", "audits.evidencefile"),
    "ImagesSummaryItem": ("wagtailcore", "wagtailimages"),
}


@functools.cache
def page_apps() -> tuple[str, ...]:
    """Wagtail's core and every app that defines a page type."""
    return tuple(sorted({"wagtailcore", *(model._meta.app_label for model in get_page_models())}))


def declare_reads(panels) -> None:
    """Give Wagtail's panels what they read (`WAGTAIL_PANEL_READS`)."""
    for panel in panels:
        if not hasattr(panel, "reads"):
            name = getattr(panel, "name", type(panel).__qualname__)
            if name in WAGTAIL_PANEL_READS:
                apps = WAGTAIL_PANEL_READS[name]
                panel.reads = tuple(app for entry in apps for app in (page_apps() if entry == PAGES else (entry,)))


def dashboard_layout(user) -> list[str] | None:
    """The panel names of `user`'s dashboard in order (the union of their roles'), or None: every panel."""
    if user.is_superuser or not roles_of(user):
        return None
    names = []
    for role in Role:  # the enumeration's order: a quality officer who is also a leader sees the officer's order
        if role in roles_of(user):
            names += [name for name in DASHBOARDS[role] if name not in names]
    return names


def dashboard_arrange(request, panels) -> None:
    """Keep the panels of the user's roles, in their order (the `construct_homepage_panels` hook, run last),
    each served from the cache while the records are unchanged (`freshness.keep_panels`)."""
    names = dashboard_layout(request.user)
    declare_reads(panels)
    if names is None:
        keep_panels(request, panels)
        return
    position = {name: index for index, name in enumerate(names)}
    kept = [panel for panel in panels if getattr(panel, "name", None) in position]
    for panel in kept:
        panel.order = position[panel.name]  # Wagtail sorts the panels by `order`
        if panel.name == "workflow_objects_to_moderate":
            # Wagtail shows nothing when nothing waits; an approver's first task then says so.
            panel.template_name = "core/workflow_objects_to_moderate.html"
    panels[:] = kept
    keep_panels(request, panels)


def summary_for_editors(request, items) -> None:
    """Wagtail's site summary (pages, documents, images counts) only for the roles that list it (those who edit),
    each count served from the cache while the records are unchanged."""
    names = dashboard_layout(request.user)
    if names is not None and "site_summary" not in names:
        items.clear()
    declare_reads(items)
    keep_panels(request, items)
