"""The citizen's comment from the public survey ends in the quality officer's spreadsheet: as text, never as a formula."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qms.core.models import HomePage
from qms.feedback.models import FeedbackPage
from tests.spreadsheets import PAYLOADS, assert_csv_inert, assert_xlsx_inert, content_of


@pytest.fixture
def answered(client, units):
    """Four answers posted on Xã Yên Thế's public survey page, one per payload, by an anonymous visitor."""
    page = FeedbackPage(title="Khảo sát sự hài lòng – Xã Yên Thế", slug="y-kien-yen-the", unit=units["BN-YENTHE"])
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    for payload in PAYLOADS:
        client.post(page.url, {"rating": "2", "comment": payload, "dossier_code": payload[:20]})
    return page


def test_list_download_xlsx_writes_comments_as_text_and_ratings_as_numbers(client, answered, demo_users):
    client.force_login(demo_users["motcua"])
    response = client.get(reverse("feedback:index"), {"export": "xlsx"})
    assert response.status_code == 200
    content = content_of(response)
    assert_xlsx_inert(content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))
    assert [row[2].value for row in rows] == ["Không hài lòng"] * 4  # the rating in words, as the list shows it
    scores = [row[3] for row in rows]  # and the score beside it, a number officials can average
    assert [cell.value for cell in scores] == [2, 2, 2, 2] and all(cell.data_type == "n" for cell in scores)


def test_list_download_csv_marks_comments(client, answered, demo_users):
    client.force_login(demo_users["motcua"])
    response = client.get(reverse("feedback:index"), {"export": "csv"})
    assert response.status_code == 200
    content = content_of(response)
    assert_csv_inert(content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))[1:]
    assert [row[2:4] for row in rows] == [["Không hài lòng", "2"]] * 4  # the rating in words, and its score
