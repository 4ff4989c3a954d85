"""Registration only: the admin screens and dashboard panels of the shared domain."""

from django.templatetags.static import static
from django.urls import path, re_path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from qms.core import display
from qms.core.explorer import ExplorerPageViewSet
from qms.core.guide import IMAGE_NAME
from qms.core.models import AdministrativeProcedure, IsoClause
from qms.core.pagescope import pages_allowed
from qms.core.panels import WelcomePanel, dashboard_arrange, summary_for_editors
from qms.core.permissions import DistrictCataloguePolicy
from qms.core.security_viewsets import login_trail_viewsets
from qms.core.views import UserGuideImageView, UserGuideView
from qms.core.viewsets import CatalogueGroup

display.register()
register_permission_policy(AdministrativeProcedure, DistrictCataloguePolicy(AdministrativeProcedure))
register_permission_policy(IsoClause, DistrictCataloguePolicy(IsoClause))


@hooks.register("register_admin_viewset")
def register_catalogues():
    return CatalogueGroup()


hooks.register("register_admin_viewset", login_trail_viewsets)


@hooks.register("register_admin_viewset")
def register_page_explorer():
    # After Wagtail's own (order -1): the explorer of every page type (qms.core.explorer).
    return ExplorerPageViewSet()


@hooks.register("construct_homepage_panels")
def add_welcome_panel(request, panels):
    panels.insert(0, WelcomePanel(request))


# After every app added its panels: each role's first screen (qms.core.panels.DASHBOARDS).
hooks.register("construct_homepage_panels", dashboard_arrange, order=1000)
hooks.register("construct_homepage_summary_items", summary_for_editors, order=1000)


# Pages of other units never appear in the page chooser, the explorer or its menu (qms.core.pagescope);
# the admin URLs that name such a page are refused by qms.core.middleware.AdminScopeMiddleware.
@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    return pages_allowed(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def scope_explorer(parent_page, pages, request):
    return pages_allowed(pages, request.user)


@hooks.register("construct_reports_menu")
def reports_for_superusers(request, menu_items):
    # Wagtail's reports list the pages, workflows and history of every unit at once.
    if not request.user.is_superuser:
        menu_items.clear()


@hooks.register("register_admin_urls")
def user_guide_urls():
    return [
        path("huong-dan/", UserGuideView.as_view(), name="user_guide"),
        re_path(rf"^huong-dan/anh/(?P<name>{IMAGE_NAME})\.png$", UserGuideImageView.as_view(), name="user_guide_image"),
    ]


@hooks.register("register_help_menu_item")
def user_guide_menu_item():
    # First in the help menu, before Wagtail's English guide online (unreachable in a closed network).
    return MenuItem(_("User guide"), reverse("user_guide"), icon_name="help", order=1, name="user-guide")


@hooks.register("insert_global_admin_css")
def admin_css():
    # Shared admin layout: wide tables scroll in their frame (.qms-table-frame), dashboard figures.
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
