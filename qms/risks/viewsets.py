"""Admin screens of the context and risk registers, under the "Risks and opportunities" menu."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, InspectView
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton

from qms.core.text import person_name
from qms.core.viewsets import QmsModelViewSet, ScopedIndexView, ServiceFormMixin, date_column

from . import services, views
from .filters import ContextIssueFilterSet, InterestedPartyFilterSet, RiskActionFilterSet, RiskFilterSet
from .models import ContextIssue, ContextReview, InterestedParty, Risk, RiskAction, RiskStatus
from .reports import LEVEL_COLOURS
from .selectors import heat_map


def level_badge(level) -> str:
    if level is None:
        return "–"
    return format_html('<span class="w-status" style="background:{};color:#000">{}</span>', LEVEL_COLOURS[level], level.label)


# --- context -----------------------------------------------------------------------------------------


class ContextIndexView(ScopedIndexView):
    select_related = ("unit",)

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("risks.add_contextissue"):
            buttons.append(HeaderButton(_("Copy the district's template"), url=reverse("context_issues:copy_template"), icon_name="copy"))
        if self.request.user.has_perm("risks.add_contextreview"):
            buttons.append(HeaderButton(_("Record a context review"), url=reverse("context_reviews:add"), icon_name="success"))
        return buttons


class SavedByServiceMixin(ServiceFormMixin):
    """Create and edit views that save through the app's service (which dates the change); its refusal
    lands on the form."""

    service = None

    def save_instance(self):
        instance = self.form.save(commit=False)
        type(self).service(instance)
        self.form.save_m2m()
        return instance


def _issue_save(issue):
    return services.context_issue_save(issue=issue)


def _party_save(party):
    return services.interested_party_save(party=party)


class IssueCreateView(SavedByServiceMixin, CreateView):
    service = _issue_save


class IssueEditView(SavedByServiceMixin, EditView):
    service = _issue_save


class PartyCreateView(SavedByServiceMixin, CreateView):
    service = _party_save


class PartyEditView(SavedByServiceMixin, EditView):
    service = _party_save


class ContextIssueViewSet(QmsModelViewSet):
    """Issues of each unit's context (4.1); the district's flagged ones are the communes' template."""

    model = ContextIssue
    name = "context_issues"
    icon = "site"
    menu_label = _("Context issues")
    index_view_class = ContextIndexView
    add_view_class = IssueCreateView
    edit_view_class = IssueEditView
    filterset_class = ContextIssueFilterSet
    inspect_view_enabled = True
    list_display = ["description", "unit", "direction", "category", "is_template", "obsolete", date_column(ContextIssue, "updated_on")]
    list_export = ["unit", "direction", "category", "description", "effect", "is_template", "obsolete", "updated_on"]
    export_filename = "boi-canh"
    search_fields = ["description", "effect"]
    panels = [
        FieldRowPanel([FieldPanel("unit"), FieldPanel("direction"), FieldPanel("category")]),
        FieldPanel("description"),
        FieldPanel("effect"),
        FieldRowPanel([FieldPanel("is_template"), FieldPanel("obsolete")]),
    ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("copy-template/", views.CopyTemplateView.as_view(), name="copy_template")]


class InterestedPartyViewSet(QmsModelViewSet):
    """Interested parties of each unit, their needs and expectations and how they are watched (4.2)."""

    model = InterestedParty
    name = "interested_parties"
    icon = "group"
    menu_label = _("Interested parties")
    index_view_class = ContextIndexView
    add_view_class = PartyCreateView
    edit_view_class = PartyEditView
    filterset_class = InterestedPartyFilterSet
    inspect_view_enabled = True
    list_display = ["name", "unit", "kind", "needs", "is_template", "obsolete", date_column(InterestedParty, "updated_on")]
    list_export = ["unit", "kind", "name", "needs", "monitoring", "is_template", "obsolete", "updated_on"]
    export_filename = "cac-ben-quan-tam"
    search_fields = ["name", "needs"]
    panels = [
        FieldRowPanel([FieldPanel("unit"), FieldPanel("kind")]),
        FieldPanel("name"),
        FieldPanel("needs"),
        FieldPanel("monitoring"),
        FieldRowPanel([FieldPanel("is_template"), FieldPanel("obsolete")]),
    ]


