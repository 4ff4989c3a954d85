"""Admin views of the QMS journey that are not plain listings: recording an announcement, issuing
review minutes, and the printed documents (announcement decision, review minutes)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views import View

from qms.core.models import Unit
from qms.core.pdf import render_pdf
from qms.core.printing import (
    COMMITTEE_SHORT,
    NUMBER_BLANK,
    WATERMARK_DRAFT,
    fit_columns,
    head_signature,
    issuing_body,
    signature,
)
from qms.core.text import person_name
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
    """The announcement decision (Quyết định công bố) with its annex: the TTHC list. Vietnamese whoever prints it."""
    announcement = _visible_or_403(ConformityAnnouncement.objects.select_related("unit", "unit__parent"), request.user, pk)
    with translation.override("vi"):
        body = issuing_body(units=[announcement.unit], on=announcement.announced_on)
        context = {
            "announcement": announcement,
            "unit": announcement.unit,
            "body": body,
            "number": announcement.decision_number,
            "procedures": announcement.scope.order_by("field", "code"),
            "date": announcement.announced_on,
            "evidence": announcement_evidence(announcement.unit, announcement.announced_on),
            # The chairman decides in his own name ("CHỦ TỊCH ỦY BAN NHÂN DÂN …" above "QUYẾT ĐỊNH:"), so no "TM.";
            # a deputy signs "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
            "signatures": [head_signature(body=body, signer_title=announcement.signer_title,
                                          name=announcement.signer_name, collective=False)],
            "recipients": [
                "Như Điều 3",
                "Sở Khoa học và Công nghệ (để báo cáo)",
                *([f"{COMMITTEE_SHORT} {body.parent.name[:1].lower()}{body.parent.name[1:]} (để báo cáo)"] if body.parent else []),
                "Lưu: VT",
            ],
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
    with translation.override("vi"):  # an official paper: Vietnamese whoever prints it
        inputs = review.inputs if review.is_issued else gather_review_inputs(review)
        sections = [{**section, "columns": _fitted_columns(section)} for section in inputs.get("sections", [])]
        secretary = _minutes_secretary(review)
        context = {
            "review": review,
            "unit": review.unit,
            "body": issuing_body(units=[review.unit], on=review.held_on),
            "number": f"{NUMBER_BLANK}/BB-UBND",
            "sections": sections,
            "actions": review.actions.select_related("owner"),
            "participants": [line for line in review.participants.splitlines() if line.strip()],
            "date": review.held_on,
            "draft": not review.is_issued,
            "page_banner": "" if review.is_issued else MINUTES_DRAFT,
            "watermark": "" if review.is_issued else WATERMARK_DRAFT,
            "signatures": [
                signature(title="Thư ký", name=person_name(secretary) if secretary else "", seal=False),
                signature(title="Chủ trì", name=person_name(review.chair) if review.chair else "", seal=False),
            ],
        }
        pdf = render_pdf("recognition/review_minutes_pdf.html", context)
    return file_response(pdf, f"bien-ban-xem-xet-{slugify(review.unit.code)}-{review.held_on:%Y%m%d}.pdf", "application/pdf")


#: On every page of minutes not yet issued.
MINUTES_DRAFT = "DỰ THẢO – biên bản chưa ban hành, số liệu được tổng hợp tại thời điểm in"


def _fitted_columns(section) -> list[tuple[str, int]]:
    """(header, width %) of a section's table, widened where a date or code would otherwise break."""
    headers, rows = section["headers"], section.get("rows") or []
    if not headers:
        return []
    widths = section.get("widths") or [100 / len(headers)] * len(headers)
    columns = [[header, *(row[i] for row in rows)] for i, header in enumerate(headers)]
    return list(zip(headers, fit_columns(widths, columns, frame_mm=MINUTES_FRAME_MM, size=10), strict=True))


#: The minutes' tables: the A4 portrait frame (templates/core/pdf/base.html).
MINUTES_FRAME_MM = 165


def _minutes_secretary(review):
    """Who took the minutes: the one who issued them (from the history), else the quality officer who last saved them."""
    rows = review.history.exclude(history_user=None).select_related("history_user").order_by("history_date")
    issued = rows.filter(minutes_issued_at__isnull=False).first()
    row = issued or rows.last()
    return row.history_user if row else None
