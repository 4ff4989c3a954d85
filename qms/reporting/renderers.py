"""
Biểu 06 as PDF (Decree 30 layout, A4 landscape, charts), XLSX (the official two-level header,
numbers as numbers, rates as percentages), CSV and JSON. The page and the command use these.
"""

from __future__ import annotations

import datetime
import io
import json

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from qms.core.exports import csv_writer
from qms.core.pdf import render_pdf
from qms.core.text import person_name
from qms.core.xlsx import FONT_NAME, INTEGER, PERCENT, set_cell
from qms.reporting import charts, engine
from qms.reporting.engine import COLUMN_LABELS, NUMBER_COLUMNS, Bieu06

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
FORM = "Biểu số 06/VPCP/KSTT"
GROUP_HEADER = {engine.GroupBy.UNIT: "Đơn vị", engine.GroupBy.FIELD: "Lĩnh vực", engine.GroupBy.PROCEDURE: "Thủ tục hành chính"}
INDICATOR_HEADERS = [
    ("on_time_rate", "Tỷ lệ giải quyết đúng hạn", PERCENT),
    ("online_rate", "Tỷ lệ tiếp nhận trực tuyến", PERCENT),
    ("avg_working_days", "Thời gian giải quyết trung bình (ngày làm việc)", "0.0"),
]
DASH = "–"


def fmt_rate(value) -> str:
    return DASH if value is None else f"{value * 100:.1f}%".replace(".", ",")


def fmt_days(value) -> str:
    return DASH if value is None else f"{value:.1f}".replace(".", ",")


def heading(report: Bieu06, issuer=None) -> dict:
    """Who issues the report (the chosen unit, else `issuer`), its parent, the place and the period line."""
    unit = report.units[0] if len(report.units) == 1 else issuer
    parent = unit.parent if unit is not None else None
    scope = ", ".join(u.name for u in report.units) if report.units else "Tất cả đơn vị"
    return {
        "issuer_parent": parent.authority_name if parent else "",
        "issuer": unit.authority_name if unit else "",
        "place": unit.place_name if unit else "",
        "date": timezone.localdate(),
        "title": TITLE,
        "form": FORM,
        "period_line": period_line(report),
        "scope_line": f"Đơn vị báo cáo: {scope}",
        "rollup_line": (f"Đơn vị đã sắp xếp được tính vào đơn vị kế thừa tại ngày {report.as_of:%d/%m/%Y}"
                        if report.as_of else ""),
    }


def period_line(report: Bieu06) -> str:
    """The period, and the day the counts are taken on when the period ends after it (DOMAIN.md)."""
    line = f"Kỳ báo cáo: từ ngày {report.period.date_from:%d/%m/%Y} đến ngày {report.period.date_to:%d/%m/%Y}"
    if report.counted_to and report.counted_to < report.period.date_to:
        line += f" (số liệu tính đến ngày {report.counted_to:%d/%m/%Y})"
    return line


def satisfaction_line(report: Bieu06) -> str:
    """The citizen-satisfaction indicator under the table (9.1.2); "–" when nobody answered."""
    s = report.satisfaction
    if s is None:
        return ""
    average = DASH if s.average_rating is None else f"{s.average_rating:.2f}".replace(".", ",")
    return (f"Mức độ hài lòng của người dân trong kỳ: {s.answers} ý kiến, tỷ lệ hài lòng {fmt_rate(s.rate)}, "
            f"điểm trung bình {average}/5, {s.complaints} phản ánh, kiến nghị.")


def display_rows(report: Bieu06) -> list[dict]:
    out = []
    for row in [*report.rows, report.totals]:
        out.append({
            **row,
            "on_time": fmt_rate(row["on_time_rate"]),
            "online": fmt_rate(row["online_rate"]),
            "days": fmt_days(row["avg_working_days"]),
            "numbers": [row[c] for c in NUMBER_COLUMNS],
        })
    return out


def chart_images(report: Bieu06, *, target: float | None = None) -> dict:
    trend = engine.monthly(report.period, report.unit_ids)
    by = GROUP_HEADER[report.group_by].lower()
    return {
        "chart_rows": charts.data_uri(charts.on_time_by_row(report.rows, title=f"Tỷ lệ giải quyết đúng hạn theo {by}", target=target)),
        "chart_trend": charts.data_uri(charts.monthly_trend(trend, title="Kết quả giải quyết theo tháng")),
    }


def pdf(report: Bieu06, *, user=None, issuer=None, images: dict | None = None) -> bytes:
    context = {
        **heading(report, issuer),
        "landscape": True,
        "report": report,
        "rows": display_rows(report),
        "satisfaction_line": satisfaction_line(report),
        "group_header": GROUP_HEADER[report.group_by],
        "images": images if images is not None else chart_images(report),
        "prepared_by": person_name(user) if user else "",
        "sign_authority": "TM. ỦY BAN NHÂN DÂN",
        "sign_title": "CHỦ TỊCH",
        "sign_name": "",
        "sign_seal": True,
    }
    return render_pdf("reporting/pdf/bieu06.html", context)


