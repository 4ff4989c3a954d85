"""
Demo data of internal audits, told as it happened: the 2024 programme of Huyện Yên Thế (audits of
its 19 communes and townships, findings of every kind, nonconformities followed to closure, some
still open when the units merged on 1/7/2025: some handed to the successor commune, some waiting),
and this year's programme of the five successor communes, which audit each other (some audits done,
one under way, one planned; a few actions overdue today).

Everything goes through the services, with the clock set to the day each step happened, so every
record has its history with the right user and date. Idempotent: a programme already there is not
loaded again. `scale` below 1 narrows each 2024 audit to a few clauses (tests load it often).
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import random
from dataclasses import dataclass
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from audits import services
from audits.models import (
    Audit,
    AuditProgramme,
    CauseCategory,
    ChecklistResult,
    FindingKind,
    NcSeverity,
    NcSource,
    NcStatus,
    Nonconformity,
)
from qms.competence import demo as competence_demo
from qms.core import demo as core_demo
from qms.core.models import IsoClause, Membership, Unit
from qms.core.roles import Role
from qms.notifications.services import notifications_muted

D = datetime.date
TITLE_2024 = "Chương trình đánh giá nội bộ năm 2024 – UBND huyện Yên Thế"

#: Auditors of the successor communes (cross-auditing: each audits the others, never its own
#: commune) and one-stop staff of the communes core's demo has none for. Password: demo@2026.
PEOPLE = [
    ("danhgia.boha", "Đỗ Thị Thu", Role.AUDITOR, "Công chức Văn phòng - Thống kê, chuyên gia đánh giá nội bộ", "BN-BOHA"),
    ("danhgia.xuanluong", "Vũ Văn Hùng", Role.AUDITOR, "Công chức Tư pháp - Hộ tịch, chuyên gia đánh giá nội bộ", "BN-XUANLUONG"),
    ("danhgia.dongky", "Ngô Thị Mai", Role.AUDITOR, "Công chức Văn hóa - Xã hội, chuyên gia đánh giá nội bộ", "BN-DONGKY"),
    ("motcua.dongky", "Bùi Văn Tuấn", Role.UNIT_STAFF, "Công chức Địa chính - Xây dựng", "BN-DONGKY"),
    ("motcua.xuanluong", "Đặng Thị Hương", Role.UNIT_STAFF, "Công chức Tư pháp - Hộ tịch", "BN-XUANLUONG"),
    ("motcua.tamtien", "Lý Văn Sơn", Role.UNIT_STAFF, "Công chức Văn phòng - Thống kê", "BN-TAMTIEN"),
]

#: Who answers a commune's nonconformities (also those of the units merged into it).
STAFF_OF = {
    "BN-YENTHE": "motcua", "BN-BOHA": "motcua.boha", "BN-DONGKY": "motcua.dongky",
    "BN-XUANLUONG": "motcua.xuanluong", "BN-TAMTIEN": "motcua.tamtien",
}

FULL_SCOPE = ["4", "5", "6", "7", "8", "9", "10"]
#: 2024 audits alternate between two halves of the standard (each unit got the other half the year before).
HALF_SCOPES = (["4", "5", "6", "7.5", "8.5", "10"], ["7", "8.2", "8.5", "8.7", "9"])
SMALL_SCOPE = ["7.5.3", "8.5.1"]


@dataclass
class NcStory:
    clause: str
    statement: str
    evidence: str
    correction: str
    whys: tuple[str, ...]
    category: str
    action: str
    action_evidence: str
    severity: str = NcSeverity.MINOR


NC_STORIES = [
    NcStory(
        "7.5.3", "Bộ phận một cửa còn sử dụng mẫu Tờ khai đăng ký khai sinh đã hết hiệu lực.",
        "02 hồ sơ tiếp nhận ngày 12 và 14 trong tháng dùng mẫu cũ; Danh mục tài liệu nội bộ chưa cập nhật mẫu mới.",
        "Thu hồi toàn bộ mẫu cũ tại quầy, hướng dẫn người dân khai lại trên mẫu mới.",
        ("Công chức không biết mẫu tờ khai đã thay đổi.", "Văn bản ban hành mẫu mới không được chuyển tới bộ phận một cửa.",
         "Chưa có quy định ai theo dõi văn bản mới và cập nhật Danh mục tài liệu."),
        CauseCategory.DOCUMENTS, "Giao thư ký ISO rà soát văn bản mới hằng tuần, cập nhật Danh mục tài liệu nội bộ và thu hồi biểu mẫu lỗi thời.",
        "Danh mục tài liệu nội bộ cập nhật; sổ theo dõi văn bản mới có chữ ký hằng tuần.",
    ),
    NcStory(
        "8.5.1", "Hồ sơ giải quyết trễ hạn không có Phiếu xin lỗi và hẹn lại ngày trả kết quả.",
        "03 hồ sơ chứng thực hợp đồng trễ hạn 1–2 ngày, không có phiếu xin lỗi gửi người dân.",
        "Gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả cho 03 người dân có hồ sơ trễ hạn.",
        ("Công chức không lập phiếu xin lỗi khi hồ sơ trễ hạn.", "Công chức chưa nắm quy định tại Nghị định 61/2018/NĐ-CP.",
         "Chưa được tập huấn khi được phân công nhiệm vụ mới."),
        CauseCategory.PEOPLE, "Tập huấn lại quy trình xử lý hồ sơ trễ hạn cho công chức bộ phận một cửa; kiểm tra hằng tháng.",
        "Biên bản tập huấn và danh sách ký tên; sổ theo dõi hồ sơ trễ hạn tháng sau.",
    ),
    NcStory(
        "6.2", "Mục tiêu chất lượng năm chưa có kế hoạch thực hiện và chưa được theo dõi định kỳ.",
        "Quyết định ban hành mục tiêu chất lượng có, nhưng không có kế hoạch thực hiện, không có báo cáo kết quả 6 tháng.",
        "Lập bổ sung kế hoạch thực hiện mục tiêu chất lượng năm.",
        ("Không có người được giao theo dõi mục tiêu.", "Ban chỉ đạo ISO chưa phân công sau khi kiện toàn nhân sự."),
        CauseCategory.METHOD, "Kiện toàn Ban chỉ đạo ISO, phân công theo dõi mục tiêu và báo cáo kết quả hằng quý.",
        "Quyết định kiện toàn Ban chỉ đạo ISO; báo cáo thực hiện mục tiêu quý.",
    ),
    NcStory(
        "7.4", "Bảng niêm yết TTHC lĩnh vực hộ tịch chưa cập nhật theo Quyết định công bố TTHC mới của UBND tỉnh.",
        "Bảng niêm yết còn thời hạn giải quyết và lệ phí cũ của 04 thủ tục.",
        "Tháo bỏ nội dung niêm yết cũ, niêm yết tạm bản in danh mục TTHC mới.",
        ("Chưa cập nhật niêm yết khi có quyết định công bố mới.", "Không có bước rà soát niêm yết trong quy trình kiểm soát tài liệu."),
        CauseCategory.LEGAL, "Bổ sung bước rà soát niêm yết TTHC vào quy trình kiểm soát thông tin dạng văn bản; thay bảng niêm yết mới.",
        "Quy trình sửa đổi lần 2; ảnh chụp bảng niêm yết mới.",
    ),
    NcStory(
        "9.1.2", "Chưa thực hiện khảo sát sự hài lòng của người dân theo kế hoạch.",
        "Kế hoạch năm đề ra khảo sát 6 tháng một lần; không có phiếu khảo sát hay báo cáo kết quả 6 tháng đầu năm.",
        "Tổ chức khảo sát bổ sung trong tháng.",
        ("Không có người phụ trách phát và tổng hợp phiếu.", "Kế hoạch không giao việc cụ thể."),
        CauseCategory.METHOD, "Giao công chức Văn phòng - Thống kê phát, tổng hợp phiếu khảo sát hằng quý và báo cáo lãnh đạo.",
        "Báo cáo tổng hợp 120 phiếu khảo sát; tỷ lệ hài lòng 96%.",
    ),
    NcStory(
        "7.2", "Công chức mới điều động về bộ phận một cửa chưa được đào tạo quy trình nội bộ.",
        "02 công chức nhận nhiệm vụ từ tháng trước, không có hồ sơ đào tạo, hướng dẫn công việc.",
        "Thư ký ISO hướng dẫn trực tiếp các quy trình đang áp dụng cho 02 công chức.",
        ("Không có hồ sơ đào tạo cho công chức mới.", "Quy trình chưa quy định đào tạo khi phân công nhiệm vụ mới."),
        CauseCategory.PEOPLE, "Bổ sung yêu cầu đào tạo khi nhận nhiệm vụ vào quy trình; lập hồ sơ đào tạo cho công chức.",
        "Hồ sơ đào tạo có chữ ký; quy trình sửa đổi.",
    ),
    NcStory(
        "8.5.1", "Phiếu kiểm soát quá trình giải quyết hồ sơ thiếu chữ ký ở bước thẩm định.",
        "05/20 hồ sơ đất đai kiểm tra ngẫu nhiên không có chữ ký công chức thẩm định trên phiếu kiểm soát.",
        "Yêu cầu công chức thẩm định ký bổ sung trên các phiếu còn thiếu.",
        ("Công chức thẩm định trên phần mềm nhưng không ký phiếu giấy.", "Quy trình chưa thống nhất giữa phần mềm một cửa và hồ sơ giấy."),
        CauseCategory.METHOD, "Sửa quy trình: dùng phiếu kiểm soát điện tử trên phần mềm một cửa thay phiếu giấy.",
        "Quy trình sửa đổi; kết xuất phiếu kiểm soát điện tử của 20 hồ sơ.",
    ),
    NcStory(
        "7.1.3", "Máy quét tài liệu tại bộ phận một cửa hỏng, hồ sơ tiếp nhận không được số hóa.",
        "Máy quét hỏng từ đầu tháng; 37 hồ sơ tiếp nhận trực tiếp chưa số hóa thành phần hồ sơ.",
        "Mượn tạm máy quét của Văn phòng để số hóa các hồ sơ tồn.",
        ("Máy quét hỏng không được sửa kịp thời.", "Không có kế hoạch bảo trì thiết bị và kinh phí dự phòng."),
        CauseCategory.EQUIPMENT, "Sửa chữa máy quét; lập kế hoạch bảo trì thiết bị bộ phận một cửa hằng năm.",
        "Biên bản nghiệm thu sửa chữa; kế hoạch bảo trì được phê duyệt.",
        NcSeverity.MAJOR,
    ),
    NcStory(
        "10.2", "Điểm không phù hợp của lần đánh giá trước chưa được kiểm tra hiệu lực của hành động khắc phục.",
        "02 phiếu yêu cầu khắc phục năm trước còn để trống phần kiểm tra hiệu lực.",
        "Thư ký ISO kiểm tra hiệu lực và hoàn thiện 02 phiếu.",
        ("Không có thời hạn kiểm tra hiệu lực trên phiếu.",),
        CauseCategory.DOCUMENTS, "Sửa biểu mẫu phiếu khắc phục: thêm hạn kiểm tra hiệu lực; theo dõi trên hệ thống.",
        "Biểu mẫu sửa đổi; danh sách phiếu đã kiểm tra hiệu lực.",
    ),
    NcStory(
        "7.5.3", "Hồ sơ giải quyết TTHC năm trước chưa được sắp xếp, lập danh mục và nộp lưu.",
        "Hồ sơ chứng thực năm trước để trong thùng các-tông, chưa có danh mục hồ sơ.",
        "Sắp xếp hồ sơ vào hộp, lập danh mục tạm.",
        ("Chưa có kho lưu trữ riêng.", "Kinh phí mua giá, hộp lưu trữ chưa được bố trí."),
        CauseCategory.ENVIRONMENT, "Bố trí phòng lưu trữ, mua giá và hộp đựng hồ sơ; lập danh mục hồ sơ theo năm.",
        "Danh mục hồ sơ lưu trữ; biên bản bàn giao hồ sơ vào kho.",
    ),
]

OBSERVATIONS = [
    ("8.5.2", "Sổ theo dõi hồ sơ ghi chép chưa thống nhất giữa hai công chức (cách ghi ngày hẹn trả)."),
    ("7.5.3", "Một số hồ sơ lưu thiếu bản sao giấy tờ tùy thân của người nộp."),
    ("7.3", "Một công chức chưa nêu được mục tiêu chất lượng liên quan đến công việc của mình."),
    ("8.2.1", "Hộp thư góp ý đặt ở vị trí khuất, ít người dân sử dụng."),
]
OPPORTUNITIES = [
    ("10.3", "Có thể gửi tin nhắn thông báo kết quả cho người dân khi hồ sơ đã giải quyết xong."),
    ("8.2.1", "Nên bố trí máy tính và người hướng dẫn nộp hồ sơ trực tuyến tại bộ phận một cửa."),
    ("9.1.3", "Nên phân tích số hồ sơ trễ hạn theo lĩnh vực để tìm nguyên nhân chung."),
]
GOOD_PRACTICES = [
    ("7.1.4", "Bộ phận một cửa bố trí ghế ưu tiên, nước uống và kính lão cho người cao tuổi."),
    ("8.5.1", "100% kết quả giải quyết hồ sơ hộ tịch được số hóa và trả trên Cổng dịch vụ công."),
    ("5.1.2", "Lãnh đạo UBND trực tiếp tiếp dân tại bộ phận một cửa vào thứ Năm hằng tuần."),
]
NOTES_CONFORM = [
    "Đã kiểm tra, phù hợp.", "Có hồ sơ đầy đủ.", "Phỏng vấn công chức, trả lời đúng.", "", "", "",
]


# --- Helpers -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _at(day: datetime.date, hour: int = 9):
    """Run the enclosed services as if on `day`: history rows, approvals and "today" checks all see
    that day. Each call of the clock advances a second, so rows keep their order."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    ticks = itertools.count()
    with mock.patch.object(timezone, "now", side_effect=lambda: start + datetime.timedelta(seconds=next(ticks))):
        yield


