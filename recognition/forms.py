from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from qms.core.models import AdministrativeProcedure, Unit
from recognition.selectors import default_review_period, unit_procedures


class ManagementReviewForm(WagtailAdminModelForm):
    """The review's period may be left empty: it then runs from the previous review to the meeting."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["period_from"].required = False
        self.fields["period_to"].required = False
        if for_user is not None and "unit" in self.fields:
            self.fields["unit"].queryset = Unit.objects.for_user(for_user).order_by("code")

    def clean(self):
        data = super().clean()
        unit, held_on = data.get("unit"), data.get("held_on")
        if unit and held_on:
            default_from, default_to = default_review_period(unit, held_on)
            data["period_from"] = data.get("period_from") or default_from
            data["period_to"] = data.get("period_to") or default_to
            self.instance.period_from, self.instance.period_to = data["period_from"], data["period_to"]
        return data


class AnnouncementForm(forms.Form):
    """Record an announcement: the unit is chosen first, then its procedures are offered as the scope."""

    announced_on = forms.DateField(label=_("Announced on"), widget=forms.DateInput(attrs={"type": "date"}))
    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    signer_name = forms.CharField(label=_("Signed by"), max_length=200)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, initial="Chủ tịch")
    procedures = forms.ModelMultipleChoiceField(
        label=_("Scope: the procedures covered"), queryset=AdministrativeProcedure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    scope_note = forms.CharField(label=_("Scope note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    gaps_confirmed = forms.BooleanField(
        label=_("Record it all the same: the announcement has been signed, and the gaps above will be followed up"),
        required=False,
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        on = timezone.localdate()
        handled = unit_procedures(unit, on)
        self.fields["procedures"].queryset = handled
        self.fields["procedures"].initial = list(handled)
