"""
Biểu 06 as PDF (Decree 30 layout, A4 landscape, charts), XLSX (the official two-level header,
numbers as numbers, rates as percentages), CSV and JSON. The page and the command use these.
"""

from __future__ import annotations

import datetime
import io
import json

from django.utils import timezone
from django.utils.text import capfirst
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from qms.core.exports import csv_content
from qms.core.models import Unit, UnitKind
from qms.core.pdf import render_pdf
from qms.core.printing import (
    COMMITTEE_KINDS,
    NBSP,
    IssuingBody,
    NoIssuingBody,
    head_signature,
    issuing_body,
    signature,
    signature_lines,
)
from qms.core.templatetags.qms_tags import place_date, vn_date
from qms.core.text import person_name
from qms.core.xlsx import FONT_NAME, INTEGER, PERCENT, print_setup, set_cell
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


def heading(report: Bieu06, issuer=None, *, on: datetime.date | None = None) -> dict:
    """
    Who issues the report and where (`qms.core.printing.issuing_body`: the body in force on the report's
    date, `on`, today by default, for the chosen units; `issuer`, the user's body, when none or several
    were chosen), and the title, period and scope lines.
    """
    on = on or timezone.localdate()
    body = issuing_body_of(report.units, issuer=issuer, on=on, unit_ids=report.unit_ids)
    if report.units:
        scope = ", ".join(u.name for u in report.units)
    elif report.unit_ids is None:
        scope = "Tất cả đơn vị"
    else:
        scope = ", ".join(u.name for u in scope_units(report.unit_ids, report.period.date_to))
    return {
        "body": body,
        "issuer_parent": body.parent_name.replace(NBSP, " ") if body else "",
        "issuer": body.name if body else "",
        "place": body.place if body else "",
        "date": on,
        "title": TITLE,
        "form": FORM,
        "period_line": period_line(report),
        "scope_line": f"Đơn vị báo cáo: {scope}",
        "rollup_line": (f"Đơn vị đã sắp xếp được tính vào đơn vị kế thừa tại ngày {report.as_of:%d/%m/%Y}"
                        if report.as_of else ""),
    }


def issuing_body_of(units, *, issuer: Unit | None, on: datetime.date, unit_ids=None) -> IssuingBody | None:
    """
    The rule for a report on `units` (the chosen ones; none: the user's): `issuer` (the user's pick, or
    their body, `views.issuer_for`) when it covers them, else the body in force for them. The page's
    "Issuing body" field offers this as its default.
    """
    units = list(units) or ([issuer] if issuer is not None else []) or _committees(unit_ids)
    try:
        return issuing_body(units=units, on=on, choice=issuer)
    except NoIssuingBody:
        return None


def _committees(unit_ids) -> list[Unit]:
    """Every committee (province aside) in a report's scope: what speaks for "all units"."""
    units = Unit.objects.filter(kind__in=COMMITTEE_KINDS).exclude(kind=UnitKind.PROVINCE).select_related("parent")
    return list(units if unit_ids is None else units.filter(pk__in=unit_ids))


def scope_units(unit_ids, on: datetime.date) -> list[Unit]:
    """The highest units of a report's scope that were in force at the period's end (not their offices)."""
    units = list(Unit.objects.filter(pk__in=unit_ids, kind__in=COMMITTEE_KINDS).select_related("parent"))
    live = [u for u in units if u.is_in_force(on)] or units
    ids = {u.pk for u in live}
    return sorted((u for u in live if u.parent_id not in ids), key=lambda u: u.name)
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


def chart_images(report: Bieu06) -> dict:
    """The monthly trend as an image (page and PDF); the page draws the bars by row itself (`on_time_bars`)."""
    trend = engine.monthly(report.period, report.unit_ids)
    return {"chart_trend": charts.data_uri(charts.monthly_trend(trend, title="Kết quả giải quyết theo tháng"))}


