"""Wagtail admin screens of the shared domain, grouped under the "Catalogues" menu."""

import functools
import hashlib

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms import CharField, HiddenInput, ModelChoiceField
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.coreutils import multigetattr
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail.search.index import class_is_indexed

from qms.core import views
from qms.core.display import EMPTY, display_value
from qms.core.exports import SafeSpreadsheetExportMixin
from qms.core.forms import add_service_errors
from qms.core.models import AdministrativeProcedure, IsoClause, Membership, Unit, people_in_scope
from qms.core.search import folded_filter
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


def scoped(queryset, user):
    """`queryset` narrowed to `user`'s units when its model is unit-owned (its manager has `for_user`)."""
    return queryset.for_user(user) if hasattr(queryset, "for_user") else queryset


class ScopedObjectMixin:
    """
    A view that takes an id finds its record among the user's own (`Model.objects.for_user`): another
    unit's record is a 404, whichever URL asks (edit, delete, inspect, history, usage, copy, and views of
    our own that override `get_object`).
    """

    def get_scoped_queryset(self):
        queryset = scoped(self.model._default_manager.all(), self.request.user)
        # A record owned through a many-to-many (a programme's units) would otherwise appear once per unit.
        return queryset.distinct()

    # Wagtail's BaseObjectMixin (history, history results, usage views).
    def get_base_object_queryset(self):
        return self.get_scoped_queryset()

    def get_object(self, *args, **kwargs):
        # Inspect and copy views look the id up on the model itself, and some of ours override the
        # lookup: whatever found the record, it must be one of the user's.
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not self.get_scoped_queryset().filter(pk=obj.pk).exists():
            raise Http404
        return obj


class ScopedRecordMixin(ScopedObjectMixin):
    """The scoping rule for views of one record (edit, delete, inspect, copy); their form's pickers of
    unit-owned records (units included) offer only the user's."""

    # Django's SingleObjectMixin (edit, delete views).
    def get_queryset(self):
        return self.get_scoped_queryset()

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        declared = getattr(type(form), "declared_fields", {})
        for name, field in form.fields.items():
            if isinstance(field, ModelChoiceField):
                if field.queryset.model is get_user_model():
                    # People: those of the user's units, unless the form chose them itself (an audit team
                    # is drawn from other units' auditors, for impartiality).
                    if name not in declared:
                        field.queryset = field.queryset.filter(pk__in=people_in_scope(self.request.user).values("pk"))
                else:
                    field.queryset = scoped(field.queryset, self.request.user)
        return form


class ServiceFormMixin:
    """Create/edit views whose save goes through a service: its ValidationError lands on the form."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


#: A second user saved the record after this user opened it (issue 11: no silent lost update).
MSG_EDIT_CONFLICT = _(
    "Someone else saved this record after you opened it (changed: %(fields)s). Your text is kept below: "
    "check it against the saved record and save again to keep yours."
)


def record_fingerprint(obj) -> dict[str, str]:
    """A short hash of each stored field of `obj`: what the editor saw when the form was opened."""
    values = {}
    for model_field in obj._meta.concrete_fields:
        if model_field.primary_key:
            continue
        raw = model_field.value_from_object(obj)
        values[model_field.name] = hashlib.sha256(repr(raw).encode()).hexdigest()[:12]
    return values


class EditConflictMixin:
    """
    Optimistic locking for edit screens of records without Wagtail's page locking: the form carries
    the fingerprint of the record as it was opened; a save whose record changed meanwhile is refused
    with the fields that changed, and the user's typed values stay on the form.
    """

    version_field = "qms_version"

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        form.fields[self.version_field] = CharField(
            widget=HiddenInput, required=False, initial=signing.dumps(record_fingerprint(self.object))
        )
        return form

    def is_valid(self, form):
        valid = super().is_valid(form)
        token = form.data.get(self.version_field)
        if not token:
            return valid
        try:
            seen = signing.loads(token)
        except signing.BadSignature:
            seen = {}
        current = record_fingerprint(type(self.object)._default_manager.get(pk=self.object.pk))
        changed = [name for name, value in current.items() if seen.get(name) != value]
        if not changed:
            return valid
        labels = ", ".join(str(self.model._meta.get_field(name).verbose_name) for name in changed)
        form.add_error(None, MSG_EDIT_CONFLICT % {"fields": labels})
        # The next save is made knowing the other user's changes.
        form.data = form.data.copy()
        form.data[self.version_field] = signing.dumps(current)
        self.produced_error_message = MSG_EDIT_CONFLICT % {"fields": labels}
        return False


class InspectDisplayMixin:
    """Record pages show a dash for an empty value, never "None" (times and dates: qms.core.display)."""

    def get_field_display_value(self, field_name=None, field=None):
        # Wagtail also calls this without arguments for a model field named "field" (see ProcedureInspectView).
        value = super().get_field_display_value(field_name, field)
        return EMPTY if value is None or value == "" else value


class ScopedListingMixin:
    """A listing of the records of the user's units only."""

    def get_base_queryset(self):
        return scoped(super().get_base_queryset(), self.request.user)


