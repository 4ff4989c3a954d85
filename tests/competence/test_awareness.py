"""Awareness (ISO 9001 7.3): "Đã đọc và hiểu" of the current issue of every procedure in force of the
person's unit meets the "unit's procedures" requirement."""

import pytest
from django.utils import timezone

from procedures_docs import services as docs
from qms.competence.models import CompetenceRequirement
from qms.competence.selectors import MET, MISSING, competence_matrix
from tests.procedures_docs.conftest import issue, issued, libraries, make_document, people  # noqa: F401

pytestmark = pytest.mark.django_db


def cell(unit, user):
    requirement = CompetenceRequirement.objects.get(code="unit-procedures")
    row = next(r for r in competence_matrix(unit, timezone.localdate()).rows if r.person == user)
    return row.cells[requirement.pk]


def test_acknowledging_the_current_issue_of_every_procedure_meets_it(issued, people, units, make_document, issue):  # noqa: F811
    unit = units["BN-YENTHE"]
    second = make_document(code="QT-02", title="Quy trình đánh giá nội bộ")
    issue(second)
    found = cell(unit, people.yt_staff)
    assert (found.status, found.read, found.total) == (MISSING, 0, 2)  # the form under QT-01 is no procedure
    docs.document_acknowledge(page=issued.page, by=people.yt_staff)
    assert (cell(unit, people.yt_staff).status, cell(unit, people.yt_staff).read) == (MISSING, 1)
    docs.document_acknowledge(page=second, by=people.yt_staff)
    assert cell(unit, people.yt_staff).status == MET
    # A new issue must be read again; the other officer never read anything.
    issue(second, "Sửa đổi bước 3")
    assert (cell(unit, people.yt_staff).status, cell(unit, people.yt_staff).read) == (MISSING, 1)
    assert cell(unit, people.yt_staff2).read == 0
    docs.document_acknowledge(page=second, by=people.yt_staff)
    assert cell(unit, people.yt_staff).status == MET


def test_an_obsolete_procedure_is_no_longer_required(issued, people, units, make_document, issue):  # noqa: F811
    unit = units["BN-YENTHE"]
    assert cell(unit, people.yt_staff).total == 1
    docs.document_withdraw(page=issued.page, on=timezone.localdate(), reason="Thay bằng quy trình mới", by=people.yt_leader)
    found = cell(unit, people.yt_staff)
    assert (found.status, found.total) == (MET, 0)
