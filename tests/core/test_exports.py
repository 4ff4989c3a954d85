"""Spreadsheet and CSV cells made safe (qms.core.exports): the rule, the workbook helper, and that
every Wagtail list export the admin serves goes through it."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from qms.core.exports import SafeSpreadsheetExportMixin, csv_writer, safe_cell
from qms.core.xlsx import XlsxColumn, XlsxSheet, build_workbook
from tests.spreadsheets import PAYLOADS, assert_csv_inert, assert_xlsx_inert


@pytest.mark.parametrize("value", [*PAYLOADS, "\tcmd", "\r=1", "-", "=", gettext_lazy("=1")])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(value):
    assert safe_cell(value) == "'" + str(value)


@pytest.mark.parametrize("value", ["Xã Bố Hạ", "", "a=b", " =1", -5, 3.5, Decimal("-1.5"), datetime.date(2026, 1, 2), None, True])
def test_anything_else_is_left_as_it_is(value):
    assert safe_cell(value) == value


def test_csv_writer_marks_text_and_keeps_numbers():
    out = io.StringIO()
    csv_writer(out).writerows([["=1+1", -5, "-2+3", "Hoa"]])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+1", "-5", "'-2+3", "Hoa"]


def test_workbooks_write_text_as_text_and_numbers_as_numbers():
    rows = [[payload, -5, datetime.date(2026, 1, 2)] for payload in PAYLOADS]
    content = build_workbook([XlsxSheet("T", [XlsxColumn("=Tiêu đề"), XlsxColumn("Số"), XlsxColumn("Ngày")], rows, ["@Dòng đầu"])])
    assert_xlsx_inert(content, [*PAYLOADS, "=Tiêu đề", "@Dòng đầu"])
    sheet = load_workbook(io.BytesIO(content)).active
    numbers = [row[1] for row in sheet.iter_rows(min_row=4)]
    assert all(cell.value == -5 and cell.data_type == "n" and not cell.quotePrefix for cell in numbers)
    assert sheet.cell(row=4, column=3).value == datetime.datetime(2026, 1, 2)


def test_wagtail_csv_rows_keep_negative_numbers_as_numbers():
    class View(SafeSpreadsheetExportMixin):
        list_export = ["text", "number"]

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=View.list_export)
    View().write_csv_row(writer, {"text": "-2+3", "number": -5})
    assert out.getvalue().strip() == "'-2+3,-5"
    assert_csv_inert(out.getvalue().encode(), ["-2+3"])


def _views(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None:
                yield prefix + str(pattern.pattern), view_class


def test_every_list_export_of_the_admin_is_safe():
    """A new list with "Download XLSX/CSV" is covered without anyone remembering it: the project's views
    name the safe mixin, and Wagtail's own (users, reports…) get its row writers at start-up."""
    views = [view for _route, view in _views(get_resolver()) if issubclass(view, SpreadsheetExportMixin)]
    assert len(views) > 20
    for view in views:
        assert view.write_csv_row is SafeSpreadsheetExportMixin.write_csv_row, view
        assert view.generate_xlsx_row is SafeSpreadsheetExportMixin.generate_xlsx_row, view
    ours = [view for view in views if not view.__module__.startswith("wagtail.")]
    assert all(issubclass(view, SafeSpreadsheetExportMixin) for view in ours), ours


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wagtail_own_reports_write_titles_as_text(client, make_user, fmt):
    from django.urls import reverse
    from wagtail.models import Page

    from tests.spreadsheets import content_of

    admin = make_user(None, is_superuser=True, is_staff=True)
    home = Page.objects.get(depth=1).get_children().first()
    for payload in PAYLOADS:
        page = home.add_child(instance=Page(title=payload, slug=f"p{len(payload)}-{PAYLOADS.index(payload)}"))
        page.locked, page.locked_by, page.locked_at = True, admin, page.first_published_at or page.latest_revision_created_at
        page.save()
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_reports:locked_pages"), {"export": fmt})
    assert response.status_code == 200
    (assert_csv_inert if fmt == "csv" else assert_xlsx_inert)(content_of(response))