def _people(units: dict[str, Unit]) -> dict:
    User = get_user_model()
    people = {u.username: u for u in User.objects.filter(username__in=["qlcl", "lanhdao", "danhgia", "motcua", "motcua.boha"])}
    for username, full_name, role, position, unit_code in PEOPLE:
        last, first = full_name.rsplit(" ", 1)
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@yenthe.example"}
        )
        if created:
            user.set_password(core_demo.DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
        Membership.objects.update_or_create(user=user, unit=units[unit_code], defaults={"position": position})
        # Their training (the auditors' certificates, without which the audit plans are refused).
        competence_demo.train_person(user)
        people[username] = user
    return people


def _clauses(numbers):
    return list(IsoClause.objects.filter(number__in=numbers))


def _staff_for(unit: Unit, people, on: datetime.date):
    successor = unit.successor_as_of(core_demo.MERGER_DAY)
    return people[STAFF_OF.get(successor.code, "motcua")]


class _Loader:
    def __init__(self, units, people, scale: float):
        self.units = units
        self.people = people
        self.full = scale >= 1
        self.stories = itertools.cycle(NC_STORIES)
        self.obs = itertools.cycle(OBSERVATIONS)
        self.ofi = itertools.cycle(OPPORTUNITIES)
        self.good = itertools.cycle(GOOD_PRACTICES)

    def scope_2024(self, index: int, code: str) -> list[str]:
        if not self.full:
            return SMALL_SCOPE
        # The units ready on 31/12/2024 were audited on the whole standard that year.
        return FULL_SCOPE if code in core_demo.READY_2024 else HALF_SCOPES[index % 2]

    def scope_this_year(self) -> list[str]:
        return FULL_SCOPE if self.full else SMALL_SCOPE

    # An audit from plan to report -------------------------------------------------------------

    def run_audit(self, audit: Audit, *, start: datetime.date, lead, member, nc_count: int, extra_kinds, rng,
                  report=True, close_on=None, answer_share: float = 1.0):
        with _at(start, 8):
            services.audit_start(audit=audit, on=start, by=lead)
        items = list(audit.checklist.select_related("clause"))
        answered = items[: max(1, int(len(items) * answer_share))]
        planned_ncs: list[tuple[NcStory, object]] = []
        for _ in range(nc_count):
            story = next(self.stories)
            taken = [item for _s, item in planned_ncs]
            match = [i for i in items if i.clause.number.startswith(story.clause) and i not in taken]
            planned_ncs.append((story, (match or [i for i in items if i not in taken])[0]))
        nc_items = [item for _s, item in planned_ncs]
        with _at(start, 10):
            for item in answered:
                if item in nc_items:
                    continue  # recorded with its finding below
                if item.clause.number == "8.3":
                    result, notes = ChecklistResult.NOT_APPLICABLE, "Không áp dụng: UBND không thiết kế sản phẩm, dịch vụ mới."
                elif rng.random() < 0.07:
                    result, notes = ChecklistResult.OBSERVATION, "Cần lưu ý, xem phát hiện."
                else:
                    result, notes = ChecklistResult.CONFORMS, rng.choice(NOTES_CONFORM)
                services.checklist_item_record(item=item, result=result, notes=notes, by=rng.choice([lead, member]))
        ncs = []
        with _at(start, 15):
            for story, item in planned_ncs:
                clause = _clauses([story.clause])[0]
                kind = FindingKind.MAJOR_NC if story.severity == NcSeverity.MAJOR else FindingKind.MINOR_NC
                finding = services.finding_record(
                    audit=audit, kind=kind, clause=clause, statement=story.statement, evidence=story.evidence,
                    checklist_item=item, on=start, by=lead,
                )
                ncs.append((finding.nonconformity, story))
            for kind in extra_kinds:
                number, text = next({"observation": self.obs, "opportunity": self.ofi, "good_practice": self.good}[kind])
                services.finding_record(audit=audit, kind=kind, clause=_clauses([number])[0], statement=text, on=start, by=member)
        if report:
            end = start + datetime.timedelta(days=1)
            conclusion = (
                "Hệ thống quản lý chất lượng của đơn vị được duy trì và áp dụng phù hợp với TCVN ISO 9001:2015"
                + (f"; có {len(ncs)} điểm không phù hợp cần khắc phục." if ncs else "; không có điểm không phù hợp.")
            )
            with _at(end, 16):
                services.audit_report(audit=audit, conclusion=conclusion, on=end, by=lead)
            if close_on:
                with _at(close_on, 9):
                    services.audit_close(audit=audit, on=close_on, by=self.people["qlcl"])
        return ncs

    # A nonconformity, as far as its fate goes -------------------------------------------------

    def follow(self, nc: Nonconformity, story: NcStory, fate: str, *, staff, qo, today: datetime.date,
               transfer_on: datetime.date | None = None):
        """
        Take a nonconformity as far as `fate`: open (correction only) | analysed | planned (action not
        done) | awaiting (verification) | closed | reopened (not effective once, then closed). With
        `transfer_on`, it is analysed before the merger, handed to the successor then, and goes on there.
        """
        def on(value: datetime.date) -> datetime.date:
            return min(value, today)

        detected = nc.detected_on
        with _at(on(detected + datetime.timedelta(days=1))):
            services.nonconformity_record_correction(
                nc=nc, correction=story.correction, on=on(detected + datetime.timedelta(days=1)), by=staff
            )
        if fate == "open":
            return nc
        with _at(on(detected + datetime.timedelta(days=4))):
            services.nonconformity_analyse(
                nc=nc, whys=list(story.whys), cause_category=story.category, on=on(detected + datetime.timedelta(days=4)), by=staff
            )
        base, due = detected, nc.due_on
        if transfer_on:
            with _at(transfer_on, 14):
                services.nonconformity_transfer(nc=nc, to_unit=nc.unit.successor_as_of(transfer_on), on=transfer_on, by=qo)
            base, due = transfer_on, transfer_on + datetime.timedelta(days=30)
        if fate == "analysed":
            return nc
        with _at(on(base + datetime.timedelta(days=5))):
            action = services.corrective_action_add(nc=nc, description=story.action, responsible=staff, due_on=due, by=staff)
        if fate == "planned":
            return nc
        done = on(due - datetime.timedelta(days=3))
        with _at(done, 15):
            services.corrective_action_complete(action=action, done_on=done, evidence=story.action_evidence, by=staff)
        nc.refresh_from_db()
        if fate == "awaiting":
            return nc
        check = on(done + datetime.timedelta(days=30))
        if fate == "reopened":
            with _at(check, 10):
                services.nonconformity_verify(
                    nc=nc, effective=False, on=check, by=qo,
                    notes="Kiểm tra 10 hồ sơ tháng sau: vẫn còn 02 hồ sơ chưa đúng quy định.",
                )
            again = check + datetime.timedelta(days=2)
            with _at(again):
                services.nonconformity_analyse(
                    nc=nc, whys=[*story.whys, "Việc kiểm tra sau khi khắc phục chỉ làm một lần, không duy trì."][:5],
                    cause_category=story.category, on=again, by=staff,
                )
                action = services.corrective_action_add(
                    nc=nc, description="Lãnh đạo bộ phận kiểm tra ngẫu nhiên 10 hồ sơ mỗi tháng, ghi vào sổ theo dõi.",
                    responsible=staff, due_on=again + datetime.timedelta(days=30), by=staff,
                )
            done = again + datetime.timedelta(days=25)
            with _at(done, 15):
                services.corrective_action_complete(action=action, done_on=done, evidence="Sổ theo dõi kiểm tra hồ sơ hằng tháng.", by=staff)
            nc.refresh_from_db()
            check = done + datetime.timedelta(days=15)
        with _at(check, 10):
            services.nonconformity_verify(
                nc=nc, effective=True, on=check, notes="Kiểm tra ngẫu nhiên hồ sơ tháng sau: không lặp lại.", by=qo
            )
        return nc


# --- The two programmes ------------------------------------------------------------------------

#: 2024 audits: (unit code, month, day, NCs, extra finding kinds, fate of each NC). Audits late in
#: the year leave nonconformities open at the merger (1/7/2025).
PLAN_2024 = [
    ("07288", 3, 12, 2, ["good_practice"], ["closed", "reopened"]),
    ("07294", 3, 19, 1, ["observation", "opportunity"], ["closed"]),
    ("07243", 4, 9, 1, ["observation"], ["closed"]),
    ("07246", 4, 16, 2, ["opportunity"], ["closed", "closed"]),
    ("07249", 4, 23, 0, ["good_practice", "opportunity"], []),
    ("07252", 5, 14, 1, ["observation"], ["closed"]),
    ("07255", 5, 21, 1, [], ["closed"]),
    ("07258", 6, 11, 2, ["observation"], ["closed", "closed"]),
    ("07260", 6, 18, 1, ["good_practice"], ["closed"]),
    ("07261", 7, 9, 1, ["opportunity"], ["closed"]),
    ("07264", 7, 16, 1, ["observation"], ["reopened"]),
    ("07267", 8, 13, 1, [], ["closed"]),
    ("07270", 8, 20, 1, ["observation", "good_practice"], ["closed"]),
    ("07273", 9, 10, 1, ["opportunity"], ["closed"]),
    ("07276", 9, 17, 1, ["observation"], ["transfer:closed"]),
    ("07279", 10, 8, 2, ["good_practice"], ["transfer:planned", "closed"]),
    ("07282", 10, 22, 1, ["observation"], ["awaiting"]),
    ("07285", 11, 12, 1, ["opportunity"], ["analysed"]),
    ("07291", 11, 19, 1, ["observation"], ["open"]),
]


def load_2024(loader: _Loader, people, today):
    units = loader.units
    qlcl, lanhdao, danhgia = people["qlcl"], people["lanhdao"], people["danhgia"]
    pool = [people["danhgia.boha"], people["danhgia.xuanluong"], people["danhgia.dongky"]]
    with _at(D(2024, 1, 8)):
        programme = services.programme_save(
            programme=AuditProgramme(
                year=2024, title=TITLE_2024,
                scope="Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 của UBND 19 xã, thị trấn thuộc huyện Yên Thế: "
                      "các quy trình giải quyết TTHC tại bộ phận một cửa và các quy trình hệ thống.",
                objectives="Đánh giá sự phù hợp và hiệu lực của HTQLCL tại từng đơn vị; phát hiện điểm không phù hợp và cơ hội cải tiến; "
                           "chuẩn bị cho việc công bố lại và kiểm tra của Sở Khoa học và Công nghệ.",
                criteria="TCVN ISO 9001:2015; Quyết định 19/2014/QĐ-TTg; Quyết định 101/QĐ-BKHCN; tài liệu HTQLCL của đơn vị; "
                         "quy định pháp luật về giải quyết TTHC.",
            ),
            units=[units[code] for code, *_ in core_demo.OLD_UNITS], by=qlcl,
        )
        audits = {}
        for index, (code, month, day, *_rest) in enumerate(PLAN_2024):
            start = D(2024, month, day)
            audits[code] = services.audit_save(
                audit=Audit(programme=programme, unit=units[code], planned_start=start, planned_end=start + datetime.timedelta(days=1),
                            lead_auditor=danhgia, criteria=programme.criteria),
                auditors=[pool[index % 3]], clauses=_clauses(loader.scope_2024(index, code)), by=qlcl,
            )
    with _at(D(2024, 1, 15), 14):
        services.programme_approve(programme=programme, by=lanhdao)

    for index, (code, _month, _day, nc_count, kinds, fates) in enumerate(PLAN_2024):
        audit = audits[code]
        rng = random.Random(f"2024-{code}")  # noqa: S311 - demo content, not security
        member = pool[index % 3]
        start = audit.planned_start
        ncs = loader.run_audit(
            audit, start=start, lead=danhgia, member=member, nc_count=nc_count, extra_kinds=kinds, rng=rng,
            close_on=start + datetime.timedelta(days=14),
        )
        for (nc, story), fate in zip(ncs, fates, strict=True):
            staff = _staff_for(nc.unit, people, start)
            transfer_on = D(2025, 7, 15) if fate.startswith("transfer:") else None
            fate = fate.removeprefix("transfer:")
            # Before the merger only, unless the story goes on in the successor commune.
            loader.follow(nc, story, fate, staff=staff, qo=qlcl, today=today if transfer_on else core_demo.LAST_DAY_OF_DISTRICT,
                          transfer_on=transfer_on)

    # Nonconformities from other sources before the merger.
    others = [
        ("07260", NcSource.LATE_DOSSIER, "Báo cáo tháng 7/2024 (Biểu 06)", D(2024, 8, 5), NC_STORIES[1], "closed",
         "Tháng 7/2024 có 5/42 hồ sơ đăng ký khai sinh giải quyết trễ hạn, không có văn bản xin lỗi người dân."),
        ("07294", NcSource.COMPLAINT, "Phản ánh qua đường dây nóng ngày 02/10/2024", D(2024, 10, 3), NC_STORIES[3], "closed",
         "Người dân phản ánh phải đi lại 3 lần để bổ sung hồ sơ cấp bản sao trích lục do công chức hướng dẫn không đầy đủ một lần."),
        ("215", NcSource.MANAGEMENT_REVIEW, "Biên bản họp xem xét của lãnh đạo ngày 20/12/2024", D(2024, 12, 20), NC_STORIES[4], "closed",
         "Tỷ lệ hồ sơ nộp trực tuyến toàn trình của huyện năm 2024 đạt 38%, thấp hơn mục tiêu chất lượng 50%."),
        ("07291", NcSource.PROCESS_MONITORING, "Theo dõi quá trình tiếp nhận hồ sơ quý I/2025", D(2025, 3, 24), NC_STORIES[6], "planned",
         "Phần mềm một cửa không đồng bộ trạng thái 12 hồ sơ với Cổng dịch vụ công, người dân tra cứu thấy “đang xử lý” khi đã có kết quả."),
    ]
    for code, source, reference, day, story, fate, description in others:
        with _at(day, 11):
            nc = services.nonconformity_open(
                unit=units[code], source=source, source_reference=reference, description=description,
                clause=_clauses([story.clause])[0], detected_on=day, by=qlcl,
            )
        staff = people["qlcl"] if code == "215" else _staff_for(units[code], people, day)
        loader.follow(nc, story, fate, staff=staff, qo=qlcl, today=D(2025, 6, 30))
    return programme


def _this_year(today: datetime.date) -> int:
    """This year's programme needs a few months behind it; early in a year the demo tells last year's."""
    return today.year if today >= D(today.year, 4, 1) else today.year - 1


def load_this_year(loader: _Loader, people, today):
    units = loader.units
    year = _this_year(today)
    qlcl, lanhdao = people["qlcl"], people["lanhdao"]
    boha, xuanluong, dongky = people["danhgia.boha"], people["danhgia.xuanluong"], people["danhgia.dongky"]
    last = min(today, D(year, 12, 31))
    span = (last - D(year, 2, 1)).days

    def day(share: float) -> datetime.date:
        return D(year, 2, 1) + datetime.timedelta(days=int(span * share))

    in_progress_start = last - datetime.timedelta(days=1)
    planned_start = min(today + datetime.timedelta(days=12), D(year, 12, 29))
    plan = [
        # unit, lead, member, start, NCs, extra findings, fates, report/close, answer share
        ("BN-BOHA", xuanluong, dongky, day(0.2), 2, ["good_practice", "observation"], ["closed", "awaiting"], "closed", 1.0),
        ("BN-XUANLUONG", boha, dongky, day(0.45), 2, ["opportunity"], ["planned_overdue", "closed"], "closed", 1.0),
        ("BN-DONGKY", boha, xuanluong, day(0.75), 2, ["observation"], ["analysed", "open"], "reported", 1.0),
        ("BN-YENTHE", dongky, xuanluong, in_progress_start, 0, [], [], "in_progress", 0.5),
        ("BN-TAMTIEN", xuanluong, boha, planned_start, 0, [], [], "planned", 0),
    ]
    with _at(D(year, 1, 6)):
        programme = services.programme_save(
            programme=AuditProgramme(
                year=year, title=f"Chương trình đánh giá nội bộ năm {year} – 5 xã (sau sắp xếp đơn vị hành chính)",
                scope="HTQLCL theo TCVN ISO 9001:2015 được xây dựng lại sau sắp xếp đơn vị hành chính tại UBND 5 xã: "
                      "Yên Thế, Bố Hạ, Đồng Kỳ, Xuân Lương, Tam Tiến. Các xã đánh giá chéo lẫn nhau.",
                objectives="Đánh giá việc áp dụng HTQLCL mới tại các xã; bảo đảm quy trình nội bộ đã cập nhật theo thẩm quyền cấp xã mới; "
                           "phát hiện điểm không phù hợp trước khi công bố hệ thống phù hợp.",
                criteria="TCVN ISO 9001:2015; Quyết định 19/2014/QĐ-TTg; tài liệu HTQLCL của từng xã; quy định về chính quyền địa phương hai cấp.",
            ),
            units=[units[code] for code in core_demo.SUCCESSOR_CODES], by=qlcl,
        )
        audits = {}
        for code, lead, member, start, *_rest in plan:
            audits[code] = services.audit_save(
                audit=Audit(programme=programme, unit=units[code], planned_start=start, planned_end=start + datetime.timedelta(days=1),
                            lead_auditor=lead, criteria=programme.criteria),
                auditors=[member], clauses=_clauses(loader.scope_this_year()), by=qlcl,
            )
    with _at(D(year, 1, 12), 15):
        services.programme_approve(programme=programme, by=lanhdao)

    for code, lead, member, start, nc_count, kinds, fates, state, share in plan:
        if state == "planned":
            continue
        audit = audits[code]
        rng = random.Random(f"{year}-{code}")  # noqa: S311 - demo content, not security
        reported = state in ("reported", "closed")
        ncs = loader.run_audit(
            audit, start=start, lead=lead, member=member, nc_count=nc_count, extra_kinds=kinds, rng=rng,
            report=reported, close_on=min(start + datetime.timedelta(days=10), today) if state == "closed" else None,
            answer_share=share,
        )
        staff = people[STAFF_OF[code]]
        for (nc, story), fate in zip(ncs, fates, strict=True):
            if fate == "planned_overdue":
                loader.follow(nc, story, "analysed", staff=staff, qo=qlcl, today=today)
                due = max(today - datetime.timedelta(days=12), nc.detected_on)
                with _at(min(nc.detected_on + datetime.timedelta(days=5), today)):
                    services.corrective_action_add(nc=nc, description=story.action, responsible=staff, due_on=due, by=staff)
            else:
                loader.follow(nc, story, fate, staff=staff, qo=qlcl, today=today)

    # This year's nonconformities from dossiers and citizens: one action overdue, one due within a week.
    others = [
        ("BN-YENTHE", NcSource.LATE_DOSSIER, "Báo cáo tình hình giải quyết TTHC tháng trước", 40, 10, NC_STORIES[1],
         "Có 7 hồ sơ chứng thực hợp đồng giao dịch về đất đai giải quyết trễ hạn do chờ trích lục bản đồ địa chính."),
        ("BN-BOHA", NcSource.COMPLAINT, "Đơn phản ánh trên Cổng dịch vụ công", 20, -5, NC_STORIES[3],
         "Người dân phản ánh bảng niêm yết TTHC tại bộ phận một cửa xã còn ghi tên đơn vị hành chính cũ."),
        ("BN-TAMTIEN", NcSource.PROCESS_MONITORING, "Theo dõi thời gian chờ tại bộ phận một cửa", 5, None, NC_STORIES[7],
         "Máy lấy số thứ tự hỏng 3 ngày, người dân phải chờ không theo thứ tự."),
    ]
    for code, source, reference, days_ago, action_due_days_ago, story, description in others:
        detected = today - datetime.timedelta(days=days_ago)
        staff = people[STAFF_OF[code]]
        with _at(detected, 10):
            nc = services.nonconformity_open(
                unit=units[code], source=source, source_reference=reference, description=description,
                clause=_clauses([story.clause])[0], detected_on=detected, by=qlcl,
            )
        if action_due_days_ago is None:
            continue
        loader.follow(nc, story, "analysed", staff=staff, qo=qlcl, today=today)
        with _at(min(detected + datetime.timedelta(days=3), today)):
            services.corrective_action_add(
                nc=nc, description=story.action, responsible=staff, due_on=today - datetime.timedelta(days=action_due_days_ago), by=staff,
            )
    return programme


def load(*, stdout, scale: float = 1.0):
    today = timezone.localdate()
    if AuditProgramme.objects.filter(title=TITLE_2024).exists():
        stdout.write("  audits: already loaded")
        return None
    units = {u.code: u for u in Unit.objects.all()}
    people = _people(units)
    loader = _Loader(units, people, scale)
    with notifications_muted():  # the demo's history tells nobody: it happened before anyone used the system
        load_2024(loader, people, today)
        load_this_year(loader, people, today)
    ncs = Nonconformity.objects.all()
    stdout.write(
        f"  audits: {AuditProgramme.objects.count()} programmes, {Audit.objects.count()} audits, "
        f"{ncs.count()} nonconformities ({ncs.exclude(status=NcStatus.CLOSED).count()} open, "
        f"{ncs.overdue(today).count()} overdue); auditors danhgia.boha, danhgia.xuanluong, danhgia.dongky "
        f"and staff motcua.dongky, motcua.xuanluong, motcua.tamtien (password {core_demo.DEMO_PASSWORD})"
    )
    return None