def csv_bytes(report: Bieu06) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([
        "(1) STT", f"(2) {GROUP_HEADER[report.group_by]}", "Mã",
        *[f"({n}) {group + ' – ' if group else ''}{label}" for n, label, group in COLUMN_LABELS.values()],
        *[label for _key, label, _fmt in INDICATOR_HEADERS],
    ])
    for row in [*report.rows, report.totals]:
        writer.writerow([
            row["stt"] or "", row["label"], row["code"], *[row[c] for c in NUMBER_COLUMNS],
            fmt_rate(row["on_time_rate"]), fmt_rate(row["online_rate"]), fmt_days(row["avg_working_days"]),
        ])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def json_bytes(report: Bieu06) -> bytes:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode("utf-8")


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def xlsx(report: Bieu06, *, issuer=None) -> bytes:
    """The official form: title block, a merged two-level header, the (1)…(14) numbering row, data, totals."""
    head = heading(report, issuer)
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 06"
    font = Font(name=FONT_NAME, size=11)
    bold = Font(name=FONT_NAME, size=11, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    last_col = 14 + len(INDICATOR_HEADERS)

    def put(row, col, value, *, style=font, align=None, border=True, fmt=None):
        cell = set_cell(ws, row, col, value)
        cell.font = style
        if align:
            cell.alignment = align
        if border:
            cell.border = _BOX
        if fmt:
            cell.number_format = fmt
        return cell

    put(1, 1, head["issuer_parent"].upper(), border=False)
    put(2, 1, head["issuer"].upper(), style=bold, border=False)
    put(1, last_col - 4, FORM, style=Font(name=FONT_NAME, size=11, italic=True), border=False)
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=last_col)
    put(4, 1, head["title"], style=Font(name=FONT_NAME, size=13, bold=True), align=center, border=False)
    for line_row, key in ((5, "period_line"), (6, "scope_line"), (7, "rollup_line")):
        ws.merge_cells(start_row=line_row, start_column=1, end_row=line_row, end_column=last_col)
        put(line_row, 1, head[key], style=Font(name=FONT_NAME, size=11, italic=True), align=center, border=False)

    top, sub, numbering = 9, 10, 11
    # Columns 1, 2, 14 and the indicators span both header rows; 3–6, 7–10, 11–13 have a group above.
    spans = [(1, "STT"), (2, GROUP_HEADER[report.group_by]), (14, "Rút hồ sơ")]
    for col, label in spans:
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        put(top, col, label, style=bold, align=center)
        put(sub, col, None)
    for first, last, label in ((3, 6, "Số hồ sơ nhận giải quyết"), (7, 10, "Số hồ sơ đã giải quyết"),
                               (11, 13, "Số hồ sơ đang giải quyết")):
        ws.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last)
        put(top, first, label, style=bold, align=center)
        for col in range(first + 1, last + 1):
            put(top, col, None)
    for number, label, group in COLUMN_LABELS.values():
        if group:
            put(sub, number, label, style=bold, align=center)
    for offset, (_key, label, _fmt) in enumerate(INDICATOR_HEADERS):
        col = 15 + offset
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        put(top, col, label, style=bold, align=center)
        put(sub, col, None)
    for col in range(1, last_col + 1):
        put(numbering, col, f"({col})" if col <= 14 else "", style=Font(name=FONT_NAME, size=10, italic=True), align=center)

    row_no = numbering
    for row in [*report.rows, report.totals]:
        row_no += 1
        is_total = row["stt"] is None
        style = bold if is_total else font
        put(row_no, 1, row["stt"], style=style, align=Alignment(horizontal="center"))
        put(row_no, 2, row["label"], style=style, align=Alignment(wrap_text=True))
        for key in NUMBER_COLUMNS:
            put(row_no, COLUMN_LABELS[key][0], row[key], style=style, fmt=INTEGER)
        for offset, (key, _label, fmt) in enumerate(INDICATOR_HEADERS):
            value = row[key]
            # A rate that cannot be computed is shown as "–", never as 0 % or 100 %.
            put(row_no, 15 + offset, DASH if value is None else value, style=style, fmt=fmt,
                align=Alignment(horizontal="center") if value is None else None)
    widths = {1: 6, 2: 34, **dict.fromkeys(range(3, 15), 11), 15: 14, 16: 14, 17: 16}
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[top].height = 32
    ws.row_dimensions[sub].height = 32
    ws.freeze_panes = ws.cell(row=numbering + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(report: Bieu06, ext: str) -> str:
    return f"bieu-06-{report.period.date_from:%Y%m%d}-{report.period.date_to:%Y%m%d}.{ext}"


def today() -> datetime.date:
    return timezone.localdate()
