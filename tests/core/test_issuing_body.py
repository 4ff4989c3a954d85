"""Who issues a paper (qms.core.printing): the body in force on its date, its parent, and how it is signed."""

import datetime

import pytest

from qms.core.models import Unit, UnitKind
from qms.core.printing import NoIssuingBody, head_signature, issuing_body, issuing_body_for_user
from qms.core.roles import Role

BEFORE, AFTER = datetime.date(2024, 6, 30), datetime.date(2026, 6, 30)


def test_a_commune_issues_its_own_papers_under_the_body_above_it_then(units):
    body = issuing_body(units=[units["07243"]], on=BEFORE)
    assert body.unit == units["07243"] and body.parent == units["215"]
    assert body.name == "Ủy ban nhân dân xã Đồng Tiến"  # in full
    assert body.parent_name.replace("\u00a0", " ") == "UBND HUYỆN YÊN THẾ"  # only the parent abbreviated
    assert body.place == "Đồng Tiến"


def test_after_the_merger_the_successor_issues_under_the_new_province(units):
    body = issuing_body(units=[units["07243"]], on=AFTER)
    assert body.unit == units["BN-XUANLUONG"] and body.parent == units["BN-2025"]
    assert body.parent_name.replace("\u00a0", " ") == "UBND TỈNH BẮC NINH"


def test_several_units_before_the_merger_are_issued_for_by_the_district(units):
    body = issuing_body(units=[units["07243"], units["07288"], units["215"]], on=BEFORE)
    assert body.unit == units["215"] and body.parent == units["24"]


def test_the_reorganised_district_is_succeeded_by_its_namesake_commune_unless_the_user_chooses(units):
    body = issuing_body(units=[units["215"]], on=AFTER)
    assert body.unit == units["BN-YENTHE"]
    assert {u.code for u in body.candidates} == {"BN-YENTHE", "BN-BOHA", "BN-DONGKY", "BN-XUANLUONG", "BN-TAMTIEN"}
    assert issuing_body(units=[units["215"]], on=AFTER, choice=units["BN-BOHA"]).unit == units["BN-BOHA"]
    # A choice that does not speak for these units is ignored, not printed.
    assert issuing_body(units=[units["07243"]], on=AFTER, choice=units["BN-BOHA"]).unit == units["BN-XUANLUONG"]
    # A body that had ceased is never chosen.
    assert issuing_body(units=[units["215"]], on=AFTER, choice=units["215"]).unit == units["BN-YENTHE"]


def test_an_office_issues_through_its_committee(units):
    office = Unit.objects.get(code="215-MC")
    assert issuing_body(units=[office], on=BEFORE).unit == units["215"]


def test_no_unit_in_force_is_an_error_not_an_empty_heading(units):
    orphan = Unit.objects.create(code="X", name="Xã Cũ", kind=UnitKind.COMMUNE, valid_to=datetime.date(2020, 1, 1))
    with pytest.raises(NoIssuingBody):
        issuing_body(units=[orphan], on=AFTER)


def test_a_district_officer_and_the_admin_get_the_body_in_force(units, demo_users, make_user):
    assert issuing_body_for_user(demo_users["qlcl"], on=AFTER).unit == units["BN-YENTHE"]
    assert issuing_body_for_user(demo_users["qlcl"], on=BEFORE).unit == units["215"]
    assert issuing_body_for_user(demo_users["admin"], on=AFTER).unit == units["BN-YENTHE"]
    assert issuing_body_for_user(demo_users["motcua.boha"], on=AFTER).unit == units["BN-BOHA"]
    assert issuing_body_for_user(make_user(Role.UNIT_STAFF), on=AFTER) is None


def test_issuer_for_keeps_its_call_and_gives_the_body_in_force(units, demo_users):
    from qms.reporting.views import issuer_for

    assert issuer_for(demo_users["qlcl"]) == units["BN-YENTHE"]
    assert issuer_for(demo_users["qlcl"], on=BEFORE) == units["215"]


@pytest.mark.parametrize(("title", "collective", "authority", "printed_title"), [
    ("Chủ tịch", True, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    ("Chủ tịch", False, "", "CHỦ TỊCH"),  # a decision in the chairman's own name
    ("Phó Chủ tịch", False, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    ("Phó Chủ tịch", True, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    ("Quyền Chủ tịch", True, "", "Q. CHỦ TỊCH"),
])
def test_decree_30_signature(units, title, collective, authority, printed_title):
    body = issuing_body(units=[units["BN-YENTHE"]], on=AFTER)
    block = head_signature(body=body, signer_title=title, name="Nguyễn Văn An", collective=collective)
    assert (block["authority"], block["title"], block["name"]) == (authority, printed_title, "Nguyễn Văn An")
