"""Competence screens that are not model listings: the matrix (page and XLSX), the certificate file,
the withdrawal of a training record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from qms.competence import services
from qms.competence.forms import WithdrawForm
from qms.competence.models import TrainingRecord
from qms.competence.selectors import EXPIRING, MET, MISSING, competence_matrix, expiring_days
from qms.core.files import serve_file
from qms.core.forms import add_service_errors
from qms.core.models import Unit, UnitKind
from qms.core.params import date_param, parse_int
from qms.core.text import person_name
from qms.core.views import AdminPageMixin, PermissionRequiredMixin
from qms.core.xlsx import XlsxColumn, XlsxSheet, xlsx_response

MSG_WITHDRAWN = _("The training record was withdrawn; it no longer counts from %(day)s.")


def matrix_units(user):
    """Units whose matrix the user may see: theirs, without provinces and the offices inside a unit."""
    return (
        Unit.objects.for_user(user).exclude(kind__in=[UnitKind.PROVINCE, UnitKind.OFFICE, UnitKind.DEPARTMENT])
        .order_by("-valid_from", "kind", "name")
    )


class MatrixView(PermissionRequiredMixin, AdminPageMixin, TemplateView):
    """People × requirements of one unit of the user's: met, expiring (within QMS_COMPETENCE_EXPIRING_DAYS) or
    missing on a day (`?unit=<id>&on=YYYY-MM-DD`); `?format=xlsx` downloads it."""

    permission_required = "competence.view_trainingrecord"
    template_name = "competence/matrix.html"
    page_title = _("Competence matrix")
    header_icon = "user"

    def get(self, request, *args, **kwargs):
        units = list(matrix_units(request.user))
        wanted = parse_int(request.GET.get("unit") or "", minimum=1)
        unit = next((u for u in units if u.pk == wanted), None) if wanted else (units[0] if units else None)
        if wanted and unit is None:
            raise PermissionDenied  # another unit's matrix, or none
        self.units, self.unit = units, unit
        self.on = date_param(request, "on", timezone.localdate())
        self.matrix = competence_matrix(unit, self.on) if unit else None
        if request.GET.get("format") == "xlsx" and self.matrix:
            return matrix_xlsx(self.matrix)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        matrix = self.matrix
        rows = []
        if matrix:
            for row in matrix.rows:
                rows.append({"row": row, "cells": matrix.cells_of(row)})
        context.update({
            "units": self.units, "unit": self.unit, "on": self.on, "matrix": matrix, "rows": rows,
            "days": expiring_days(), "MET": MET, "EXPIRING": EXPIRING, "MISSING": MISSING,
            "records_url": reverse("trainingrecords:index"),
        })
        return context


def cell_text(cell) -> str:
    if cell is None:
        return ""
    text = cell.label
    if cell.expires_on:
        text += " (" + str(_("until %(day)s") % {"day": f"{cell.expires_on:%d/%m/%Y}"}) + ")"
    if cell.total:
        text += " (" + str(_("%(read)s of %(total)s procedures read") % {"read": cell.read, "total": cell.total}) + ")"
    return text


def matrix_xlsx(matrix):
    columns = [XlsxColumn(str(_("Person")), 28), XlsxColumn(str(_("Position")), 24), XlsxColumn(str(_("Roles")), 28)]
    columns += [XlsxColumn(r.name, None) for r in matrix.requirements]
    rows = [
        [person_name(row.person), row.position, ", ".join(row.roles), *(cell_text(c) for c in matrix.cells_of(row))]
        for row in matrix.rows
    ]
    heading = [
        str(_("Competence matrix")) + " – " + matrix.unit.name,
        str(_("On %(day)s; expiring: valid for %(days)s days or fewer.") % {"day": f"{matrix.on:%d/%m/%Y}", "days": expiring_days()}),
    ]
    sheet = XlsxSheet(title=str(_("Competence matrix")), columns=columns, rows=rows, heading=heading)
    return xlsx_response([sheet], f"ma-tran-nang-luc-{matrix.unit.code or matrix.unit.pk}-{matrix.on:%Y%m%d}.xlsx")


class CertificateView(View):
    """The certificate file of a training record, to users whose units cover the record's unit (the only
    way out for it: nothing under MEDIA_ROOT is published)."""

    http_method_names = ["get"]

    def get(self, request, pk):
        if not request.user.has_perm("competence.view_trainingrecord"):
            raise PermissionDenied
        record = get_object_or_404(TrainingRecord.objects.for_user(request.user), pk=pk)
        return serve_file(request, record.certificate, record.certificate_name)


class WithdrawView(PermissionRequiredMixin, AdminPageMixin, FormView):
    """Withdraw a training record (kept, no longer counting)."""

    permission_required = "competence.change_trainingrecord"
    template_name = "competence/withdraw.html"
    form_class = WithdrawForm
    page_title = _("Withdraw a training record")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        self.record = get_object_or_404(TrainingRecord.objects.for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"on": timezone.localdate()}

    def form_valid(self, form):
        try:
            services.training_record_withdraw(
                record=self.record, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"], by=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, MSG_WITHDRAWN % {"day": f"{self.record.withdrawn_on:%d/%m/%Y}"})
        return redirect("trainingrecords:inspect", self.record.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)
