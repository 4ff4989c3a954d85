"""
The site where staff read documents (not the admin): libraries, reading copies of the issue in
force and, for those who may, of past issues; printable PDFs; "Tôi đã đọc và hiểu"; the master
list (page, PDF, XLSX); search; the list of documents still to read. Every view needs a login
and checks what the user may read (`selectors.readable_documents`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from procedures_docs import selectors, services
from procedures_docs.models import ControlledDocumentPage, DocumentLibraryPage, DocumentType, IssuedRevision
from qms.core.params import next_url
from qms.core.pdf import render_pdf
from qms.core.printing import (
    WATERMARK_DRAFT,
    WATERMARK_OBSOLETE,
    head_signature,
    iso_header_height,
    issuing_body,
    issuing_body_for_user,
    signature,
)
from qms.core.roles import roles_of
from qms.core.text import fold, person_name
from qms.core.xlsx import DATE, XlsxColumn, XlsxSheet, xlsx_response

MSG_ACKNOWLEDGED = _("Recorded: you have read and understood %(code)s, revision %(number)s.")
PDF_CONTENT_TYPE = "application/pdf"
#: The stamp every reading copy carries, on screen and on each PDF page (Vietnamese on purpose: it is
#: part of the controlled document, like its title, not of the interface).
MARK_CONTROLLED = "BẢN KIỂM SOÁT"
MARK_OBSOLETE = "TÀI LIỆU LỖI THỜI"
MARK_DRAFT = "BẢN DỰ THẢO"


def guard(request, page) -> HttpResponse | None:
    """None when `request.user` may open `page`; a login redirect for visitors; 403 otherwise."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if isinstance(page, DocumentLibraryPage):
        if user.is_superuser or roles_of(user):
            return None
        raise PermissionDenied
    if not selectors.can_read(user, page):
        raise PermissionDenied
    return None


# --- libraries -----------------------------------------------------------------------------------

def library_index(request, library: DocumentLibraryPage):
    readable = selectors.readable_documents(request.user).descendant_of(library)
    documents = list(
        selectors.with_review_due(readable.exclude(doc_type=DocumentType.FORM)).order_by("path")
    )
    in_force = [d for d in documents if not d.is_obsolete]
    obsolete = [d for d in documents if d.is_obsolete]
    return library.render(request, context_overrides={"in_force": in_force, "obsolete": obsolete})


# --- reading copies --------------------------------------------------------------------------------

def _reading_context(request, page: ControlledDocumentPage, number: int | None):
    """What a reading copy shows: the content as issued, its header data, marking and amendment log."""
    is_preview = getattr(request, "is_preview", False)
    current = page.current_issue
    if is_preview:
        document, issue = page, None
    elif number is None or (current and number == current.number):
        document, issue = page, current
    else:
        if not selectors.can_read(request.user, page, number=number):
            raise PermissionDenied
        issue = IssuedRevision.objects.filter(document=page, number=number).select_related("revision").first()
        if issue is None:
            raise Http404
        document = issue.revision.as_object()
    live = ControlledDocumentPage.objects.get(pk=page.pk) if page.pk else page
    withdrawal = live.withdrawal_record
    superseded = issue is not None and current is not None and issue.number < current.number
    log = list(live.issues.filter(number__lte=issue.number)) if issue else list(live.issues.all())
    forms = list(ControlledDocumentPage.objects.child_of(live).live().filter(
            pk__in=selectors.readable_documents(request.user).values("pk")
        ).order_by("path")) if live.pk and not document.is_form else []
    # The issue that replaced this one is the next, not the one in force today (01 → 02, even when 03 is current).
    replaced_by = live.issues.filter(number__gt=issue.number).order_by("number").first() if superseded else None
    acknowledged = None
    if issue is not None and issue == current and request.user.is_authenticated:
        acknowledged = issue.acknowledgements.filter(user=request.user).first()
    return {
        "page": live,
        "document": document,
        "issue": issue,
        "current_issue": current,
        "is_preview": is_preview,
        "withdrawal": withdrawal,
        "superseded": superseded,
        "replaced_by": replaced_by,
        "obsolete": bool(withdrawal) or superseded,
        "marking": MARK_DRAFT if is_preview else MARK_OBSOLETE if (withdrawal or superseded) else MARK_CONTROLLED,
        "amendments": log,
        "forms": forms,
        "acknowledged": acknowledged,
        "can_acknowledge": bool(issue and issue == current and not withdrawal and not is_preview and acknowledged is None),
        "reads_history": request.user.is_superuser or selectors.reads_history(request.user),
        "can_manage": selectors.can_manage(request.user, live) if live.pk else False,
        "printed_at": timezone.localtime(),
        "printed_by": request.user,
    }


def document_read(request, page: ControlledDocumentPage, number: int | None = None):
    return page.render(request, context_overrides=_reading_context(request, page, number))


def pdf_filename(page, issue) -> str:
    suffix = f"-lan-{issue.number}" if issue else "-du-thao"
    return f"{slugify(fold(page.code))}{suffix}.pdf"


