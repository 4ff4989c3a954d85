"""
Demo of the context and risk registers: the former district keeps the template of context issues and
interested parties; each of the five communes formed on 1/7/2025 copied it and adapted it, and keeps a
register of risks and opportunities with actions in several states. Bố Hạ and Yên Thế are complete;
Đồng Kỳ has a high risk without any action; Xuân Lương and Tam Tiến last reviewed their registers more
than a year ago, so readiness shows both kinds of unit. Dates are counted back from today, so the
picture holds whenever the demo is loaded. Idempotent: a commune with a register is left alone.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from audits.models import Nonconformity
from qms.core.demo import DISTRICT_CODE
from qms.core.models import AdministrativeProcedure, Unit
from qms.notifications.services import notifications_muted

from .models import (
    ContextIssue,
    InterestedParty,
    IssueCategory,
    IssueDirection,
    PartyKind,
    Risk,
    RiskKind,
    RiskSource,
    Treatment,
)
from .services import (
    context_issue_save,
    context_review_record,
    context_template_copy,
    interested_party_save,
    risk_action_complete,
    risk_action_review,
    risk_action_save,
    risk_save,
)

TEMPLATE_ISSUES = [
    (IssueDirection.EXTERNAL, IssueCategory.LEGAL, "Văn bản quy phạm pháp luật về TTHC thay đổi thường xuyên (đất đai, hộ tịch)",
     "Quy trình nội bộ phải cập nhật trong 3 tháng; nguy cơ áp dụng quy định cũ"),
    (IssueDirection.EXTERNAL, IssueCategory.TECHNOLOGY, "Hệ thống thông tin giải quyết TTHC và Cổng dịch vụ công đôi khi gián đoạn",
     "Hồ sơ trực tuyến tiếp nhận chậm, thanh toán trực tuyến lỗi"),
    (IssueDirection.EXTERNAL, IssueCategory.CITIZENS, "Người dân mong muốn giải quyết nhanh, nộp hồ sơ trực tuyến và ít phải đi lại",
     "Chỉ tiêu tỷ lệ đúng hạn và mức độ hài lòng"),
    (IssueDirection.INTERNAL, IssueCategory.PEOPLE, "Số công chức Bộ phận Một cửa ít, kiêm nhiệm nhiều việc sau sắp xếp đơn vị hành chính",
     "Khó bố trí người thay thế khi nghỉ phép"),
    (IssueDirection.INTERNAL, IssueCategory.INFRASTRUCTURE, "Trụ sở Bộ phận Một cửa chật, thiết bị số hóa hồ sơ đã cũ",
     "Số hóa hồ sơ chậm, người dân chờ lâu"),
]

TEMPLATE_PARTIES = [
    (PartyKind.CITIZENS, "Người dân trên địa bàn", "Giải quyết đúng hạn, công khai, thái độ phục vụ tốt",
     "Phiếu khảo sát mức độ hài lòng, hòm thư góp ý, phản ánh kiến nghị"),
    (PartyKind.BUSINESSES, "Hộ kinh doanh, doanh nghiệp", "Đăng ký kinh doanh nhanh, trực tuyến toàn trình",
     "Khảo sát định kỳ, làm việc với Hội doanh nghiệp"),
    (PartyKind.AUTHORITY, "UBND tỉnh và các sở, ngành", "Báo cáo đúng hạn (Biểu 06), thực hiện đúng quy định",
     "Kết quả kiểm tra, đánh giá chỉ số cải cách hành chính"),
    (PartyKind.PARTY_COMMITTEE, "Đảng ủy xã", "Thực hiện nghị quyết về cải cách hành chính", "Báo cáo tại hội nghị Đảng ủy"),
]

#: (kind, title, source, TTHC code, process, likelihood, impact, treatment, residual, actions)
#: actions: (description, owner key, due in days from today, state) with state one of "open", "done",
#: "effective", "not_effective".
RISKS = [
    (RiskKind.RISK, "Hồ sơ đất đai trễ hạn do xác minh nguồn gốc đất kéo dài", RiskSource.LATE_DOSSIERS, "DEMO-DD-02", "",
     4, 4, Treatment.REDUCE, (2, 3), [
         ("Lập danh sách thửa đất cần xác minh và phối hợp với địa chính ngay khi tiếp nhận", "officer", -60, "effective"),
         ("Thông báo hẹn trả kết quả mới và xin lỗi người dân khi xác minh quá hạn", "staff", 20, "open"),
     ]),
    (RiskKind.RISK, "Chỉ có một công chức Một cửa; khi nghỉ phép không có người tiếp nhận hồ sơ", RiskSource.CONTEXT_ISSUE, "",
     "Tiếp nhận và trả kết quả", 3, 5, Treatment.REDUCE, None, [
         ("Phân công và đào tạo công chức dự phòng tiếp nhận hồ sơ", "leader", -10, "open"),
     ]),
    (RiskKind.RISK, "Thanh toán trực tuyến phí, lệ phí bị lỗi, người dân phải nộp lại", RiskSource.COMPLAINT, "DEMO-HT-02", "",
     3, 3, Treatment.TRANSFER, (2, 2), [
         ("Đề nghị nhà cung cấp dịch vụ thanh toán khắc phục và hướng dẫn nộp trực tiếp khi lỗi", "officer", -30, "done"),
     ]),
    (RiskKind.RISK, "Áp dụng quy trình cũ khi văn bản pháp luật về hộ tịch thay đổi", RiskSource.CONTEXT_ISSUE, "DEMO-HT-01", "",
     2, 3, Treatment.ACCEPT, None, []),
    (RiskKind.OPPORTUNITY, "Mở rộng nộp hồ sơ trực tuyến toàn trình cho thủ tục hộ tịch", RiskSource.INTERESTED_PARTY, "DEMO-HT-01", "",
     4, 3, Treatment.PURSUE, None, [
         ("Hướng dẫn người dân nộp trực tuyến tại Bộ phận Một cửa (tổ công nghệ số cộng đồng)", "staff", -45, "not_effective"),
     ]),
]

#: What each commune's registers look like: (context reviewed months ago, risks assessed months ago,
#: leave the high risks of these titles' indexes without actions).
PROFILES = {
    "BN-YENTHE": (2, 2, ()),
    "BN-BOHA": (4, 3, ()),
    "BN-DONGKY": (5, 5, (1,)),
    "BN-XUANLUONG": (14, 6, ()),
    "BN-TAMTIEN": (15, 15, ()),
}


#: The one-stop officer of each commune in the demo (core's and the audits' demo users).
STAFF = {"BN-YENTHE": "motcua", "BN-BOHA": "motcua.boha", "BN-DONGKY": "motcua.dongky",
         "BN-XUANLUONG": "motcua.xuanluong", "BN-TAMTIEN": "motcua.tamtien"}


def _people():
    User = get_user_model()
    by_name = {u.username: u for u in User.objects.filter(username__in=["qlcl", "lanhdao", *STAFF.values()])}
    officer, leader = by_name.get("qlcl"), by_name.get("lanhdao")
    return {code: {"officer": officer, "leader": leader, "staff": by_name.get(STAFF[code]) or officer} for code in PROFILES}


def _template(district: Unit, today: datetime.date) -> None:
    if ContextIssue.objects.filter(unit=district, is_template=True).exists():
        return
    for direction, category, description, effect in TEMPLATE_ISSUES:
        context_issue_save(issue=ContextIssue(unit=district, direction=direction, category=category, description=description,
                                              effect=effect, is_template=True))
    for kind, name, needs, monitoring in TEMPLATE_PARTIES:
        interested_party_save(party=InterestedParty(unit=district, kind=kind, name=name, needs=needs, monitoring=monitoring,
                                                    is_template=True))


def _register(unit: Unit, people: dict, today: datetime.date, profile) -> None:
    context_months, risk_months, untreated = profile
    officer = people["officer"]
    context_template_copy(unit=unit, by=officer)
    # Adapted: the commune adds an issue of its own.
    context_issue_save(issue=ContextIssue(
        unit=unit, direction=IssueDirection.EXTERNAL, category=IssueCategory.INFRASTRUCTURE,
        description=f"Địa bàn {unit.name} rộng sau sáp nhập, người dân ở xa trụ sở",
        effect="Người dân đi lại nhiều lần nếu hồ sơ thiếu giấy tờ",
    ))
    context_review_record(unit=unit, by=officer, on=today - relativedelta(months=context_months),
                          note="Rà soát bối cảnh và các bên quan tâm sau sắp xếp đơn vị hành chính.")
    assessed = today - relativedelta(months=risk_months)
    issue = ContextIssue.objects.filter(unit=unit, category=IssueCategory.PEOPLE).first()
    party = InterestedParty.objects.filter(unit=unit, kind=PartyKind.CITIZENS).first()
    nc = Nonconformity.objects.filter(unit=unit).order_by("pk").first()
    procedures = {p.code: p for p in AdministrativeProcedure.objects.filter(code__in=[r[3] for r in RISKS if r[3]])}
    for index, (kind, title, source, code, process, likelihood, impact, treatment, residual, actions) in enumerate(RISKS):
        risk = risk_save(risk=Risk(
            unit=unit, kind=kind, title=title, source=source, procedure=procedures.get(code), process=process,
            context_issue=issue if source == RiskSource.CONTEXT_ISSUE else None,
            interested_party=party if source == RiskSource.INTERESTED_PARTY else None,
            nonconformity=nc if source == RiskSource.AUDIT else None,
            likelihood=likelihood, impact=impact, owner=people["leader"] or officer, treatment=treatment,
            residual_likelihood=residual[0] if residual else None, residual_impact=residual[1] if residual else None,
            assessed_on=assessed, next_review_on=assessed + relativedelta(months=12),
        ))
        if index in untreated:
            continue
        for description, owner_key, due_in, state in actions:
            due = max(today + datetime.timedelta(days=due_in), assessed + datetime.timedelta(days=14))
            action = risk_action_save(action=risk.actions.model(
                risk=risk, description=description, owner=people[owner_key] or officer, due_on=due))
            if state == "open":
                continue
            done_on = min(due, today)
            risk_action_complete(action=action, by=officer, done_on=done_on, result="Đã thực hiện theo kế hoạch; có biên bản kèm theo.")
            if state in ("effective", "not_effective"):
                risk_action_review(
                    action=action, by=officer, effective=state == "effective", on=min(done_on + datetime.timedelta(days=7), today),
                    note="Tỷ lệ hồ sơ đúng hạn tăng." if state == "effective" else "Số hồ sơ trực tuyến chưa tăng; cần cách làm khác.",
                )


def load(*, stdout, scale: float = 1.0) -> None:
    """The registers are a handful of records per commune: `scale` (for the bulk dossiers) leaves them alone."""
    today = timezone.localdate()
    units = {u.code: u for u in Unit.objects.filter(code__in=[DISTRICT_CODE, *PROFILES])}
    if DISTRICT_CODE not in units:
        stdout.write("  risks: no demo district")
        return
    people = _people()
    with notifications_muted():
        _template(units[DISTRICT_CODE], today)
        for code, profile in PROFILES.items():
            if code in units and not Risk.objects.filter(unit=units[code]).exists():
                _register(units[code], people[code], today, profile)
    stdout.write(
        f"  risks: {ContextIssue.objects.count()} context issues, {InterestedParty.objects.count()} parties, "
        f"{Risk.objects.count()} risks and opportunities ({Risk.objects.high_without_action().count()} high without action)"
    )
