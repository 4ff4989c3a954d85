"""Wagtail admin screens of the shared domain, grouped under the "Catalogues" menu."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log

from qms.core import views
from qms.core.exports import SafeSpreadsheetExportMixin
from qms.core.models import AdministrativeProcedure, IsoClause, Membership, Unit
from qms.core.services import procedure_save


class PermissionViewSet(ViewSet):
    """A viewset of plain views whose menu item is shown only to users with `permission`."""

    permission = ""

    @cached_property
    def menu_item_class(self):
        permission = self.permission

        def is_shown(_self, request):
            return request.user.has_perm(permission)

        return type(f"{type(self).__name__}MenuItem", (MenuItem,), {"is_shown": is_shown})


def date_column(model, name: str) -> Column:
    """A sortable dd/mm/yyyy column (the Vietnamese long date format is too wide for a list)."""
    field = model._meta.get_field(name)

    def value(obj):
        day = getattr(obj, name)
        return f"{day:%d/%m/%Y}" if day else ""

    return Column(name, label=capfirst(field.verbose_name), accessor=value, sort_key=name)


class SafeIndexView(SafeSpreadsheetExportMixin, IndexView):
    """Wagtail's list whose "Download XLSX/CSV" never writes a live formula: the base of every index view."""


class ScopedIndexView(SafeIndexView):
    """A list of the records of the user's units only (the model's queryset has `.for_user`)."""

    #: Relations the list shows, fetched with the rows (one query, not one per row).
    select_related = ()

    def get_base_queryset(self):
        queryset = super().get_base_queryset().for_user(self.request.user)
        # Not select_related() with no names: that would follow every foreign key.
        return queryset.select_related(*self.select_related) if self.select_related else queryset


class FoldedSearchIndexView(SafeIndexView):
    """Searches with the model queryset's `.search()`, which ignores diacritics ("ho tich" finds "Hộ tịch")."""

    search_fields = ["search_text"]  # enables the search box; `search_queryset` does the work

    def search_queryset(self, queryset):
        return queryset.search(self.search_query) if self.is_searching else queryset


class UnitIndexView(SafeIndexView):
    @cached_property
    def header_buttons(self):
        return [*super().header_buttons, HeaderButton(_("Unit tree"), url=reverse("units:tree"), icon_name="list-ul")]


class UnitViewSet(ModelViewSet):
    """Units with validity, successors and QMS status. Superusers edit; every role reads."""

    model = Unit
    name = "units"
    icon = "site"
    menu_label = _("Units")
    index_view_class = UnitIndexView
    list_display = ["name", "code", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    inspect_view_enabled = True
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("parent")]),
        FieldRowPanel([FieldPanel("code"), FieldPanel("gso_code")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        InlinePanel("successions", heading=_("Successors"), label=_("successor")),
        InlinePanel("qms_statuses", heading=_("QMS status over time"), label=_("status")),
    ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("tree/", views.UnitTreeView.as_view(), name="tree")]


class IsoClauseViewSet(ModelViewSet):
    model = IsoClause
    name = "clauses"
    icon = "list-ol"
    menu_label = _("ISO 9001 clauses")
    index_view_class = SafeIndexView
    list_display = ["number", "title_vi", "title_en"]
    list_per_page = 100
    search_fields = ["number", "title_vi", "title_en"]
    form_fields = ["title_vi", "title_en"]


class ProcedureCreateView(CreateView):
    def save_instance(self):
        procedure = procedure_save(procedure=self.form.save(commit=False), by=self.request.user)
        log(procedure, "wagtail.create", user=self.request.user)
        return procedure


class ProcedureEditView(EditView):
    def save_instance(self):
        procedure = procedure_save(procedure=self.form.save(commit=False), by=self.request.user)
        log(procedure, "wagtail.edit", user=self.request.user)
        return procedure


class ProcedureInspectView(InspectView):
    def get_field_display_value(self, field_name=None, field=None):
        # Wagtail looks for a `get_<name>_display_value` hook on the view, and for the model field named
        # "field" that hook is this very method, called without arguments.
        if field_name is None:
            return self.object.field
        if field_name == "processing_days":
            return self.object.processing_time_label
        return super().get_field_display_value(field_name, field)


class ProcedureIndexView(FoldedSearchIndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("core.add_administrativeprocedure"):
            buttons.append(HeaderButton(_("Import from file"), url=reverse("tthc:import"), icon_name="upload"))
        return buttons


class AdministrativeProcedureViewSet(ModelViewSet):
    """The TTHC catalogue: browse, search without diacritics, export, import from CSV/XLSX."""

    model = AdministrativeProcedure
    name = "tthc"
    icon = "clipboard-list"
    menu_label = _("TTHC catalogue")
    index_view_class = ProcedureIndexView
    add_view_class = ProcedureCreateView
    edit_view_class = ProcedureEditView
    inspect_view_class = ProcedureInspectView
    list_display = [
        "code", "name", "field", "level", "online_level",
        Column("processing_time_label", label=_("Processing time")), "valid_to",
    ]
    list_filter = ["field", "level", "online_level"]
    list_export = ["code", "name", "field", "level", "online_level", "processing_days", "legal_basis", "valid_from", "valid_to"]
    export_filename = "danh-muc-tthc"
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("field")]),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("online_level"), FieldPanel("processing_days")]),
        FieldPanel("legal_basis"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")])], heading=_("Validity")),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", views.ProcedureImportView.as_view(), name="import"),
        ]


class MembershipIndexView(ScopedIndexView):
    select_related = ("user", "unit")


class MembershipViewSet(ModelViewSet):
    """Who works in which unit. Superusers edit; the other roles see the memberships of their units."""

    model = Membership
    name = "memberships"
    icon = "group"
    menu_label = _("Memberships")
    index_view_class = MembershipIndexView
    list_display = ["user", "unit", "position"]
    list_filter = ["unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    form_fields = ["user", "unit", "position"]


class CatalogueGroup(ModelViewSetGroup):
    menu_label = _("Catalogues")
    menu_icon = "folder-open-1"
    menu_order = 900
    items = (UnitViewSet, AdministrativeProcedureViewSet, IsoClauseViewSet, MembershipViewSet)
