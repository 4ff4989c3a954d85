"""Spreadsheet and CSV cells made safe (qms.core.exports): the rule, the workbook helper, and that
every Wagtail list export the admin serves goes through it."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
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


def test_display_values_are_what_the_list_shows():
    from django.contrib.auth import get_user_model

    from audits.models import NcStatus, Nonconformity
    from qms.core.exports import display_value

    class Row:
        comment = "điểm <5 và >3"
        active = True
        archived = False

    person = get_user_model()(username="hoa", first_name="Hoa", last_name="Nguyễn Thị")
    nc = Nonconformity(status=NcStatus.CLOSED, detected_by=person)
    assert display_value(nc, "status") == str(NcStatus.CLOSED.label) != NcStatus.CLOSED.value
    assert display_value(nc, "detected_by") == "Nguyễn Thị Hoa"
    assert display_value(Row(), "active") == "Có" and display_value(Row(), "archived") == "Không"
    assert display_value(Row(), "comment") == "điểm <5 và >3"  # typed text is not taken for markup


def test_csv_cells_are_local_day_first_with_decimal_commas():
    from qms.core.exports import csv_content

    answered = datetime.datetime(2026, 11, 30, 9, 19, tzinfo=datetime.UTC)  # 16:19 in Vietnam
    content = csv_content([["Thời điểm", "Ngày", "Tỷ lệ", "Số"], [answered, datetime.date(2026, 1, 2), 95.3, Decimal("20.0")]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines() == ["Thời điểm;Ngày;Tỷ lệ;Số", "30/11/2026 16:19;02/01/2026;95,3;20"]


# --- every list export of the admin, read back as a clerk opens it ----------------------------------

#: The lists the issue named; the walk below must find at least these (it finds any new one by itself).
NAMED_LISTS = {
    "audits:index", "findings:index", "nonconformities:index", "corrective_actions:index", "audit_programmes:index",
    "audit_questions:index", "tthc:index", "feedback:index", "documents:review_due", "documents:obsolete",
}
#: Who opens the lists: the first of these the list does not refuse (district officer, leader, auditor, staff).
READERS = ["qlcl", "lanhdao", "danhgia", "motcua"]


def _named_patterns(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_patterns(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def exporting_lists() -> list[str]:
    """URL names of the project's lists that offer "Download XLSX/CSV" (the results-only URLs aside)."""
    names = []
    for name, pattern in _named_patterns(get_resolver()):
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or not issubclass(view_class, SafeSpreadsheetExportMixin) or name.endswith("results"):
            continue
        # A viewset hands its list_export to the view as an argument of as_view(); a report sets it on the class.
        list_export = getattr(pattern.callback, "view_initkwargs", {}).get("list_export") or view_class.list_export
        if list_export and not pattern.pattern.regex.groups:
            names.append(name)
    return sorted(names)


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo district (small scale), rolled back at the end of the module."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--scale", "0.02", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_exporting_lists_include_every_list_the_issue_named():
    found = set(exporting_lists())
    assert found >= NAMED_LISTS, NAMED_LISTS - found


def _choice_codes() -> set[str]:
    """Every stored choice code of the project's models whose label differs from it ("closed", "minor_nc")."""
    from django.apps import apps

    return {
        str(code) for model in apps.get_models() for field in model._meta.get_fields()
        if getattr(field, "choices", None) and not model.__module__.startswith(("wagtail", "django"))
        for code, label in field.flatchoices if isinstance(code, str) and code and code != str(label)
    }


def _reader(client, url):
    """Log in as the first demo reader the list does not refuse; the refused ones are returned too."""
    from django.contrib.auth import get_user_model

    from tests.utils import assert_forbidden

    refused = []
    for username in READERS:
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        response = client.get(url, {"export": "xlsx"})
        if response.status_code == 200:
            return user, response, refused
        assert_forbidden(response)
        refused.append(user)
    raise AssertionError(f"no demo role may open {url}")


