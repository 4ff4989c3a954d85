"""Registration only: the notification setting on the Account screen and the list of one's notifications."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from .forms import DeliveryForm
from .views import NotificationListView


@hooks.register("register_admin_urls")
def notification_urls():
    return [path("notifications/", NotificationListView.as_view(), name="notifications_list")]


@hooks.register("register_account_settings_panel")
class DeliverySettingsPanel(BaseSettingsPanel):
    """Account → Notifications: immediately, a daily digest or off."""

    name = "qms_notifications"
    title = _("E-mail notifications of the quality management system")
    tab = notifications_tab
    order = 50
    form_class = DeliveryForm


@hooks.register("register_account_menu_item")
def notifications_account_item(request):
    return {
        "url": reverse("notifications_list"), "label": _("My notifications"),
        "help_text": _("What the system told you, with links to the records."),
    }


@hooks.register("register_admin_menu_item")
def notifications_menu_item():
    return MenuItem(pgettext_lazy("notifications", "Notifications"), reverse("notifications_list"), icon_name="mail", order=10500)
