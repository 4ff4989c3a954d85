"""The user's own notifications (Account menu → Notifications): the last 100, newest first."""

from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView

from qms.core.views import AdminPageMixin

from .models import Delivery, Notification
from .services import delivery_for


class NotificationListView(AdminPageMixin, TemplateView):
    template_name = "notifications/list.html"
    page_title = pgettext_lazy("notifications", "Notifications")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["notifications"] = Notification.objects.filter(recipient=user)[:100]
        context["delivery_label"] = Delivery(delivery_for(user)).label
        return context
