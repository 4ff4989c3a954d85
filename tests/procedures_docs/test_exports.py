"""The acknowledgement matrix and the master list as XLSX write names and titles as text, never as formulas."""

import pytest
from django.urls import reverse

from qms.core.roles import Role
from tests.spreadsheets import PAYLOADS, assert_xlsx_inert

pytestmark = pytest.mark.django_db


def test_acknowledgement_matrix_writes_a_users_own_name_as_text(issued, people, units, make_user, client):
    """A user may set her own last name; it ends in the quality officer's spreadsheet."""
    for number, payload in enumerate(PAYLOADS):
        make_user(Role.UNIT_STAFF, units["BN-YENTHE"], username=f"x{number}", first_name="Lan", last_name=payload)
    client.force_login(people.yt_officer)
    response = client.get(reverse("documents:acknowledgements", args=[issued.page.pk]), {"export": "xlsx"})
    assert response.status_code == 200
    assert_xlsx_inert(response.content, [f"{payload} Lan" for payload in PAYLOADS])


def test_master_list_writes_titles_as_text(make_document, issue, people, client):
    for number, payload in enumerate(PAYLOADS):
        issue(make_document(code=f"QT-{number:02d}", title=payload))
    client.force_login(people.yt_officer)
    response = client.get(reverse("procedures_docs:master_list_xlsx"))
    assert response.status_code == 200
    sheet = assert_xlsx_inert(response.content).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=5) if isinstance(row[0].value, int)]
    assert [cell.value for cell in numbers] == [1, 2, 3, 4]
