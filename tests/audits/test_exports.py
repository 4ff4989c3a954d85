"""The nonconformity register and the list's XLSX/CSV download write what users typed as text, never as a formula."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audits.models import NcSource
from audits.services import nonconformity_open
from tests.spreadsheets import PAYLOADS, assert_csv_inert, assert_xlsx_inert, content_of, csv_cells


@pytest.fixture
def hostile(people, units, recent):
    """One nonconformity of Xã Yên Thế per payload, in its description and its source reference."""
    return [
        nonconformity_open(unit=units["BN-YENTHE"], source=NcSource.COMPLAINT, by=people.qo, detected_on=recent,
                           description=payload, source_reference=payload)
        for payload in PAYLOADS
    ]


def test_register_xlsx_writes_descriptions_as_text(client_for, people, hostile):
    response = client_for(people.qo).get(reverse("nonconformities:register"))
    workbook = assert_xlsx_inert(response.content)
    sheet = workbook.active
    numbers = [row[0] for row in sheet.iter_rows(min_row=5) if isinstance(row[0].value, int)]
    assert [cell.value for cell in numbers] == [1, 2, 3, 4] and all(cell.data_type == "n" for cell in numbers)


def test_list_download_xlsx_writes_text_as_text(client_for, people, hostile):
    response = client_for(people.qo).get(reverse("nonconformities:index"), {"export": "xlsx"})
    assert response.status_code == 200
    assert_xlsx_inert(content_of(response))


def test_list_download_csv_marks_formula_text(client_for, people, hostile):
    response = client_for(people.qo).get(reverse("nonconformities:index"), {"export": "csv"})
    assert response.status_code == 200
    cells = assert_csv_inert(content_of(response))
    assert hostile[0].reference in cells  # the rest of the row is untouched


def test_the_other_communes_records_stay_out_of_the_download(client_for, people, units, recent, hostile):
    other = nonconformity_open(unit=units["07243"], source=NcSource.COMPLAINT, by=people.qo, detected_on=recent,
                               description="=1+1 của xã khác")
    response = client_for(people.staff_boha).get(reverse("nonconformities:index"), {"export": "csv"})
    cells = csv_cells(content_of(response))
    assert other.reference not in cells and hostile[0].reference not in cells
    workbook = load_workbook(io.BytesIO(client_for(people.staff_boha).get(reverse("nonconformities:register")).content))
    assert not any(c.value == "=1+1 của xã khác" for row in workbook.active.iter_rows() for c in row)