class UnitRecordIndexView(ScopedIndexView):
    select_related = ("unit", "reviewed_by")


class ContextReviewViewSet(QmsModelViewSet):
    """The yearly reviews of each unit's context and parties (readiness reads the last one)."""

    model = ContextReview
    name = "context_reviews"
    icon = "success"
    menu_label = _("Context reviews")
    index_view_class = UnitRecordIndexView
    inspect_view_enabled = True
    list_display = ["unit", date_column(ContextReview, "reviewed_on"),
                    Column("reviewed_by", label=_("Reviewed by"), accessor=lambda r: person_name(r.reviewed_by)), "note"]
    list_filter = ["unit"]
    panels = [FieldRowPanel([FieldPanel("unit"), FieldPanel("reviewed_on"), FieldPanel("reviewed_by")]), FieldPanel("note")]


# --- risks -------------------------------------------------------------------------------------------


class RiskIndexView(ScopedIndexView):
    """The register with its heat map above the list, the level as a coloured badge and the flag of
    high risks without any treatment action."""

    template_name = "risks/risk_index.html"
    select_related = ("unit", "owner")

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("actions")

    @cached_property
    def header_buttons(self):
        query = self.request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        return [
            *super().header_buttons,
            HeaderButton(_("Register (PDF)"), url=reverse("risks:register_pdf") + suffix, icon_name="doc-full"),
            HeaderButton(_("Register (XLSX)"), url=reverse("risks:register_xlsx") + suffix, icon_name="download"),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = heat_map(self.get_queryset())
        context["heat_map"] = [
            [{"count": c.count, "score": c.score, "colour": LEVEL_COLOURS[c.level], "likelihood": c.likelihood, "impact": c.impact}
             for c in row] for row in rows
        ]
        context["impacts"] = [c.impact for c in rows[0]] if rows else []
        context["flagged"] = self.get_queryset().high_without_action().count()
        return context


class RiskInspectView(InspectView):
    template_name = "risks/risk_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["actions"] = self.object.actions.select_related("owner", "reviewed_by")
        context["can_add_action"] = self.object.status == RiskStatus.OPEN and user.has_perm("risks.add_riskaction")
        context["can_review"] = user.has_perm("risks.change_riskaction")
        context["level_badge"] = level_badge(self.object.level)
        context["residual_badge"] = level_badge(self.object.residual_level)
        context["user_pk"] = user.pk
        return context


def _risk_save(risk):
    return services.risk_save(risk=risk)


class RiskCreateView(SavedByServiceMixin, CreateView):
    service = _risk_save


class RiskEditView(SavedByServiceMixin, EditView):
    service = _risk_save


class RiskViewSet(QmsModelViewSet):
    """The register of risks and opportunities (6.1) of the user's units: scored, owned, treated."""

    model = Risk
    name = "risks"
    icon = "warning"
    menu_label = _("Risk register")
    index_view_class = RiskIndexView
    add_view_class = RiskCreateView
    edit_view_class = RiskEditView
    inspect_view_class = RiskInspectView
    inspect_view_enabled = True
    #: Score, level and residual are laid out by the template; the actions are listed below.
    inspect_view_fields = [
        "unit", "kind", "title", "description", "procedure", "process", "source", "context_issue", "interested_party",
        "nonconformity", "source_note", "owner", "treatment", "assessed_on", "next_review_on", "status", "closed_on",
    ]
    filterset_class = RiskFilterSet
    list_display = [
        "title", "unit", "kind",
        Column("score", label=_("Score"), accessor="score"),
        Column("level", label=_("Level"), accessor=lambda r: level_badge(r.level)),
        Column("flag", label=_("Warning"), accessor=lambda r: format_html(
            '<span class="w-status w-status--label" style="background:#b71c1c;color:#fff">{}</span>', _("No action"))
            if r.is_flagged else ""),
        Column("owner", label=pgettext_lazy("risk", "Owner"), accessor=lambda r: person_name(r.owner)),
        "treatment", date_column(Risk, "next_review_on"), "status",
    ]
    list_export = ["unit", "kind", "title", "procedure", "process", "source", "likelihood", "impact", "score", "owner",
                   "treatment", "residual_likelihood", "residual_impact", "assessed_on", "next_review_on", "status"]
    export_headings = {"score": _("Score")}
    export_filename = "rui-ro"
    search_fields = ["title", "description"]
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("unit"), FieldPanel("kind")]),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("procedure"), FieldPanel("process")]),
        MultiFieldPanel([
            FieldPanel("source"),
            FieldRowPanel([FieldPanel("context_issue"), FieldPanel("interested_party"), FieldPanel("nonconformity")]),
            FieldPanel("source_note"),
        ], heading=_("Source")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("likelihood"), FieldPanel("impact"), FieldPanel("assessed_on")]),
            FieldRowPanel([FieldPanel("owner"), FieldPanel("treatment")]),
            FieldRowPanel([FieldPanel("residual_likelihood"), FieldPanel("residual_impact"), FieldPanel("next_review_on")]),
        ], heading=_("Assessment and treatment")),
        FieldRowPanel([FieldPanel("status"), FieldPanel("closed_on")]),
    ])

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("register.pdf", views.register_pdf, name="register_pdf"),
            path("register.xlsx", views.register_xlsx, name="register_xlsx"),
        ]