@pytest.mark.django_db
@pytest.mark.parametrize("name", exporting_lists())
def test_every_list_export_is_in_vietnamese_local_time_and_set_up_to_print(demo_world, client, name):
    import re

    from django.contrib.auth import get_user_model
    from openpyxl.utils import get_column_letter

    from qms.core.xlsx import DATE, DATETIME
    from tests.spreadsheets import content_of

    url = reverse(name)
    _user, response, _refused = _reader(client, url)
    sheet = load_workbook(io.BytesIO(content_of(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert data, f"{name}: the demo gives this list no rows to check"

    # A sheet named after the list, in Vietnamese; labels are the fields' Vietnamese names, never field paths.
    assert sheet.title != "Sheet1" and re.search(r"[^\x00-\x7f]", sheet.title), sheet.title
    assert all(re.search(r"[^\x00-\x7f]", label) for label in header), header
    assert not set(header) & {"TRUE", "FALSE"} and not any("_" in label or "." in label for label in header), header

    # Frozen header, a filter over the whole table, and A4 landscape one page wide with the header on every page.
    last = f"{get_column_letter(len(header))}{len(rows)}"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{last}"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert all(8 <= sheet.column_dimensions[get_column_letter(i)].width <= 60 for i in range(1, len(header) + 1))

    # Display values: no stored code, no TRUE/FALSE, no login name; dates and times day first.
    codes, usernames = _choice_codes(), set(get_user_model().objects.exclude(first_name="").values_list("username", flat=True))
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert not [c.value for c in cells if isinstance(c.value, bool) or c.value in codes or c.value in usernames]
    assert all(c.number_format in (DATE, DATETIME) for c in cells if c.is_date), name

    # The CSV: BOM, ";" between cells, the same labels and rows, dates as dd/mm/yyyy.
    client.force_login(_user)
    content = content_of(client.get(url, {"export": "csv"}))
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert tuple(table[0]) == header and len(table) == len(rows)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text) and "TRUE" not in table[1] and "FALSE" not in table[1]


@pytest.mark.django_db
def test_feedback_export_gives_the_local_time_of_the_answer(demo_world, client):
    """A survey answer at 16:19 in Vietnam is 16:19 in the file, not 09:19 (UTC)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from qms.feedback.models import CitizenFeedback
    from tests.spreadsheets import content_of

    officer = get_user_model().objects.get(username="qlcl")
    answer = CitizenFeedback.objects.for_user(officer).order_by("-submitted_at").first()
    local = timezone.localtime(answer.submitted_at)
    client.force_login(officer)
    sheet = load_workbook(io.BytesIO(content_of(client.get(reverse("feedback:index"), {"export": "xlsx"})))).active
    assert sheet["A1"].value == "Thời điểm trình" and sheet["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["A2"].value.replace(second=0, microsecond=0) == local.replace(tzinfo=None, second=0, microsecond=0)
    text = content_of(client.get(reverse("feedback:index"), {"export": "csv"})).decode("utf-8-sig")
    assert text.splitlines()[1].startswith(local.strftime("%d/%m/%Y %H:%M;"))


@pytest.mark.django_db
def test_corrective_action_export_says_deadline_not_the_dossier_term(demo_world, client):
    from django.contrib.auth import get_user_model

    from tests.spreadsheets import content_of

    client.force_login(get_user_model().objects.get(username="qlcl"))
    header = content_of(client.get(reverse("corrective_actions:index"), {"export": "csv"})).decode("utf-8-sig").splitlines()[0]
    assert header.split(";") == ["Điểm không phù hợp", "Hành động", "Người thực hiện", "Hạn hoàn thành", "Ngày hoàn thành", "Bằng chứng"]


@pytest.mark.django_db
def test_a_list_export_is_refused_to_a_role_that_cannot_open_the_list(demo_world, client):
    """Exporting is the list itself: whoever may not see the list gets no file."""
    from django.contrib.auth import get_user_model

    from tests.utils import assert_forbidden

    client.force_login(get_user_model().objects.get(username="motcua"))
    for name in ("documents:review_due", "documents:obsolete", "audit_programmes:index"):
        response = client.get(reverse(name), {"export": "xlsx"})
        assert_forbidden(response)
