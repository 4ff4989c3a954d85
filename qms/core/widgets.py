"""
The admin's date pickers, as every form of the project uses them. Wagtail's picker (xdsoft datetimepicker)
replaces typed text it cannot read in its own format with today's date when the field loses focus, so
"2026-10-15" typed into a dd/mm/yyyy field silently became today. Here the typed text goes to the server,
which reads dd/mm/yyyy and yyyy-mm-dd (qms/formats) and answers anything else with MSG_BAD_DATE.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

MSG_BAD_DATE = _("Enter the date as dd/mm/yyyy (e.g. 15/10/2026) or yyyy-mm-dd.")
MSG_BAD_DATETIME = _("Enter the date and time as dd/mm/yyyy hh:mm (e.g. 15/10/2026 14:30) or yyyy-mm-dd hh:mm.")


class DateInput(AdminDateInput):
    """Wagtail's date picker that leaves what the user typed for the server to read."""

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


class DateTimeInput(AdminDateTimeInput):
    """Wagtail's date-time picker that leaves what the user typed for the server to read."""

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


def use_in_admin_forms() -> None:
    """Every model form of the admin (WagtailAdminModelForm) uses these pickers and says which formats it reads."""
    register_form_field_override(
        models.DateField, override={"widget": DateInput, "error_messages": {"invalid": MSG_BAD_DATE}})
    register_form_field_override(
        models.DateTimeField, override={"widget": DateTimeInput, "error_messages": {"invalid": MSG_BAD_DATETIME}})



def date_field(label, **kwargs) -> forms.DateField:
    """A date field of a plain admin form: the picker above, and the message that says which formats it reads."""
    kwargs.setdefault("error_messages", {"invalid": MSG_BAD_DATE})
    return forms.DateField(label=label, widget=DateInput(), **kwargs)