def page_banner(context) -> str:
    """What an obsolete or draft copy says at the top of EVERY page of its PDF."""
    if context["is_preview"]:
        return f"{MARK_DRAFT} – CHƯA ĐƯỢC PHÊ DUYỆT, KHÔNG CÓ GIÁ TRỊ ÁP DỤNG"
    if context["withdrawal"]:
        return f"{MARK_OBSOLETE} – KHÔNG SỬ DỤNG (hết hiệu lực từ ngày {context['withdrawal'].withdrawn_on:%d/%m/%Y})"
    if context["superseded"]:
        replaced_by = context["replaced_by"]
        return (f"{MARK_OBSOLETE} – KHÔNG SỬ DỤNG (đã được thay thế bởi lần ban hành {replaced_by.number:02d}, "
                f"hiệu lực từ ngày {replaced_by.effective_date:%d/%m/%Y})")
    return ""


def document_pdf(request, page: ControlledDocumentPage, number: int | None = None):
    context = _reading_context(request, page, number)
    document, issue = context["document"], context["issue"]
    on = issue.effective_date if issue else timezone.localdate()
    context["body"] = issuing_body(units=[page.owner_unit], on=on) if page.owner_unit_id else None
    context["page_banner"] = page_banner(context)
    context["watermark"] = (
        WATERMARK_DRAFT if context["is_preview"]
        else WATERMARK_OBSOLETE if context["withdrawal"] or context["superseded"] else ""
    )
    context["iso_header_mm"] = iso_header_height(document.title, pdf_rows=4)
    content = render_pdf("procedures_docs/pdf/document.html", context, request=request)
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(page, context["issue"])}"'
    return response


def document_acknowledge(request, page: ControlledDocumentPage):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        acknowledgement = services.document_acknowledge(page=page, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(page.url)
    messages.success(request, MSG_ACKNOWLEDGED % {"code": page.code, "number": acknowledgement.issue.number})
    return redirect(next_url(request, page.url))


# --- master list -------------------------------------------------------------------------------------

def master_list_context(request, *, library: DocumentLibraryPage | None):
    units = [library.unit] if library else None
    documents = list(selectors.master_list(units=units, user=request.user))
    owners = {}
    for document in documents:
        owners.setdefault(document.owner_unit, []).append(document)
    today = timezone.localdate()
    # Issued by the body in force today: the library's unit or its successor; the whole list by the
    # user's body (before 1/7/2025 the district, since then the commune that succeeded it by name).
    if library:
        body = issuing_body(units=[library.unit], on=today)
    else:
        body = issuing_body_for_user(request.user, on=today) or (
            issuing_body(units=list(owners), on=today) if owners else None
        )
    return {
        "library": library,
        "unit": library.unit if library else (body.unit if body else None),
        "body": body,
        "signatures": [
            signature(title="Người lập danh mục", name=person_name(request.user), seal=False),
            head_signature(body=body, signer_title="Chủ tịch", name="") if body else signature(title="Thủ trưởng đơn vị"),
        ],
        "groups": list(owners.items()),
        "documents": documents,
        "today": today,
        "printed_by": request.user,
    }


MASTER_LIST_COLUMNS = [
    XlsxColumn("TT", 6), XlsxColumn("Mã hiệu", 14), XlsxColumn("Tên tài liệu", 55), XlsxColumn("Loại tài liệu", 18),
    XlsxColumn("Lần ban hành", 10), XlsxColumn("Ngày hiệu lực", 13, DATE), XlsxColumn("Người phê duyệt", 24),
    XlsxColumn("Đơn vị sở hữu", 24),
]


def master_list_response(request, context, *, fmt: str, template: str):
    """The master list as a page (`template`), a PDF or an XLSX file."""
    slug = slugify(fold(context["unit"].name)) if context["unit"] else "toan-bo"
    if fmt == "pdf":
        # Seven columns read better across the page (Decree 30 allows landscape for wide tables).
        content = render_pdf("procedures_docs/pdf/master_list.html", {**context, "landscape": True}, request=request)
        response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="danh-muc-tai-lieu-{slug}.pdf"'
        return response
    if fmt == "xlsx":
        rows = [
            [index, d.code, d.title, d.get_doc_type_display(), d.issue_number, d.effective_date, d.approved_by_name, d.owner_unit.name]
            for index, d in enumerate(context["documents"], start=1)
        ]
        heading = ["DANH MỤC TÀI LIỆU NỘI BỘ", context["unit"].name if context["library"] else "Toàn bộ các đơn vị",
                   f"Ngày lập: {context['today']:%d/%m/%Y}"]
        return xlsx_response([XlsxSheet("Danh mục tài liệu", MASTER_LIST_COLUMNS, rows, heading)], f"danh-muc-tai-lieu-{slug}.xlsx")
    return render(request, template, context)


def master_list(request, *, library: DocumentLibraryPage | None, fmt: str):
    context = master_list_context(request, library=library)
    context["page"] = library
    return master_list_response(request, context, fmt=fmt, template="procedures_docs/master_list.html")


@login_required
def all_master_list(request, fmt: str = "html"):
    """The master list of every unit the user may read (the whole district)."""
    if not (request.user.is_superuser or roles_of(request.user)):
        raise PermissionDenied
    return master_list(request, library=None, fmt=fmt)


# --- search and documents to read -------------------------------------------------------------------

@login_required
def search(request):
    query = request.GET.get("q", "").strip()
    results = selectors.search_documents(request.user, query) if query else []
    return render(request, "procedures_docs/search.html", {"query": query, "results": results})


@login_required
def to_read(request):
    return render(request, "procedures_docs/to_read.html", {"pending": selectors.documents_to_read(request.user)})
