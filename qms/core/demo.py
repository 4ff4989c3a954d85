"""
Demo data of the shared domain: Bắc Giang → Yên Thế with its 19 units (2020 – 30/6/2025),
the 5 communes that succeeded them on 1/7/2025, a TTHC catalogue, and one user per role.
Idempotent: every row is matched by a natural key and updated in place.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from qms.core.models import (
    AdministrativeProcedure,
    Membership,
    OnlineLevel,
    ProcedureLevel,
    QmsStatus,
    Unit,
    UnitKind,
    UnitQmsStatus,
    UnitSuccession,
)
from qms.core.roles import Role
from qms.core.services import procedure_save

D = datetime.date
RECORDS_START = D(2020, 1, 1)  # the demo's records begin with the 19-unit configuration of 2020
LAST_DAY_OF_DISTRICT = D(2025, 6, 30)
MERGER_DAY = D(2025, 7, 1)
MERGER_BASIS = "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã năm 2025"

#: Password of every demo account, printed by `make run`. Demo data only: `load_demo` refuses to
#: run unless the settings allow demo data (dev and test do, production does not).
DEMO_PASSWORD = "demo@2026"  # noqa: S105

DISTRICT_CODE = "215"
DISTRICT_OFFICE_CODE = "215-MC"

#: (GSO code, official name, kind, successor code on 1/7/2025)
OLD_UNITS = [
    ("07288", "Thị trấn Phồn Xương", UnitKind.TOWNSHIP, "BN-YENTHE"),
    ("07294", "Thị trấn Bố Hạ", UnitKind.TOWNSHIP, "BN-BOHA"),
    ("07243", "Xã Đồng Tiến", UnitKind.COMMUNE, "BN-XUANLUONG"),
    ("07246", "Xã Canh Nậu", UnitKind.COMMUNE, "BN-XUANLUONG"),
    ("07249", "Xã Xuân Lương", UnitKind.COMMUNE, "BN-XUANLUONG"),
    ("07252", "Xã Tam Tiến", UnitKind.COMMUNE, "BN-TAMTIEN"),
    ("07255", "Xã Đồng Vương", UnitKind.COMMUNE, "BN-DONGKY"),
    ("07258", "Xã Đồng Hưu", UnitKind.COMMUNE, "BN-DONGKY"),
    ("07260", "Xã Đồng Tâm", UnitKind.COMMUNE, "BN-YENTHE"),
    # Tam Hiệp and Hồng Kỳ were merged into neighbours on 1/1/2025; the demo simplifies this
    # (DOMAIN.md allows it) and lets both run until the 2025 merger, then roll into xã Yên Thế.
    ("07261", "Xã Tam Hiệp", UnitKind.COMMUNE, "BN-YENTHE"),
    ("07264", "Xã Tiến Thắng", UnitKind.COMMUNE, "BN-TAMTIEN"),
    ("07267", "Xã Hồng Kỳ", UnitKind.COMMUNE, "BN-YENTHE"),
    ("07270", "Xã Đồng Lạc", UnitKind.COMMUNE, "BN-YENTHE"),
    ("07273", "Xã Đông Sơn", UnitKind.COMMUNE, "BN-BOHA"),
    ("07276", "Xã Tân Hiệp", UnitKind.COMMUNE, "BN-YENTHE"),
    ("07279", "Xã Hương Vĩ", UnitKind.COMMUNE, "BN-BOHA"),
    ("07282", "Xã Đồng Kỳ", UnitKind.COMMUNE, "BN-DONGKY"),
    ("07285", "Xã An Thượng", UnitKind.COMMUNE, "BN-TAMTIEN"),
    ("07291", "Xã Tân Sỏi", UnitKind.COMMUNE, "BN-YENTHE"),
]

#: The successor communes have no GSO code in the demo (their new codes are not known for certain).
NEW_COMMUNES = [
    ("BN-YENTHE", "Xã Yên Thế"),
    ("BN-BOHA", "Xã Bố Hạ"),
    ("BN-DONGKY", "Xã Đồng Kỳ"),
    ("BN-XUANLUONG", "Xã Xuân Lương"),
    ("BN-TAMTIEN", "Xã Tam Tiến"),
]

#: 12 of the 19 units had announced conformity by 2020 (the district's 2020 press report);
#: which twelve is the demo's choice.
ANNOUNCED_2020 = {"07288", "07294", "07243", "07249", "07252", "07258", "07260", "07264", "07270", "07276", "07282", "07291"}
#: Of those, the units whose QMS was complete on 31/12/2024 (documents, audit of clauses 4–10, nonconformities
#: closed, management review, objectives measured); the others range down to barely started.
READY_2024 = {"07243", "07252", "07258", "07260", "07270"}

HT = "Luật Hộ tịch năm 2014; Nghị định số 123/2015/NĐ-CP"
CT = "Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch"
DD = "Luật Đất đai năm 2024; Nghị định số 101/2024/NĐ-CP"
HKD = "Luật Doanh nghiệp năm 2020; Nghị định số 01/2021/NĐ-CP về đăng ký doanh nghiệp"
X, H = ProcedureLevel.COMMUNE, ProcedureLevel.DISTRICT
FULL, PART, NONE = OnlineLevel.FULL, OnlineLevel.PARTIAL, OnlineLevel.NONE

#: (demo code, name, field, level, online level, working days, legal basis). Real TTHC names;
#: the national codes are not reproduced here, so every code says it is a demo code.
PROCEDURES = [
    ("DEMO-HT-01", "Thủ tục đăng ký khai sinh", "Hộ tịch", X, FULL, "0", HT),
    ("DEMO-HT-02", "Thủ tục đăng ký kết hôn", "Hộ tịch", X, PART, "0", HT),
    ("DEMO-HT-03", "Thủ tục đăng ký khai tử", "Hộ tịch", X, FULL, "0", HT),
    ("DEMO-HT-04", "Thủ tục đăng ký nhận cha, mẹ, con", "Hộ tịch", X, PART, "3", HT),
    ("DEMO-HT-05", "Thủ tục đăng ký khai sinh kết hợp nhận cha, mẹ, con", "Hộ tịch", X, PART, "3", HT),
    ("DEMO-HT-06", "Thủ tục đăng ký lại khai sinh", "Hộ tịch", X, PART, "5", HT),
    ("DEMO-HT-07", "Thủ tục cấp bản sao trích lục hộ tịch", "Hộ tịch", X, FULL, "0", HT),
    ("DEMO-HT-08", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", X, FULL, "3", HT),
    ("DEMO-HT-09", "Thủ tục thay đổi, cải chính, bổ sung thông tin hộ tịch", "Hộ tịch", X, PART, "3", HT),
    ("DEMO-HT-10", "Thủ tục đăng ký giám hộ", "Hộ tịch", X, PART, "3", HT),
    ("DEMO-HT-11", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", H, PART, "3", HT),
    ("DEMO-HT-12", "Thủ tục đăng ký kết hôn có yếu tố nước ngoài", "Hộ tịch", H, PART, "15", HT),
    ("DEMO-HT-13", "Thủ tục thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc", "Hộ tịch", H, PART, "3", HT),
    ("DEMO-CT-01", "Thủ tục cấp bản sao từ sổ gốc", "Chứng thực", X, NONE, "0", CT),
    ("DEMO-CT-02", "Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận", "Chứng thực", X, PART, "0", CT),
    ("DEMO-CT-03", "Thủ tục chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", X, NONE, "0", CT),
    ("DEMO-CT-04", "Thủ tục chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở", "Chứng thực", X, NONE, "2", CT),
    ("DEMO-CT-05", "Thủ tục chứng thực di chúc", "Chứng thực", X, NONE, "2", CT),
    ("DEMO-CT-06", "Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận", "Chứng thực", H, NONE, "0", CT),
    ("DEMO-DD-01", "Thủ tục hòa giải tranh chấp đất đai", "Đất đai", X, NONE, "30", DD),
    ("DEMO-DD-02", "Thủ tục đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu", "Đất đai", H, PART, "20", DD),
    ("DEMO-DD-03", "Thủ tục đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Đất đai", H, PART, "10", DD),
    ("DEMO-DD-04", "Thủ tục chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân", "Đất đai", H, PART, "15", DD),
    ("DEMO-XD-01", "Thủ tục cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "Xây dựng", H, PART, "15", "Luật Xây dựng năm 2014, sửa đổi năm 2020; Nghị định số 15/2021/NĐ-CP"),
    ("DEMO-KD-01", "Thủ tục đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", H, FULL, "3", HKD),
    ("DEMO-KD-02", "Thủ tục đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", H, FULL, "3", HKD),
    ("DEMO-KD-03", "Thủ tục tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", H, FULL, "3", HKD),
    ("DEMO-LT-01", "Thủ tục cấp Giấy phép bán lẻ rượu", "Lưu thông hàng hóa trong nước", H, PART, "10", "Luật Phòng, chống tác hại của rượu, bia năm 2019; Nghị định số 105/2017/NĐ-CP"),
    ("DEMO-BT-01", "Thủ tục thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng", "Bảo trợ xã hội", H, PART, "20", "Nghị định số 20/2021/NĐ-CP"),
    ("DEMO-BT-02", "Thủ tục công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", "Bảo trợ xã hội", X, NONE, "15", "Nghị định số 07/2021/NĐ-CP; Quyết định số 24/2021/QĐ-TTg"),
    ("DEMO-GD-01", "Thủ tục chuyển trường đối với học sinh trung học cơ sở", "Giáo dục và Đào tạo", H, PART, "3", "Thông tư số 50/2021/TT-BGDĐT"),
    ("DEMO-TD-01", "Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thực hiện nhiệm vụ chính trị", "Thi đua, khen thưởng", X, NONE, "20", "Luật Thi đua, khen thưởng năm 2022; Nghị định số 98/2023/NĐ-CP"),
    ("DEMO-TG-01", "Thủ tục đăng ký sinh hoạt tôn giáo tập trung", "Tín ngưỡng, tôn giáo", X, NONE, "20", "Luật Tín ngưỡng, tôn giáo năm 2016; Nghị định số 95/2023/NĐ-CP"),
    ("DEMO-KN-01", "Thủ tục giải quyết khiếu nại lần đầu tại cấp xã", "Giải quyết khiếu nại", X, NONE, "30", "Luật Khiếu nại năm 2011; Nghị định số 124/2020/NĐ-CP"),
    ("DEMO-TC-01", "Thủ tục giải quyết tố cáo tại cấp xã", "Giải quyết tố cáo", X, NONE, "30", "Luật Tố cáo năm 2018; Nghị định số 31/2019/NĐ-CP"),
]

#: (username, full name, role, position, unit codes). The district roles also hold the five
#: successor communes, since the district's work moved there on 1/7/2025.
SUCCESSOR_CODES = [code for code, _name in NEW_COMMUNES]
USERS = [
    ("qlcl", "Nguyễn Thị Hoa", Role.QUALITY_OFFICER, "Chuyên viên Văn phòng HĐND và UBND huyện, thư ký ISO", [DISTRICT_CODE, *SUCCESSOR_CODES]),
    ("lanhdao", "Trần Văn Minh", Role.LEADER, "Phó Chủ tịch UBND huyện", [DISTRICT_CODE, *SUCCESSOR_CODES]),
    ("danhgia", "Lê Quang Huy", Role.AUDITOR, "Chuyên viên Phòng Nội vụ, chuyên gia đánh giá nội bộ", [DISTRICT_CODE, *SUCCESSOR_CODES]),
    ("motcua", "Phạm Thị Lan", Role.UNIT_STAFF, "Công chức Tư pháp - Hộ tịch", ["BN-YENTHE"]),
    ("motcua.boha", "Hoàng Văn Nam", Role.UNIT_STAFF, "Công chức Văn hóa - Xã hội", ["BN-BOHA"]),
]


def _unit(code: str, **fields) -> Unit:
    unit, _ = Unit.objects.update_or_create(code=code, defaults=fields)
    return unit


def load_units() -> dict[str, Unit]:
    bac_giang = _unit("24", name="Tỉnh Bắc Giang", kind=UnitKind.PROVINCE, gso_code="24", valid_to=LAST_DAY_OF_DISTRICT)
    bac_ninh = _unit("BN-2025", name="Tỉnh Bắc Ninh", kind=UnitKind.PROVINCE, valid_from=MERGER_DAY)
    district = _unit(
        DISTRICT_CODE, name="Huyện Yên Thế", kind=UnitKind.DISTRICT, gso_code=DISTRICT_CODE, parent=bac_giang,
        valid_from=RECORDS_START, valid_to=LAST_DAY_OF_DISTRICT,
    )
    _unit(
        DISTRICT_OFFICE_CODE, name="Bộ phận Một cửa UBND huyện Yên Thế", kind=UnitKind.OFFICE, parent=district,
        valid_from=RECORDS_START, valid_to=LAST_DAY_OF_DISTRICT,
    )
    units = {"24": bac_giang, "BN-2025": bac_ninh, DISTRICT_CODE: district}
    for code, name in NEW_COMMUNES:
        units[code] = _unit(code, name=name, kind=UnitKind.COMMUNE, parent=bac_ninh, valid_from=MERGER_DAY)
    for code, name, kind, successor in OLD_UNITS:
        units[code] = _unit(
            code, name=name, kind=kind, gso_code=code, parent=district,
            valid_from=RECORDS_START, valid_to=LAST_DAY_OF_DISTRICT,
        )
        UnitSuccession.objects.update_or_create(
            predecessor=units[code], successor=units[successor],
            defaults={"effective_on": MERGER_DAY, "kind": UnitSuccession.Kind.MERGER, "is_primary": True,
                      "legal_basis": MERGER_BASIS},
        )
    UnitSuccession.objects.update_or_create(
        predecessor=bac_giang, successor=bac_ninh,
        defaults={"effective_on": MERGER_DAY, "kind": UnitSuccession.Kind.MERGER, "is_primary": True,
                  "legal_basis": "Nghị quyết số 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh"},
    )
    # The district was abolished: its communes' successors carry its work, none its whole history.
    for code in SUCCESSOR_CODES:
        UnitSuccession.objects.update_or_create(
            predecessor=district, successor=units[code],
            defaults={"effective_on": MERGER_DAY, "kind": UnitSuccession.Kind.REORGANISATION, "is_primary": False,
                      "legal_basis": MERGER_BASIS},
        )
    return units


def load_qms_statuses(units: dict[str, Unit]) -> None:
    def status(code, since, kind, decision="", note=""):
        UnitQmsStatus.objects.update_or_create(
            unit=units[code], since=since, status=kind, defaults={"decision_number": decision, "note": note}
        )

    # The announcements themselves (and their "announced" status) come from recognition/demo.py.
    status(DISTRICT_CODE, D(2019, 3, 1), QmsStatus.APPLYING)
    for code, *_ in OLD_UNITS:
        status(code, D(2019, 6, 1), QmsStatus.BUILDING)
        status(code, D(2019, 10, 1), QmsStatus.APPLYING)
    for code in SUCCESSOR_CODES:
        status(code, MERGER_DAY, QmsStatus.BUILDING, note="Xây dựng lại HTQLCL sau sắp xếp đơn vị hành chính")


def load_procedures() -> None:
    for code, name, field, level, online, days, basis in PROCEDURES:
        procedure = AdministrativeProcedure.objects.filter(code=code).first() or AdministrativeProcedure(code=code)
        values = {"name": name, "field": field, "level": level, "online_level": online,
                  "processing_days": Decimal(days), "legal_basis": basis}
        if procedure.pk and all(getattr(procedure, k) == v for k, v in values.items()):
            continue  # unchanged: no new history row
        for attr, value in values.items():
            setattr(procedure, attr, value)
        procedure_save(procedure=procedure, reason="Dữ liệu mẫu")


def load_users(units: dict[str, Unit]) -> list[tuple[str, str, str]]:
    User = get_user_model()
    logins = []
    # The whole name goes in first_name: Wagtail's screens print "first last", which would put a
    # Vietnamese family name last; `person_name` reads either form.
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_superuser": True, "is_staff": True, "first_name": "Quản trị hệ thống"}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    logins.append(("admin", DEMO_PASSWORD, "Quản trị hệ thống"))
    for username, full_name, role, position, unit_codes in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name, "email": f"{username}@yenthe.example"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
        for code in unit_codes:
            Membership.objects.update_or_create(user=user, unit=units[code], defaults={"position": position})
        logins.append((username, DEMO_PASSWORD, f"{role.value} – {units[unit_codes[0]].name}"))
    return logins


def load(*, stdout, scale: float = 1.0) -> list[tuple[str, str, str]]:
    """Core's part of the demo; `scale` does not apply (nothing here is bulk)."""
    units = load_units()
    load_qms_statuses(units)
    load_procedures()
    logins = load_users(units)
    stdout.write(
        f"  core: {Unit.objects.count()} units, {AdministrativeProcedure.objects.count()} TTHC, {len(logins)} demo users"
    )
    return logins
