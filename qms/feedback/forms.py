from django import forms
from django.utils.translation import gettext_lazy as _

from qms.feedback.models import Rating

MSG_BOT = _("The form could not be sent. Please try again.")


class FeedbackForm(forms.Form):
    """The public survey. `website` is a honeypot: people leave it empty, spam robots fill it."""

    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with how your dossier was handled?"),
        choices=[(value, label) for value, label in reversed(Rating.choices)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Your comments or suggestions"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    dossier_code = forms.CharField(label=_("Dossier code (if you have one)"), required=False, max_length=64)
    is_complaint = forms.BooleanField(label=_("This is a complaint or petition and I would like it handled"), required=False)
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(MSG_BOT)
        return ""

    def feedback_values(self) -> dict:
        data = self.cleaned_data
        return {"rating": data["rating"], "comment": data["comment"], "dossier_code": data["dossier_code"],
                "is_complaint": data["is_complaint"]}