@functools.cache
def scoped_view_class(view_class):
    """`view_class` with the scoping rule mixed in (see `QmsModelViewSet`), and the house's conventions of
    edit and record pages; the same class for the same input."""
    if issubclass(view_class, IndexView):
        mixin = ScopedListingMixin
    elif issubclass(view_class, BaseListingView):  # history and usage: a list about one record
        mixin = ScopedObjectMixin
    else:
        mixin = ScopedRecordMixin
    extra = {EditView: (EditConflictMixin,), InspectView: (InspectDisplayMixin,), IndexView: (SafeSpreadsheetExportMixin, ListingWordsMixin)}
    mixins = [mixin, *(m for base, extra_mixins in extra.items() if issubclass(view_class, base) for m in extra_mixins)]
    mixins = [m for m in mixins if not issubclass(view_class, m)]
    if not mixins:
        return view_class
    return type(view_class.__name__, (*mixins, view_class), {"__module__": view_class.__module__})


class QmsModelViewSet(ModelViewSet):
    """
    The base of every model screen of the project. Each of its views (list, add, edit, delete, inspect,
    history, usage, copy and any a subclass adds through `construct_view`) applies the scoping rule of
    `ScopedObjectMixin`, so a new view is scoped without anyone remembering to. Wagtail's usage and copy
    views, which no screen of ours needs, are off; a viewset turns them on by setting the flags. Edit
    screens refuse a save over changes made since the form was opened (`EditConflictMixin`).
    """

    copy_view_enabled = False
    #: Wagtail's "usage" view (where the record is referenced); off unless a screen needs it.
    usage_view_enabled = False

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(scoped_view_class(view_class), **kwargs)

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        if not self.usage_view_enabled:
            view_kwargs["usage_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        return patterns if self.usage_view_enabled else [p for p in patterns if p.name != "usage"]


def _listed_value(instance, *, accessor: str):
    try:
        value = multigetattr(instance, accessor)
    except AttributeError:  # an empty relation on the way (Wagtail's Column shows nothing)
        value = None
    return display_value(value) if value is None or isinstance(value, bool) else value


class ListingWordsMixin:
    """A listing that speaks as the rest of the admin: yes/no and nothing in words in its columns, and a
    search that ignores diacritics ("xuan luong" finds "Xã Xuân Lương"). Mixed into every index view."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        # Every column built from `list_display` says yes/no and nothing as the record pages do ("Có",
        # "Không", a dash: qms.core.display), never "True", "False" or "None".
        column = super()._get_custom_column(field_name, column_class, **kwargs)
        accessor = column.accessor
        if isinstance(accessor, str):
            column.accessor = functools.partial(_listed_value, accessor=accessor)
        return column

    def search_queryset(self, queryset):
        if not self.is_searching or not self.search_fields or class_is_indexed(queryset.model):
            return super().search_queryset(queryset)  # indexed models: the folding search backend
        return folded_filter(queryset, self.search_fields, self.search_query)


class SafeIndexView(SafeSpreadsheetExportMixin, ListingWordsMixin, IndexView):
    """Wagtail's list whose "Download XLSX/CSV" never writes a live formula, with the house's words and
    search (`ListingWordsMixin`): the base of every index view."""


class ScopedIndexView(ScopedListingMixin, SafeIndexView):
    """A list of the records of the user's units only (the model's queryset has `.for_user`)."""

    #: Relations the list shows, fetched with the rows (one query, not one per row).
    select_related = ()

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
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


class UnitViewSet(QmsModelViewSet):
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


class IsoClauseViewSet(QmsModelViewSet):
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
        if policy_registry.get_by_type(AdministrativeProcedure).user_has_permission(self.request.user, "add"):
            buttons.append(HeaderButton(_("Import from file"), url=reverse("tthc:import"), icon_name="upload"))
        return buttons


class AdministrativeProcedureViewSet(QmsModelViewSet):
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


class MembershipViewSet(QmsModelViewSet):
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
