from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.account import NotificationPreferencesForm

from .models import Delivery, NotificationPreference
from .services import preference_save

#: Wagtail's own workflow e-mails (in English, to superusers or the submitter): this app sends those.
WAGTAIL_WORKFLOW_SWITCHES = ("submitted_notifications", "approved_notifications", "rejected_notifications")


class DeliveryForm(forms.Form):
    """The Account screen's notification setting; saved through `preference_save`."""

    delivery = forms.ChoiceField(
        label=_("E-mail notifications"), choices=Delivery.choices, widget=forms.RadioSelect,
        help_text=_("Documents waiting for you, decisions on your drafts, nonconformities of your units, "
                    "overdue actions and documents due for review."),
    )

    def __init__(self, *args, instance, **kwargs):
        self.user = instance
        found = NotificationPreference.objects.filter(user=instance).first()
        kwargs.setdefault("initial", {"delivery": found.delivery if found else Delivery.IMMEDIATE})
        super().__init__(*args, **kwargs)

    def save(self):
        return preference_save(user=self.user, delivery=self.cleaned_data["delivery"])


class CommentNotificationsForm(NotificationPreferencesForm):
    """Wagtail's notification switches without the workflow ones, which this app replaces."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WAGTAIL_WORKFLOW_SWITCHES:
            self.fields.pop(name, None)
