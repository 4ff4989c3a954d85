"""
The printable audit report and nonconformity form (PDF, Decree 30 layout, Vietnamese) and the
nonconformity register (XLSX). Context builders only: rendering is qms.core.pdf / qms.core.xlsx.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone, translation
from django.utils.text import slugify
from unidecode import unidecode

from audits.models import Audit, AuditStatus, ChecklistResult, Finding, Nonconformity
from qms.core.models import IsoClause, Unit, UnitKind
from qms.core.pdf import render_pdf
from qms.core.printing import NUMBER_BLANK, WATERMARK_DRAFT, issuing_body, signature
from qms.core.text import person_name
from qms.core.xlsx import DATE, INTEGER, XlsxColumn, XlsxSheet, build_workbook


def _organiser(unit: Unit, on: datetime.date) -> Unit:
    """Who runs the audit of `unit`: its district while the district existed, else the unit itself."""
    parent = unit.parent
    if parent is not None and parent.kind == UnitKind.DISTRICT and parent.is_in_force(on):
        return parent
    return unit


#: Printed on every page of the report of an audit not yet closed.
DRAFT_AUDIT_REPORT = "DỰ THẢO – cuộc đánh giá chưa kết thúc, báo cáo chưa ban hành"


def ascii_filename(*parts: str, ext: str) -> str:
    return "-".join(slugify(unidecode(p)) for p in parts if p) + f".{ext}"


# --- Audit report ------------------------------------------------------------------------------


def audit_report_context(audit: Audit) -> dict:
    on = audit.actual_end or audit.actual_start or audit.planned_start
    body = issuing_body(units=[_organiser(audit.unit, on)], on=on)
    draft = audit.status in (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)
    items = list(audit.checklist.select_related("clause").order_by("position"))
    top_clauses = {c.pk: c for c in IsoClause.objects.filter(parent__isnull=True)}

    def top_of(clause: IsoClause) -> IsoClause:
        number = clause.number.split(".")[0]
        return next(c for c in top_clauses.values() if c.number == number)

    by_clause: dict[int, Counter] = {}
    for item in items:
        top = top_of(item.clause)
        by_clause.setdefault(top.pk, Counter())[item.result or "unanswered"] += 1
    summary = [
        {"clause": top_clauses[pk], "total": sum(c.values()), **{r: c.get(r, 0) for r in ChecklistResult.values}}
        for pk, c in sorted(by_clause.items(), key=lambda kv: top_clauses[kv[0]].sort_key)
    ]
    findings = list(audit.findings.select_related("clause", "nonconformity").order_by("pk"))
    lead = audit.lead_auditor
    return {
        "audit": audit,
        "body": body,
        "date": on,
        # Decree 30: a report has its number line; it is filled in by the office when issued.
        "number": f"{NUMBER_BLANK}/BC-{'UBND' if body.is_committee else 'ĐGNB'}",
        "page_banner": DRAFT_AUDIT_REPORT if draft else "",
        "watermark": WATERMARK_DRAFT if draft else "",
        "team": [{"name": person_name(u), "role": "lead" if u.pk == audit.lead_auditor_id else "member"} for u in audit.team()],
        "clauses": list(audit.clauses.order_by("sort_key")),
        "documents": list(audit.documents.order_by("title")),
        "items": items,
        "summary": summary,
        "results": ChecklistResult,
        "findings": findings,
        "finding_counts": list(Counter(f.get_kind_display() for f in findings).items()),
        "signatures": [
            signature(title="Đại diện đơn vị được đánh giá", seal=False),
            signature(title="Trưởng đoàn đánh giá", name=person_name(lead) if lead else "", seal=False),
        ],
    }


def audit_report_pdf(audit: Audit) -> bytes:
    """The report is a Vietnamese administrative document whatever the reader's language."""
    with translation.override("vi"):
        return render_pdf("audits/pdf/audit_report.html", audit_report_context(audit))


def audit_report_filename(audit: Audit) -> str:
    return ascii_filename("bao-cao-danh-gia-noi-bo", audit.unit.name, f"{audit.planned_start:%Y-%m}", ext="pdf")


# --- Nonconformity form ------------------------------------------------------------------------


