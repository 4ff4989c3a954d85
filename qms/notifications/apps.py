from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    """E-mail notifications with links to the records, per-user delivery preference and a daily digest
    (docs/notifications.md). Apps above core announce events through `qms.notifications.services`."""

    name = "qms.notifications"
    label = "notifications"
    verbose_name = pgettext_lazy("notifications", "Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from qms.notifications import wagtail_patches

        wagtail_patches.apply()
