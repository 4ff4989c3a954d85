from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.core.widgets import date_field

#: Choices of the effectiveness review: a plain yes / no.
EFFECTIVE_CHOICES = [("true", _("Effective")), ("false", _("Not effective"))]


class CopyTemplateForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Copy into the register of"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ActionCompleteForm(forms.Form):
    done_on = date_field(_("Done on"), initial=timezone.localdate)
    result = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))


class ActionReviewForm(forms.Form):
    effective = forms.TypedChoiceField(label=_("Result"), choices=EFFECTIVE_CHOICES, coerce=lambda v: v == "true",
                                       widget=forms.RadioSelect)
    note = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reviewed_on = date_field(_("Reviewed on"), initial=timezone.localdate)
