"""Admin views of the QMS journey that are not plain listings: recording an announcement, issuing
review minutes, and the printed documents (announcement decision, review minutes)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views import View

from qms.core.models import Unit
from qms.core.pdf import render_pdf
from qms.core.views import AdminPageMixin
from qms.core.xlsx import file_response
from recognition.forms import AnnouncementForm
from recognition.inputs import gather_review_inputs
from recognition.models import ConformityAnnouncement, ManagementReview
from recognition.readiness import announcement_evidence
from recognition.services import announcement_record, review_issue_minutes

MSG_ANNOUNCED = _("The announcement of %(unit)s was recorded.")
MSG_ISSUED = _("The minutes were issued: the inputs are frozen as they are now.")


def _visible_or_403(queryset, user, pk):
    obj = get_object_or_404(queryset, pk=pk)
    if not queryset.for_user(user).filter(pk=pk).exists():
        raise PermissionDenied
    return obj


class AnnouncementCreateView(AdminPageMixin, View):
    """Choose the unit, then record the announcement with its TTHC scope (quality officers)."""

    template_name = "recognition/announcement_form.html"
    page_title = _("Record a conformity announcement")
    header_icon = "success"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("announcements:index"), "label": _("Conformity announcements")}, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("recognition.add_conformityannouncement"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _unit(self, request):
        code = request.POST.get("unit") or request.GET.get("unit")
        units = Unit.objects.for_user(request.user)
        return units.filter(code=code).first() if code else None

    def get(self, request):
        unit = self._unit(request)
        return self._render(request, unit, AnnouncementForm(unit=unit) if unit else None)

    def post(self, request):
        unit = self._unit(request)
        if unit is None:
            raise PermissionDenied
        form = AnnouncementForm(request.POST, unit=unit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                announcement = announcement_record(
                    unit=unit, announced_on=data["announced_on"], decision_number=data["decision_number"],
                    signer_name=data["signer_name"], signer_title=data["signer_title"],
                    procedures=data["procedures"], scope_note=data["scope_note"],
                    gaps_confirmed=data["gaps_confirmed"], by=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, MSG_ANNOUNCED % {"unit": unit.name})
                return redirect("announcements:inspect", announcement.pk)
        return self._render(request, unit, form)

    def _render(self, request, unit, form):
        today = timezone.localdate()
        units = Unit.objects.for_user(request.user).in_force(today).exclude(kind__in=["office", "department"]).order_by("name")
        context = {**self.get_context_data(), "unit": unit, "form": form, "units": units}
        return render(request, self.template_name, context)


def announcement_pdf(request, pk: int):
    """The announcement decision (Quyết định công bố) with its annex: the TTHC list."""
    announcement = _visible_or_403(ConformityAnnouncement.objects.select_related("unit", "unit__parent"), request.user, pk)
    context = {
        "announcement": announcement,
        "unit": announcement.unit,
        "procedures": announcement.scope.order_by("field", "code"),
        "issuer_parent": announcement.unit.parent.authority_name if announcement.unit.parent else "",
        "issuer": announcement.unit.authority_name,
        "place": announcement.unit.place_name,
        "date": announcement.announced_on,
        "evidence": announcement_evidence(announcement.unit, announcement.announced_on),
    }
    pdf = render_pdf("recognition/announcement_pdf.html", context)
    return file_response(pdf, f"cong-bo-{slugify(announcement.unit.code)}-{announcement.announced_on:%Y%m%d}.pdf", "application/pdf")


def review_issue(request, pk: int):
    """POST: freeze the inputs and issue the minutes (quality officers)."""
    review = _visible_or_403(ManagementReview.objects.all(), request.user, pk)
    if request.method != "POST" or not request.user.has_perm("recognition.change_managementreview"):
        raise PermissionDenied
    try:
        review_issue_minutes(review=review, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, MSG_ISSUED)
    return redirect("reviews:inspect", review.pk)


def review_minutes_pdf(request, pk: int):
    """The minutes: meeting, inputs (frozen if issued, else as gathered now), outputs with owners and dates."""
    review = _visible_or_403(ManagementReview.objects.select_related("unit", "unit__parent", "chair"), request.user, pk)
    inputs = review.inputs if review.is_issued else gather_review_inputs(review)
    sections = [
        {**section, "columns": list(zip(section["headers"], section.get("widths") or [None] * len(section["headers"]), strict=True))}
        for section in inputs.get("sections", [])
    ]
    context = {
        "review": review,
        "unit": review.unit,
        "sections": sections,
        "actions": review.actions.select_related("owner"),
        "participants": [line for line in review.participants.splitlines() if line.strip()],
        "issuer_parent": review.unit.parent.authority_name if review.unit.parent else "",
        "issuer": review.unit.authority_name,
        "place": review.unit.place_name,
        "date": review.held_on,
        "draft": not review.is_issued,
    }
    pdf = render_pdf("recognition/review_minutes_pdf.html", context)
    return file_response(pdf, f"bien-ban-xem-xet-{slugify(review.unit.code)}-{review.held_on:%Y%m%d}.pdf", "application/pdf")