def on_time_bars(report: Bieu06) -> dict:
    """
    The page's bars of the on-time rate by row, drawn in HTML: a province's 200 units would make a PNG of
    6,000 pixels and a second of matplotlib per view. Same rows and axis as the PDF's chart (`charts`): rows
    without a resolved dossier left out, the axis from 5 points below the lowest rate (at most 80 %) to 100 %.
    """
    measured = [r for r in report.rows if r["on_time_rate"] is not None]
    low = max(0.0, min(0.8, min((r["on_time_rate"] for r in measured), default=0.8) - 0.05))
    labels = charts.bar_labels(measured)
    return {
        "axis_from": fmt_rate(low),
        "bars": [
            {"label": label, "rate": fmt_rate(r["on_time_rate"]),
             "width": f"{max(0.0, (min(r['on_time_rate'], 1.0) - low) / (1.0 - low)) * 100:.1f}"}
            for label, r in zip(labels, measured, strict=True)
        ],
    }


def signatures(body: IssuingBody | None, *, user=None) -> list[dict]:
    """
    The blocks under the table, for the PDF and the XLSX alike (`qms.core.printing.signature`): who
    prepared it on the left, the head of the issuing body on the right.
    """
    return [
        signature(title="Người lập biểu", name=person_name(user) if user else "", seal=False),
        head_signature(body=body, signer_title="Chủ tịch", name="") if body else signature(title="Thủ trưởng đơn vị"),
    ]


def pdf(report: Bieu06, *, user=None, issuer=None, images: dict | None = None) -> bytes:
    by = GROUP_HEADER[report.group_by].lower()
    images = images if images is not None else chart_images(report)
    row_charts = charts.on_time_by_row_pages(report.rows, title=f"Tỷ lệ giải quyết đúng hạn theo {by}")
    context = {
        **heading(report, issuer),
        "landscape": True,
        "report": report,
        "rows": display_rows(report),
        "satisfaction_line": satisfaction_line(report),
        "group_header": GROUP_HEADER[report.group_by],
        "images": images,
        "row_charts": [charts.data_uri(png) for png in row_charts],
    }
    body = context["body"]
    if body is None:
        raise NoIssuingBody("Biểu 06 has no unit in force to be issued by")
    context["signatures"] = signatures(body, user=user)
    return render_pdf("reporting/pdf/bieu06.html", context)


def csv_bytes(report: Bieu06) -> bytes:
    """
    The table as data for a Vietnamese-locale Excel (`qms.core.exports.csv_content`: BOM, ";", decimal
    comma): one header row, every figure a number (rates in per cent, "95,3"), empty where a rate cannot
    be computed.
    """
    header = [
        "(1) STT", f"(2) {GROUP_HEADER[report.group_by]}", "Mã",
        *[f"({n}) {group + ' – ' if group else ''}{label}" for n, label, group in COLUMN_LABELS.values()],
        *[label + (" (%)" if fmt == PERCENT else "") for _key, label, fmt in INDICATOR_HEADERS],
    ]
    rows = [header]
    for row in [*report.rows, report.totals]:
        rows.append([
            row["stt"] or "", row["label"], row["code"], *[row[c] for c in NUMBER_COLUMNS],
            *[_csv_figure(row[key], fmt) for key, _label, fmt in INDICATOR_HEADERS],
        ])
    return csv_content(rows)


def _csv_figure(value, fmt):
    """A rate in per cent or a number of days, to one decimal as on the page; "" when it cannot be computed."""
    if value is None:
        return ""
    return round(value * 100 if fmt == PERCENT else value, 1)


def json_bytes(report: Bieu06) -> bytes:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode("utf-8")


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


NOTE = ("Ghi chú: (3) = (4) + (5) + (6) = (7) + (11) + (14); (7) = (8) + (9) + (10); (11) = (12) + (13). "
        "Tỷ lệ đúng hạn = ((8) + (9)) / (7); tỷ lệ trực tuyến = (4) / ((4) + (5)); thời gian giải quyết trung bình "
        "tính theo ngày làm việc. \"–\": không có hồ sơ để tính.")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def place_date_line(place: str, date: datetime.date) -> str:
    """ "Yên Thế, ngày 30 tháng 11 năm 2026"; without a place, the date alone (never ", ngày …")."""
    return place_date(place, date) if place else capfirst(vn_date(date))


