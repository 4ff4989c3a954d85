"""The site's home page: the root of the public site that staff read documents on."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PagePermissionTester


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
        return HomePagePermissionTester(user, self)

    class Meta:
        verbose_name = _("home page")
