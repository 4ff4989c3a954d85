"""Dashboard panels of controlled documents."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from procedures_docs import selectors


class DocumentsToReadPanel(Component):
    """New issues of documents applying to the user's units that they have not acknowledged yet."""

    name = "documents_to_read"
    reads = ("procedures_docs", "wagtailcore", "audits.audit")  # kept until these change (qms.core.freshness)
    order = 120
    template_name = "procedures_docs/admin/panel_to_read.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        self.pending = selectors.documents_to_read(self.request.user)
        return super().render_html(parent_context) if self.pending else ""

    def get_context_data(self, parent_context=None):
        return {"pending": self.pending[:10], "count": len(self.pending)}


class ReviewDuePanel(Component):
    """For quality officers, leaders and auditors: documents whose review is overdue or due within 30 days."""

    name = "documents_review_due"
    reads = ("procedures_docs", "wagtailcore")
    order = 130
    template_name = "procedures_docs/admin/panel_review_due.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        user = self.request.user
        if not (user.is_superuser or selectors.reads_history(user)):
            return ""
        self.documents = list(selectors.review_due(user))
        return super().render_html(parent_context) if self.documents else ""

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        overdue = [d for d in self.documents if d.review_due_on < today]
        return {"documents": self.documents[:10], "count": len(self.documents), "overdue": len(overdue), "today": today}
