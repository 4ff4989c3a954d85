"""The site's home page: the root of the public site that staff read documents on."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PagePermissionTester


def permission_tester(page: Page, user, tester_class: type[PagePermissionTester]) -> PagePermissionTester:
    """`page.permissions_for_user(user)`, worked out once per page instance and user: an explorer row asks it
    about ten times (its title, status and each action of its menu), and each tester works the user's page
    permissions out anew (issue 11: the explorer's cost). The tester reads the page's state when asked."""
    tester = page.__dict__.get("_qms_permission_tester")
    if tester is None or tester.user is not user or type(tester) is not tester_class:
        tester = page.__dict__["_qms_permission_tester"] = tester_class(user, page)
    return tester


class HomePagePermissionTester(PagePermissionTester):
    """The site hangs from its home page (every unit's library, every survey): nobody deletes,
    unpublishes or moves it, superusers included; its text is edited as any page's."""

    def can_delete(self, ignore_bulk=False):
        return False

    def can_unpublish(self):
        return False

    def can_move(self):
        return False


class HomePage(Page):
    """The public home of the QMS: a welcome text; document libraries live below it."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1

    def permissions_for_user(self, user):
        return permission_tester(self, user, HomePagePermissionTester)

    class Meta:
        verbose_name = _("home page")