class RiskActionIndexView(ScopedIndexView):
    select_related = ("risk__unit", "owner")


class RiskActionCreateView(CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("risk", "").isdigit():
            initial["risk"] = self.request.GET["risk"]
        initial.setdefault("owner", self.request.user.pk)
        return initial

    def save_instance(self):
        return services.risk_action_save(action=self.form.save(commit=False))

    def get_success_url(self):
        return reverse("risks:inspect", args=[self.object.risk_id])


class RiskActionEditView(EditView):
    def save_instance(self):
        return services.risk_action_save(action=self.form.save(commit=False))


class RiskActionViewSet(QmsModelViewSet):
    """Actions treating risks and pursuing opportunities; owners record them done, officers review them."""

    model = RiskAction
    name = "risk_actions"
    icon = "tasks"
    menu_label = _("Risk actions")
    index_view_class = RiskActionIndexView
    add_view_class = RiskActionCreateView
    edit_view_class = RiskActionEditView
    inspect_view_enabled = True
    filterset_class = RiskActionFilterSet
    list_display = [
        "description", "risk", Column("owner", label=pgettext_lazy("risk", "Owner"), accessor=lambda a: person_name(a.owner)),
        date_column(RiskAction, "due_on"), date_column(RiskAction, "done_on"), "effective",
    ]
    list_export = ["risk", "description", "owner", "due_on", "done_on", "result", "effective", "effectiveness_note", "reviewed_on"]
    export_filename = "bien-phap-xu-ly-rui-ro"
    form_fields = ["risk", "description", "owner", "due_on"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/complete/", views.ActionCompleteView.as_view(), name="complete"),
            path("<int:pk>/review/", views.ActionReviewView.as_view(), name="review"),
        ]


class RisksGroup(ModelViewSetGroup):
    menu_label = _("Risks and opportunities")
    menu_icon = "warning"
    menu_order = 150
    items = (RiskViewSet, RiskActionViewSet, ContextIssueViewSet, InterestedPartyViewSet, ContextReviewViewSet)
