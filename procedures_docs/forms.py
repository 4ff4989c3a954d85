"""Admin forms of controlled documents."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from qms.core.text import ascii_slug
from qms.core.widgets import date_field

#: Help under the address of a new document.
MSG_SLUG_FROM_CODE = _("Leave empty to use the document code (“qt-18”).")


class ControlledDocumentForm(WagtailAdminPageForm):
    """
    The page editor's form. Knows the parent while the page is not in the tree yet (the owning
    unit and the form-under-procedure rule depend on it), and asks for a change summary that says
    what this revision changes whenever the draft goes to review.
    """

    def __init__(self, *args, **kwargs):
        from procedures_docs.models import ControlledDocumentPage, DocumentType  # models import this module

        super().__init__(*args, **kwargs)
        if self.parent_page is not None and not self.instance.path:
            parent = self.parent_page.specific
            self.instance._parent_for_clean = parent
            # model_to_dict already put the model defaults in `initial`: overwrite them, do not setdefault.
            if isinstance(parent, ControlledDocumentPage):
                self.initial["doc_type"] = DocumentType.FORM
                self.initial["applies_to"] = list(parent.applies_to.values_list("pk", flat=True))
            elif hasattr(parent, "unit_id") and not self.initial.get("applies_to"):
                self.initial["applies_to"] = [parent.unit_id]
        if not self.instance.path and "slug" in self.fields:
            # A new document's address is its code (/xa-yen-the/qt-18/), not its long title.
            self.fields["slug"].required = False
            self.fields["slug"].help_text = MSG_SLUG_FROM_CODE

    def clean(self):
        from procedures_docs.services import check_change_summary

        if not self.instance.path and not self.cleaned_data.get("slug") and self.cleaned_data.get("code"):
            self.cleaned_data["slug"] = ascii_slug(self.cleaned_data["code"])
        cleaned_data = super().clean()
        going_to_review = any(self.data.get(key) for key in ("action-submit", "action-restart-workflow", "action-publish"))
        if going_to_review and "change_summary" in cleaned_data:
            try:
                check_change_summary(page=self.instance, summary=cleaned_data["change_summary"])
            except ValidationError as error:
                self.add_error("change_summary", error.message_dict["change_summary"])
        return cleaned_data


class WithdrawForm(forms.Form):
    """Withdraw a document in force: from which date, and why."""

    withdrawn_on = date_field(_("Obsolete from"), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. “Thay thế bởi QT-07 lần ban hành 3” or “TTHC bị bãi bỏ theo Quyết định số …”."),
    )


class AcknowledgementMatrixFilter(forms.Form):
    """Which issue the matrix shows (default: the one in force)."""

    number = forms.IntegerField(label=_("Revision number"), required=False, min_value=1)

