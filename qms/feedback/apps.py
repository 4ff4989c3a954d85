from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Citizen feedback (ISO 9001 9.1.2): a public survey page per unit and the satisfaction indicator."""

    name = "qms.feedback"
    label = "feedback"
    verbose_name = _("Citizen feedback")
    demo_module = "qms.feedback.demo"
