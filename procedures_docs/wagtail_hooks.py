"""Registration only: admin screens, menu, dashboard panels, page buttons and guards, log actions."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.wagtail_hooks import require_wagtail_login

from procedures_docs import selectors, services
from procedures_docs.models import ControlledDocumentPage, DocumentLibraryPage
from procedures_docs.panels import DocumentsToReadPanel, ReviewDuePanel
from procedures_docs.viewsets import DocumentsMenu, DocumentsViewSet


@hooks.register("register_admin_viewset")
def register_documents_screens():
    return DocumentsViewSet()


@hooks.register("register_admin_viewset")
def register_documents_menu():
    return DocumentsMenu()


@hooks.register("construct_explorer_page_queryset")
def explorer_knows_issued_and_obsolete(parent_page, pages, request):
    """The explorer's row buttons ask each document whether it is obsolete and ever issued (two queries a row):
    answered for the whole listing in its own query."""
    return selectors.with_issue_facts(pages)


@hooks.register("construct_homepage_panels")
def add_document_panels(request, panels):
    panels.append(DocumentsToReadPanel(request))
    panels.append(ReviewDuePanel(request))


class _DocumentButton(PageMenuItem):
    def is_shown(self, user):
        return isinstance(self.page.specific_deferred, ControlledDocumentPage) and selectors.can_manage(user, self.page.specific)


class RegisterButton(_DocumentButton):
    label = _("Revision register")
    icon_name = "history"
    url_name = "documents:register"


class AcknowledgementsButton(_DocumentButton):
    label = _("Acknowledgements")
    icon_name = "tick-inverse"
    url_name = "documents:acknowledgements"

    def is_shown(self, user):
        return super().is_shown(user) and self.page.live


class WithdrawButton(PageMenuItem):
    label = _("Withdraw (make obsolete)")
    icon_name = "warning"
    url_name = "documents:withdraw"

    def is_shown(self, user):
        page = self.page.specific
        return isinstance(page, ControlledDocumentPage) and page.live and not page.is_obsolete and services.can_withdraw(user, page)


@hooks.register("register_page_header_buttons")
def document_header_buttons(page, user, view_name, next_url=None):
    yield RegisterButton(page=page, priority=62)
    yield AcknowledgementsButton(page=page, priority=63)
    yield WithdrawButton(page=page, priority=64)


@hooks.register("register_page_listing_more_buttons")
def document_listing_buttons(page, user, next_url=None):
    yield RegisterButton(page=page, priority=52)
    yield AcknowledgementsButton(page=page, priority=53)
    yield WithdrawButton(page=page, priority=54)


@hooks.register("after_create_page")
def set_up_new_library(request, page):
    if isinstance(page.specific, DocumentLibraryPage):
        services.library_setup(library=page.specific)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("procedures_docs.issue", _("Issue a revision"), _("Revision issued"))
    actions.register_action("procedures_docs.withdraw", _("Withdraw"), _("Withdrawn: obsolete"))
    actions.register_action("procedures_docs.acknowledge", _("Acknowledge"), _("Read and understood"))
    actions.register_action("procedures_docs.review_demand", _("Demand a review"), _("Due for review"))


@hooks.register("before_serve_document")
def serve_documents_to_their_readers(document, request):
    """/documents/<id>/<name>: visitors log in first; a user who may not read the controlled document
    an original belongs to (or see the document in the admin) finds nothing (docs/security.md)."""
    if not request.user.is_authenticated:
        return require_wagtail_login(next=request.get_full_path())
    if not selectors.may_download(request.user, document):
        raise Http404
    return None
