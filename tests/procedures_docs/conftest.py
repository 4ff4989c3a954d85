"""
Fixtures of the document tests: two commune libraries (Xã Yên Thế, Xã Bố Hạ), users of every role
for each, and `issue(...)` / `draft(...)` helpers that drive the real workflow through the services.
"""

from types import SimpleNamespace

import pytest

from procedures_docs import services
from procedures_docs.models import DocumentType
from qms.core.roles import Role


@pytest.fixture
def people(units, make_user):
    """Users of each role for Xã Yên Thế (yt_*) and Xã Bố Hạ (bh_*), a superuser, a district auditor, and
    the quality officer of the province who reviews what the communes' officers draft (a drafter never
    reviews her own revision); she is a member of no commune, so she is on no acknowledgement list."""
    yt, bh = units["BN-YENTHE"], units["BN-BOHA"]
    return SimpleNamespace(
        admin=make_user(None, username="root", is_superuser=True, is_staff=True),
        yt_officer=make_user(Role.QUALITY_OFFICER, yt, username="yt_officer", first_name="Hoa", last_name="Nguyễn Thị"),
        yt_leader=make_user(Role.LEADER, yt, username="yt_leader", first_name="Minh", last_name="Trần Văn"),
        yt_staff=make_user(Role.UNIT_STAFF, yt, username="yt_staff", first_name="Lan", last_name="Phạm Thị"),
        yt_staff2=make_user(Role.UNIT_STAFF, yt, username="yt_staff2", first_name="Đức", last_name="Vũ Văn"),
        bh_officer=make_user(Role.QUALITY_OFFICER, bh, username="bh_officer"),
        bh_leader=make_user(Role.LEADER, bh, username="bh_leader"),
        bh_staff=make_user(Role.UNIT_STAFF, bh, username="bh_staff"),
        auditor=make_user(Role.AUDITOR, yt, bh, username="auditor", first_name="Huy", last_name="Lê Quang"),
        reviewer=make_user(Role.QUALITY_OFFICER, units["BN-2025"], username="reviewer", first_name="Thu", last_name="Đỗ Thị"),
    )


@pytest.fixture
def libraries(units, people):
    yt = services.library_create(unit=units["BN-YENTHE"], by=people.admin)
    bh = services.library_create(unit=units["BN-BOHA"], by=people.admin)
    return SimpleNamespace(yt=yt, bh=bh)


@pytest.fixture
def make_document(libraries, people, units):
    """make_document(code="QT-01", title=..., library=libraries.yt, **fields) → a draft (not issued)."""

    def make(code="QT-01", title="Quy trình kiểm soát tài liệu", *, library=None, parent=None, by=None, **fields):
        library = library or libraries.yt
        fields.setdefault("applies_to", [library.unit])
        fields.setdefault("purpose", "<p>Quy định việc kiểm soát tài liệu của hệ thống.</p>")
        by = by or (people.yt_officer if library == libraries.yt else people.bh_officer)
        return services.document_create(parent=parent or library, by=by, code=code, title=title, **fields)

    return make


@pytest.fixture
def issue(people, libraries):
    """issue(page, "summary", **changes): the unit's officer drafts and submits the change, the province's
    officer reviews it, the unit's leader approves it → the new IssuedRevision."""

    def run(page, summary="Ban hành lần đầu", *, officer=None, reviewer=None, leader=None, **changes):
        yt = page.owner_unit_id == libraries.yt.unit_id
        officer = officer or (people.yt_officer if yt else people.bh_officer)
        reviewer = reviewer or people.reviewer
        leader = leader or (people.yt_leader if yt else people.bh_leader)
        services.document_edit(page=page, by=officer, change_summary=summary, **changes)
        services.document_submit(page=page, by=officer)
        services.document_review(page=page, by=reviewer, approve=True)
        services.document_review(page=page, by=leader, approve=True)
        page.refresh_from_db()
        return page.issues.order_by("-number").first()

    return run


@pytest.fixture
def issued(make_document, issue):
    """An issued procedure QT-01 of Xã Yên Thế with one issued form BM-01-01 under it."""
    page = make_document()
    issue(page)
    form = make_document(code="BM-01-01", title="Phiếu đề nghị sửa đổi tài liệu", parent=page, doc_type=DocumentType.FORM)
    issue(form)
    page.refresh_from_db()
    return SimpleNamespace(page=page, form=form)