def nonconformity_context(nc: Nonconformity) -> dict:
    body = issuing_body(units=[nc.unit], on=nc.detected_on)
    finding: Finding | None = nc.finding
    return {
        "nc": nc,
        "body": body,
        "date": nc.detected_on,
        "finding": finding,
        "audit": finding.audit if finding else None,
        "whys": nc.whys(),
        "actions": list(nc.actions.select_related("responsible").order_by("due_on", "pk")),
        "detected_by_name": person_name(nc.detected_by),
        "verified_by_name": person_name(nc.verified_by) if nc.verified_by_id else "",
        "signatures": [
            signature(title="Người phát hiện", name=person_name(nc.detected_by), seal=False),
            signature(title="Đại diện đơn vị", seal=False),
            signature(title="Người kiểm tra hiệu lực", name=person_name(nc.verified_by) if nc.verified_by_id else "", seal=False),
        ],
    }


def nonconformity_pdf(nc: Nonconformity) -> bytes:
    with translation.override("vi"):
        return render_pdf("audits/pdf/nonconformity.html", nonconformity_context(nc))


def nonconformity_filename(nc: Nonconformity) -> str:
    return ascii_filename("phieu", nc.reference, ext="pdf")


# --- Nonconformity register --------------------------------------------------------------------

REGISTER_COLUMNS = [
    XlsxColumn("STT", 6, INTEGER),
    XlsxColumn("Số phiếu", 14),
    XlsxColumn("Đơn vị", 22),
    XlsxColumn("Đơn vị gốc", 22),
    XlsxColumn("Nguồn", 18),
    XlsxColumn("Điều khoản", 10),
    XlsxColumn("Mức độ", 10),
    XlsxColumn("Mô tả", 50),
    XlsxColumn("Ngày phát hiện", 13, DATE),
    XlsxColumn("Người phát hiện", 20),
    XlsxColumn("Khắc phục tức thời", 35),
    XlsxColumn("Nguyên nhân", 45),
    XlsxColumn("Nhóm nguyên nhân", 22),
    XlsxColumn("Hành động khắc phục", 50),
    XlsxColumn("Hạn hoàn thành", 13, DATE),
    XlsxColumn("Trạng thái", 20),
    XlsxColumn("Quá hạn", 9),
    XlsxColumn("Ngày kiểm tra hiệu lực", 13, DATE),
    XlsxColumn("Kết quả kiểm tra", 14),
    XlsxColumn("Ngày đóng", 13, DATE),
]


def register_rows(ncs, today: datetime.date):
    for number, nc in enumerate(ncs, start=1):
        actions = "\n".join(
            f"- {a.description} ({person_name(a.responsible)}, hạn {a.due_on:%d/%m/%Y}"
            + (f", xong {a.done_on:%d/%m/%Y})" if a.done_on else ")")
            for a in nc.actions.all()
        )
        yield [
            number, nc.reference, nc.unit.name, nc.original_unit.name if nc.original_unit_id != nc.unit_id else "",
            nc.get_source_display(), nc.clause.number if nc.clause_id else "", nc.get_severity_display(), nc.description,
            nc.detected_on, person_name(nc.detected_by), nc.correction, " → ".join(nc.whys()), nc.get_cause_category_display(),
            actions, nc.due_on, nc.get_status_display(), "Có" if nc.is_overdue(today) else "",
            nc.verified_on, ("Có hiệu lực" if nc.effective else "Không hiệu lực") if nc.effective is not None else "",
            nc.closed_on,
        ]


def nonconformity_register_xlsx(ncs, *, title_lines: list[str], today: datetime.date | None = None) -> bytes:
    """The register as an official Vietnamese sheet (labels in Vietnamese whatever the reader's language)."""
    today = today or timezone.localdate()
    with translation.override("vi"):
        return _register(ncs, title_lines, today)


def _register(ncs, title_lines, today) -> bytes:
    ncs = ncs.select_related("unit", "original_unit", "clause", "detected_by").prefetch_related("actions__responsible")
    sheet = XlsxSheet(
        title="So theo doi KPH",
        columns=REGISTER_COLUMNS,
        rows=list(register_rows(ncs, today)),
        heading=["SỔ THEO DÕI SỰ KHÔNG PHÙ HỢP VÀ HÀNH ĐỘNG KHẮC PHỤC", *title_lines, f"Ngày lập: {today:%d/%m/%Y}"],
    )
    return build_workbook([sheet])