def xlsx(report: Bieu06, *, issuer=None, user=None) -> bytes:
    """
    The official form, printable as it is: the Decree 30 heading (issuing body, motto, place and date),
    the title and period, the merged two-level header with its (1)…(14) numbering row repeated on every
    printed page, the rows and totals, the note, and the signature block; A4 landscape, one page wide.
    """
    head = heading(report, issuer)
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 06"
    font = Font(name=FONT_NAME, size=11)
    bold = Font(name=FONT_NAME, size=11, bold=True)
    italic = Font(name=FONT_NAME, size=11, italic=True)
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

    def line(row, first, last, value, *, style=font, height=None):
        """A line of text centred across columns `first`…`last` (merged), no border."""
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        put(row, first, value, style=style, align=center, border=False)
        if height:
            ws.row_dimensions[row].height = height

    # Decree 30 heading: the body on the left (its parent above it), the motto and place-date on the right.
    left, right = (1, 5), (10, last_col)
    line(1, *left, head["issuer_parent"].upper())
    line(2, *left, head["issuer"].upper(), style=bold)
    line(3, *left, "———————")
    line(1, *right, MOTTO[0], style=bold)
    line(2, *right, MOTTO[1], style=Font(name=FONT_NAME, size=12, bold=True, underline="single"))
    line(3, *right, place_date_line(head["place"], head["date"]), style=italic)
    ws.merge_cells(start_row=4, start_column=right[0], end_row=4, end_column=right[1])
    put(4, right[0], FORM, style=italic, align=Alignment(horizontal="right"), border=False)
    line(5, 1, last_col, head["title"], style=Font(name=FONT_NAME, size=13, bold=True), height=20)
    for line_row, key in ((6, "period_line"), (7, "scope_line"), (8, "rollup_line")):
        line(line_row, 1, last_col, head[key], style=italic)

    top, sub, numbering = 10, 11, 12
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
        put(row_no, 1, row["stt"], style=style, align=Alignment(horizontal="center", vertical="top"))
        put(row_no, 2, row["label"], style=style, align=Alignment(wrap_text=True, vertical="top"))
        for key in NUMBER_COLUMNS:
            put(row_no, COLUMN_LABELS[key][0], row[key], style=style, fmt=INTEGER)
        for offset, (key, _label, fmt) in enumerate(INDICATOR_HEADERS):
            value = row[key]
            # A rate that cannot be computed is shown as "–", never as 0 % or 100 %.
            put(row_no, 15 + offset, DASH if value is None else value, style=style, fmt=fmt,
                align=Alignment(horizontal="center") if value is None else None)

    row_no += 2
    line(row_no, 1, last_col, NOTE, style=Font(name=FONT_NAME, size=10, italic=True), height=28)
    ws.cell(row=row_no, column=1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    if satisfaction := satisfaction_line(report):
        row_no += 1
        line(row_no, 1, last_col, satisfaction, style=Font(name=FONT_NAME, size=10))
        ws.cell(row=row_no, column=1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)

    # Signature blocks, the PDF's own (`signatures`): the preparer on the left, the body's head on the right,
    # each top-aligned as in the PDF's table, the hint in italics, room to sign and seal, the name in bold.
    row_no += 2
    for (first, last), block in zip(((1, 6), (10, last_col)), signatures(head["body"], user=user), strict=True):
        for offset, text in enumerate(signature_lines(block)):
            line(row_no + offset, first, last, text, style=italic if text == block["hint"] else bold)
        line(row_no + 7, first, last, block["name"], style=bold)
    for blank in range(row_no + 3, row_no + 7):
        ws.row_dimensions[blank].height = 18
    last_row = row_no + 7

    # Narrow figure columns (their labels wrap) keep the scale of "one page wide" near 80 %, not 60 %.
    widths = {1: 5, 2: 28, **dict.fromkeys(range(3, 15), 8), 15: 11, 16: 11, 17: 11}
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[top].height = 45
    ws.row_dimensions[sub].height = 45
    ws.freeze_panes = ws.cell(row=numbering + 1, column=3)
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    print_setup(ws, title_rows=f"{top}:{numbering}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(report: Bieu06, ext: str) -> str:
    return f"bieu-06-{report.period.date_from:%Y%m%d}-{report.period.date_to:%Y%m%d}.{ext}"


def today() -> datetime.date:
    return timezone.localdate()
