"""The printed register of risks and opportunities (PDF, Decree 30 layout, with the heat map) and its
spreadsheet (XLSX). Context builders only: rendering is qms.core.pdf / qms.core.xlsx."""

from __future__ import annotations

import datetime

from django.utils import translation

from qms.core.pdf import render_pdf
from qms.core.printing import NUMBER_BLANK, issuing_body, signature
from qms.core.text import person_name
from qms.core.xlsx import DATE, INTEGER, XlsxColumn, XlsxSheet, build_workbook

from .models import RiskLevel, risk_scale, risk_thresholds
from .selectors import heat_map

#: Cell colours of the heat map by level, on screen and on paper.
LEVEL_COLOURS = {RiskLevel.LOW: "#c8e6c9", RiskLevel.MEDIUM: "#ffe082", RiskLevel.HIGH: "#ef9a9a"}


def _rows(risks):
    return risks.select_related("unit", "procedure", "owner", "context_issue", "interested_party", "nonconformity").prefetch_related(
        "actions__owner"
    )


def register_context(*, risks, units, on: datetime.date) -> dict:
    """One register per unit (`sections`), each under the heading of the body in force for that unit on `on`:
    a register is a unit's own paper, signed by its leader, so several communes printed at once give several
    registers, never one headed by the first of them."""
    risks = list(_rows(risks).order_by("unit__name", "-assessed_on", "pk"))
    medium, high = risk_thresholds()
    sections = [
        {"unit": unit, "body": issuing_body(units=[unit], on=on), "risks": mine, "heat_map": heat_map_rows(mine)}
        for unit in units
        for mine in [[r for r in risks if r.unit_id == unit.pk]]
    ]
    return {
        "sections": sections,
        "colours": {str(k): v for k, v in LEVEL_COLOURS.items()},
        "thresholds": {"medium": medium, "high": high},
        "scale": risk_scale(),
        "date": on,
        "number": f"{NUMBER_BLANK}/DM-UBND",
        "landscape": True,
        "signatures": [
            signature(title="Người lập", seal=False),
            signature(title="Lãnh đạo đơn vị", seal=False),
        ],
    }


def heat_map_rows(risks) -> list[list[dict]]:
    """The heat map of a list of risks (already fetched), with colours: for the template."""
    from .models import Risk

    ids = [r.pk for r in risks]
    return [
        [{"count": cell.count, "score": cell.score, "colour": LEVEL_COLOURS[cell.level], "likelihood": cell.likelihood,
          "impact": cell.impact} for cell in row]
        for row in heat_map(Risk.objects.filter(pk__in=ids))
    ]


def register_pdf(*, risks, units, on: datetime.date) -> bytes:
    """The register is an administrative paper: Vietnamese whatever the reader's language."""
    with translation.override("vi"):
        return render_pdf("risks/pdf/register.html", register_context(risks=risks, units=units, on=on))


REGISTER_COLUMNS = [
    XlsxColumn("STT", 6, INTEGER),
    XlsxColumn("Đơn vị", 22),
    XlsxColumn("Loại", 10),
    XlsxColumn("Rủi ro / cơ hội", 40),
    XlsxColumn("TTHC / quá trình", 30),
    XlsxColumn("Nguồn", 30),
    XlsxColumn("Khả năng", 9, INTEGER),
    XlsxColumn("Mức độ ảnh hưởng", 10, INTEGER),
    XlsxColumn("Điểm", 8, INTEGER),
    XlsxColumn("Mức", 10),
    XlsxColumn("Người phụ trách", 20),
    XlsxColumn("Xử lý", 12),
    XlsxColumn("Biện pháp", 50),
    XlsxColumn("Điểm còn lại", 9, INTEGER),
    XlsxColumn("Ngày đánh giá", 13, DATE),
    XlsxColumn("Xem xét lại", 13, DATE),
    XlsxColumn("Trạng thái", 12),
    XlsxColumn("Cảnh báo", 22),
]


def _actions_text(risk) -> str:
    lines = []
    for action in risk.actions.all():
        state = f"xong {action.done_on:%d/%m/%Y}" if action.done_on else f"hạn {action.due_on:%d/%m/%Y}"
        if action.effective is not None:
            state += ", có hiệu lực" if action.effective else ", không hiệu lực"
        lines.append(f"- {action.description} ({person_name(action.owner)}, {state})")
    return "\n".join(lines)


def register_xlsx(*, risks, title_lines: list[str], on: datetime.date) -> bytes:
    with translation.override("vi"):
        rows = []
        for number, risk in enumerate(_rows(risks).order_by("unit__name", "-assessed_on", "pk"), start=1):
            target = risk.procedure.name if risk.procedure_id else risk.process
            rows.append([
                number, risk.unit.name, risk.get_kind_display(), risk.title, target, risk.source_label,
                risk.likelihood, risk.impact, risk.score, str(risk.level.label), person_name(risk.owner),
                risk.get_treatment_display(), _actions_text(risk), risk.residual_score, risk.assessed_on,
                risk.next_review_on, risk.get_status_display(),
                "Rủi ro cao chưa có biện pháp" if risk.is_flagged else "",
            ])
        sheet = XlsxSheet(
            title="Danh mục rủi ro",
            columns=REGISTER_COLUMNS,
            rows=rows,
            heading=["DANH MỤC RỦI RO VÀ CƠ HỘI", *title_lines, f"Ngày lập: {on:%d/%m/%Y}"],
        )
        return build_workbook([sheet])
