"""Admin views of citizen feedback that are not listings: the QR poster for the counter."""

import segno
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from qms.core.models import Unit
from qms.core.pdf import render_pdf
from qms.core.xlsx import file_response
from qms.feedback.models import FeedbackPage


def poster_pdf(request, page_id: int):
    """A4 poster with the survey's QR code, to print and stick at the unit's one-stop counter."""
    page = get_object_or_404(FeedbackPage, pk=page_id)
    if not Unit.objects.for_user(request.user).filter(pk=page.unit_id).exists():
        raise PermissionDenied
    url = request.build_absolute_uri(page.get_url(request))
    qr = segno.make(url, error="m").png_data_uri(scale=12, border=2)
    pdf = render_pdf("feedback/poster.html", {"page": page, "unit": page.unit, "url": url, "qr": qr,
                                               "today": timezone.localdate()})
    return file_response(pdf, f"ap-phich-khao-sat-{slugify(page.unit.code)}.pdf", "application/pdf")
