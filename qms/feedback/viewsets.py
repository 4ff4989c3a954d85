"""Admin screens of citizen feedback: answers are read, filtered and exported, never edited."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets import Button

from qms.core.models import Unit
from qms.core.viewsets import QmsModelViewSet, ScopedIndexView
from qms.feedback.models import CitizenFeedback, FeedbackPage


class FeedbackIndexView(ScopedIndexView):
    select_related = ("unit",)

    def to_row_dict(self, item):
        # The export shows the rating's words like the list, and the 1–5 score beside them so officials can average it.
        item.score = item.rating
        return super().to_row_dict(item)
    @cached_property
    def header_more_buttons(self):
        """The QR poster of each survey page of the user's units, where the answers are read: quality officers
        and one-stop staff may not open these pages in the page explorer. The poster view checks the unit again."""
        units = Unit.objects.for_user(self.request.user)
        pages = FeedbackPage.objects.live().filter(unit__in=units).select_related("unit").order_by("unit__name")
        return [*super().header_more_buttons, *(
            Button(_("Print the QR poster: %(unit)s") % {"unit": page.unit.name},
                   url=reverse("feedback_poster", args=[page.pk]), icon_name="doc-full", priority=70 + index)
            for index, page in enumerate(pages)
        )]


class CitizenFeedbackViewSet(QmsModelViewSet):
    """Citizen feedback of the user's units. Answers are the record: no add, edit or delete here."""

    model = CitizenFeedback
    name = "feedback"
    icon = "comment"
    menu_label = _("Citizen feedback")
    menu_order = 450
    add_to_admin_menu = True
    index_view_class = FeedbackIndexView
    list_display = [
        DateColumn("submitted_at", label=_("submitted at")), "unit", "rating", "is_complaint",
        Column("comment", label=pgettext_lazy("citizen feedback", "comment")), "dossier_code",
    ]
    list_filter = ["unit", "rating", "is_complaint", "submitted_on"]
    list_export = ["submitted_at", "unit", "rating", "score", "is_complaint", "comment", "dossier_code"]
    export_headings = {"score": _("Score (1–5)")}
    export_filename = "y-kien-nguoi-dan"
    search_fields = ["comment", "dossier_code"]
    inspect_view_enabled = True
    #: The keyed hash of the client's address only counts answers per day: nobody reads it; the unit names the page.
    inspect_view_fields_exclude = ["client_hash", "page"]
    form_fields = ["rating", "comment", "dossier_code", "is_complaint"]
