"""Admin views of the shared domain that are not plain model listings."""


from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from qms.core.forms import ImportFileForm
from qms.core.guide import IMAGES, guide_html
from qms.core.models import AdministrativeProcedure, Unit, UnitSuccession
from qms.core.params import date_param
from qms.core.services import CATALOGUE_COLUMNS, procedure_catalogue_import
from qms.core.tabular import TableError


class AdminPageMixin(WagtailAdminTemplateMixin):
    """A stand-alone admin page (not a model listing): Wagtail's header with the title as the only breadcrumb."""

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": self.get_page_title()}]


class PermissionRequiredMixin:
    """Deny (403) unless the user has `permission_required`."""

    permission_required = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UnitTreeView(PermissionRequiredMixin, AdminPageMixin, TemplateView):
    """The unit tree with validity, successors and QMS status; `?on=YYYY-MM-DD` shows only units in force then."""

    permission_required = "core.view_unit"
    template_name = "core/unit_tree.html"
    page_title = _("Unit tree")
    header_icon = "site"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = date_param(self.request, "on", None)
        today = timezone.localdate()
        units = list(Unit.objects.order_by("code"))
        if on:
            units = [u for u in units if u.is_in_force(on)]
        successions = UnitSuccession.objects.select_related("successor", "predecessor")
        successors, predecessors = {}, {}
        for s in successions:
            successors.setdefault(s.predecessor_id, []).append(s)
            predecessors.setdefault(s.successor_id, []).append(s)
        statuses = {}
        for unit in units:
            statuses[unit.pk] = unit.qms_status_on(on or today)
        by_parent: dict[int | None, list[Unit]] = {}
        ids = {u.pk for u in units}
        for unit in units:
            parent = unit.parent_id if unit.parent_id in ids else None
            by_parent.setdefault(parent, []).append(unit)

        rows = []

        def walk(parent_id, depth):
            for unit in sorted(by_parent.get(parent_id, []), key=lambda u: (u.kind != "township", u.name)):
                rows.append({
                    "unit": unit,
                    "depth": depth,
                    "indent": depth * 2,
                    "in_force": unit.is_in_force(on or today),
                    "successors": successors.get(unit.pk, []),
                    "predecessors": predecessors.get(unit.pk, []),
                    "status": statuses[unit.pk],
                })
                walk(unit.pk, depth + 1)

        walk(None, 0)
        context.update(rows=rows, on=on, today=today)
        return context


class ProcedureImportView(PermissionRequiredMixin, AdminPageMixin, TemplateView):
    """Upload a TTHC catalogue file: every row checked, nothing written unless all rows are valid."""

    permission_required = "core.add_administrativeprocedure"
    template_name = "core/procedure_import.html"
    page_title = _("Import the TTHC catalogue")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        # The catalogue is district-wide: its permission policy (DistrictCataloguePolicy) decides, not the bare permission.
        if not policy_registry.get_by_type(AdministrativeProcedure).user_has_permission(request.user, "add"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportFileForm())
        context["columns"] = CATALOGUE_COLUMNS
        return context

    def post(self, request, *args, **kwargs):
        form = ImportFileForm(request.POST, request.FILES)
        context = {"form": form}
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                context["report"] = procedure_catalogue_import(
                    file=upload, filename=upload.name, by=request.user, dry_run=form.cleaned_data["dry_run"]
                )
                context["dry_run"] = form.cleaned_data["dry_run"]
            except TableError as exc:
                form.add_error("file", str(exc))
        return render(request, self.template_name, self.get_context_data(**context))


class UserGuideView(AdminPageMixin, TemplateView):
    """The Vietnamese user guide (docs/user-guide.md), from the admin's help menu; every user may read it."""

    template_name = "core/user_guide.html"
    header_icon = "help"

    def get_page_title(self):
        return guide_html()[0]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "guide": guide_html()[1]}


class UserGuideImageView(View):
    """
    A screenshot of the user guide (docs/img/guide/<name>.png), for signed-in admin users like the guide
    itself (Wagtail's admin URLs require access to the admin). The files are part of the code, not uploads:
    they are read from the repository, not the media folder.
    """

    def get(self, request, name):
        path = IMAGES / f"{name}.png"  # the URL pattern allows only [a-z0-9-] in `name`
        if not path.is_file():
            raise Http404
        return FileResponse(path.open("rb"), content_type="image/png")
