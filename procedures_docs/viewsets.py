"""
Wagtail admin screens of controlled documents, under the "Documents" menu (order 200). The
documents themselves are pages (Pages → a unit's library); these are the registers and lists
around them. Per-document screens (register, acknowledgements, withdrawal) are reached from the
page's header and listing buttons (wagtail_hooks.py).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from procedures_docs import selectors
from procedures_docs.views import admin as views
from qms.core.roles import roles_of


class RoleMenuItem(MenuItem):
    """Shown to the roles that may open the screen behind it."""

    def __init__(self, *args, history_readers_only=False, **kwargs):
        self.history_readers_only = history_readers_only
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        user = request.user
        if user.is_superuser:
            return True
        return selectors.reads_history(user) if self.history_readers_only else bool(roles_of(user))


class _ScreenViewSet(ViewSet):
    #: Only quality officers, leaders and auditors see it in the menu (unit staff read on the site).
    history_readers_only = True
    url_name = ""

    def get_menu_item(self, order=None):
        return RoleMenuItem(
            self.menu_label, reverse(f"documents:{self.url_name}"), name=self.name, icon_name=self.icon,
            order=order if order is not None else self.menu_order, history_readers_only=self.history_readers_only,
        )


class ReviewDueViewSet(_ScreenViewSet):
    name = "documents_review_due"
    menu_label = _("Due for review")
    icon = "calendar-alt"
    url_name = "review_due"


class ObsoleteViewSet(_ScreenViewSet):
    name = "documents_obsolete"
    menu_label = _("Obsolete documents")
    icon = "warning"
    url_name = "obsolete"


class MasterListViewSet(_ScreenViewSet):
    name = "documents_master_list"
    menu_label = _("Master list")
    icon = "list-ul"
    url_name = "master_list"
    history_readers_only = False


class DocumentsViewSet(ViewSet):
    """All the URLs of the documents screens, under /admin/tai-lieu/ (namespace "documents")."""

    name = "documents"
    url_prefix = "tai-lieu"

    def get_urlpatterns(self):
        return [
            path("danh-muc/", views.MasterListAdminView.as_view(), name="master_list"),
            path("den-han-soat-xet/", views.ReviewDueReportView.as_view(), name="review_due"),
            path("den-han-soat-xet/results/", views.ReviewDueReportView.as_view(results_only=True), name="review_due_results"),
            path("loi-thoi/", views.ObsoleteRegisterView.as_view(), name="obsolete"),
            path("loi-thoi/results/", views.ObsoleteRegisterView.as_view(results_only=True), name="obsolete_results"),
            path("<int:page_id>/so-ban-hanh/", views.DocumentRegisterView.as_view(), name="register"),
            path("<int:page_id>/xac-nhan-da-doc/", views.AcknowledgementMatrixView.as_view(), name="acknowledgements"),
            path("<int:page_id>/thu-hoi/", views.WithdrawView.as_view(), name="withdraw"),
        ]

    def register_menu_item(self):
        pass  # the group below carries the menu


class DocumentsMenu(ViewSetGroup):
    menu_label = _("QMS documents")
    menu_icon = "doc-full-inverse"
    menu_order = 200
    items = (MasterListViewSet, ReviewDueViewSet, ObsoleteViewSet)
