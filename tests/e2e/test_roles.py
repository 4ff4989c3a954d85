"""
Each role walks its main task from its first screen at 1366×768 (issue 13), and no screen it visits scrolls
sideways: the leader sends a document back with a comment, the drafter is told and resubmits, the leader
approves; the auditor opens a nonconformity, the unit is told and answers; the one-stop officer imports last
month and reads its Biểu 06; the quality officer reads the district overview.

With QMS_GUIDE_SHOTS=1 the walks also save the screenshots of the user guide (docs/img/guide/,
docs/user-guide.md): the guide shows the screens as they are.
"""

import datetime
import os
import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from audits.models import Audit, Nonconformity
from procedures_docs import services
from procedures_docs.models import ControlledDocumentPage, DocumentLibraryPage
from qms.core.models import Unit
from qms.core.roles import Role, has_role
from qms.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.e2e

GUIDE_SHOTS = settings.BASE_DIR / "docs" / "img" / "guide"


#: The visible elements of Wagtail's content column that reach past its right edge, outside any frame that
#: scrolls or clips them (a wide table in .qms-table-frame scrolls inside it), except Wagtail's off-canvas
#: panels, which wait past the right edge by design (the editor's side panel and minimap).
SPILLING = """() => {
    const main = document.querySelector('main#main');
    if (!main) return [];
    const edge = main.getBoundingClientRect().right + 1;
    const OFF_CANVAS = '.w-minimap, .form-side';
    const framed = element => {
        for (let a = element.parentElement; a && a !== main; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
    };
    return [...main.querySelectorAll('*')].filter(element => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.right > edge && getComputedStyle(element).visibility !== 'hidden'
            && !element.closest(OFF_CANVAS) && !framed(element);
    }).slice(0, 5).map(element => element.tagName + '.' + element.className + ' ' + Math.round(element.getBoundingClientRect().right));
}"""


def fits(page):
    """
    Nothing is wider than the screen: the page does not scroll sideways, and nothing is cut off on the
    right. Wagtail's content column (main#main) scrolls by itself and clips what is wider than it
    (overflow-x: hidden), so the document's width alone would always pass.
    """
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{page.url} scrolls sideways"
    spilling = page.evaluate(SPILLING)
    assert not spilling, f"{page.url} cuts off on the right: {spilling}"


def shot(page, name):
    """Keep a screenshot for the user guide when asked (QMS_GUIDE_SHOTS=1)."""
    if os.environ.get("QMS_GUIDE_SHOTS"):
        GUIDE_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=GUIDE_SHOTS / f"{name}.png")


def eventually(page, condition, seconds=15):
    """Wait until `condition()` holds (a workflow action posts from a modal, then reloads the dashboard)."""
    for _ in range(seconds * 4):
        if condition():
            return
        page.wait_for_timeout(250)
    raise AssertionError("never happened")


def notified(user, kind):
    return Notification.objects.filter(recipient__username=user, kind=kind)


def test_leader_sends_back_drafter_resubmits_leader_approves(as_user, demo_site):
    from django.contrib.auth import get_user_model

    people = {u.username: u for u in get_user_model().objects.filter(username__in=["qlcl", "soatxet", "lanhdao"])}
    library = DocumentLibraryPage.objects.get(unit__code="BN-YENTHE")
    document = ControlledDocumentPage.objects.descendant_of(library).live().order_by("path").first()
    services.document_edit(page=document, by=people["qlcl"], change_summary="Cập nhật căn cứ pháp lý năm 2026")
    services.document_submit(page=document, by=people["qlcl"])
    services.document_review(page=document, by=people["soatxet"], approve=True)  # the reviewer's step: the leader's comes next
    title = document.title

    # 1. The leader's first screen: the document waits for them; they send it back with a comment.
    leader = as_user("lanhdao")
    fits(leader)
    awaiting = leader.locator("section", has=leader.get_by_text(title)).last
    expect(awaiting).to_be_visible()
    shot(leader, "lanh-dao-1-cho-phe-duyet")
    row = leader.locator("tr", has=leader.get_by_text(title)).first
    row.locator("[data-w-dropdown-target='toggle'], .w-dropdown__toggle").first.click()
    row.locator("button[data-workflow-action-url*='/reject/']").click()
    modal = leader.locator(".modal-dialog, dialog, [role=dialog]").filter(has=leader.locator("textarea")).first
    modal.locator("textarea").fill("Bổ sung Nghị định 118/2025/NĐ-CP vào căn cứ pháp lý.")
    shot(leader, "lanh-dao-2-yeu-cau-chinh-sua")
    with leader.expect_navigation():  # the modal's script goes back to the dashboard: let it land before going on
        modal.locator("button[type=submit], input[type=submit]").first.click()
    eventually(leader, lambda: WorkflowState.objects.for_instance(document).filter(status=WorkflowState.STATUS_NEEDS_CHANGES).exists())
    leader.goto(f"{demo_site}/admin/")
    fits(leader)

    # 2. The drafter is told (a notification, mailed now by default), reads the comment and resubmits.
    told = notified("qlcl", NotificationKind.DOCUMENT_REJECTED)
    assert told.count() == 1
    assert any(title in message.subject or title in message.body for message in mail.outbox)
    drafter = as_user("qlcl")
    drafter.goto(f"{demo_site}/admin/notifications/")
    fits(drafter)
    expect(drafter.locator("main")).to_contain_text(title)
    drafter.goto(f"{demo_site}/admin/pages/{document.pk}/edit/")
    expect(drafter.locator("body")).to_contain_text("Bổ sung Nghị định 118/2025/NĐ-CP")
    fits(drafter)
    shot(drafter, "iso-1-sua-theo-y-kien")
    drafter.locator("footer .w-dropdown__toggle").first.click()
    drafter.locator("button[name='action-submit']").click()
    expect(drafter.locator(".messages")).to_be_visible()
    page_now = ControlledDocumentPage.objects.get(pk=document.pk)
    assert page_now.workflow_in_progress

    # 3. Back on the leader's first screen, they approve it: the new revision is in force.
    leader.goto(f"{demo_site}/admin/")
    row = leader.locator("tr", has=leader.get_by_text(title)).first
    row.locator("[data-w-dropdown-target='toggle'], .w-dropdown__toggle").first.click()
    row.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])").first.click()
    eventually(leader, lambda: not ControlledDocumentPage.objects.get(pk=document.pk).workflow_in_progress)
    leader.goto(f"{demo_site}/admin/")
    fits(leader)
    page_now = ControlledDocumentPage.objects.get(pk=document.pk)
    assert not page_now.workflow_in_progress and page_now.live
    assert notified("qlcl", NotificationKind.DOCUMENT_APPROVED).count() == 1


def test_auditor_opens_a_nonconformity_the_unit_is_told_and_answers(as_user, demo_site):
    audit = Audit.objects.get(unit__code="BN-YENTHE", status="in_progress")
    item = audit.checklist.filter(result="").order_by("position").first()

    # 1. The auditor's first screen: their audits and the findings they left open.
    auditor = as_user("danhgia.dongky")
    fits(auditor)
    work = auditor.get_by_test_id("my-work-panel")
    expect(work).to_contain_text("Xã Yên Thế")
    shot(auditor, "danh-gia-1-cuoc-danh-gia-cua-toi")
    work.get_by_role("link", name=re.compile("Xã Yên Thế")).first.click()
    fits(auditor)
    auditor.locator(f"#item-{item.pk} input[value=nonconformity]").check()
    auditor.keyboard.press("Control+s")
    auditor.wait_for_load_state("networkidle")
    auditor.locator(f"#item-{item.pk}").get_by_text("Ghi phát hiện").click()
    form = auditor.get_by_test_id("finding-form")
    form.locator("textarea[name=statement]").fill("Sổ theo dõi hồ sơ không ghi ngày trả kết quả.")
    form.locator("textarea[name=evidence]").fill("Sổ theo dõi tháng 11, 6 hồ sơ thiếu ngày trả.")
    shot(auditor, "danh-gia-2-ghi-phat-hien")
    form.get_by_role("button", name="Ghi nhận phát hiện").click()
    auditor.wait_for_load_state("networkidle")
    nc = Nonconformity.objects.get(finding__audit=audit, finding__statement__startswith="Sổ theo dõi hồ sơ")
    expect(auditor.get_by_text(f"đã mở điểm không phù hợp {nc.reference}")).to_be_visible()
    fits(auditor)
    auditor.goto(f"{demo_site}/admin/")
    expect(auditor.get_by_test_id("raised-open")).to_contain_text(nc.reference)

    # 2. The unit is told: its people get the notification, once each, with the link to the nonconformity.
    told = Notification.objects.filter(kind=NotificationKind.NC_OPENED, link__contains=f"/nonconformities/detail/{nc.pk}/")
    assert told.exists() and told.count() == told.values("recipient").distinct().count()
    unit = Unit.objects.get(code="BN-YENTHE")
    recipients = [n.recipient for n in told.select_related("recipient")]
    assert "lanhdao" in {r.username for r in recipients}  # the unit's leader
    answerer = next(r for r in recipients if has_role(r, Role.QUALITY_OFFICER) and r.memberships.filter(unit=unit).exists())

    # 3. The unit's quality officer follows the link and answers: correction and root cause.
    officer = as_user(answerer.username)
    officer.goto(f"{demo_site}/admin/notifications/")
    officer.get_by_role("link", name=re.compile(re.escape(nc.reference))).first.click()
    expect(officer.get_by_test_id("nc-status")).to_have_text("Đang mở")
    fits(officer)
    officer.get_by_test_id("correction-form").locator("textarea[name=correction]").fill("Bổ sung ngày trả kết quả cho 6 hồ sơ.")
    officer.get_by_test_id("correction-form").get_by_role("button", name="Lưu khắc phục tức thời").click()
    expect(officer.get_by_text("Đã ghi nhận khắc phục tức thời.")).to_be_visible()
    analysis = officer.get_by_test_id("analysis-form")
    analysis.locator("textarea[name=why_1]").fill("Công chức chưa được hướng dẫn ghi sổ theo mẫu mới.")
    analysis.locator("select[name=cause_category]").select_option("documents")
    shot(officer, "don-vi-1-tra-loi-diem-khong-phu-hop")
    analysis.get_by_role("button", name="Lưu nguyên nhân").click()
    expect(officer.get_by_test_id("nc-status")).to_have_text("Đã phân tích nguyên nhân")
    fits(officer)


def test_one_stop_officer_imports_last_month_and_reads_its_bieu06(as_user, demo_site):
    today = timezone.localdate()
    month_end = today.replace(day=1) - datetime.timedelta(days=1)
    day = month_end.replace(day=5)
    rows = "\n".join([
        "Mã hồ sơ;Mã đơn vị;Mã thủ tục;Kênh nộp;Ngày tiếp nhận;Ngày hẹn trả;Ngày kết thúc xử lý;Ngày trả kết quả;Trạng thái",
        f"THANG-001;BN-YENTHE;DEMO-HT-08;Trực tuyến;{day:%d/%m/%Y} 08:00;{day + datetime.timedelta(days=3):%d/%m/%Y} 17:00;"
        f"{day + datetime.timedelta(days=2):%d/%m/%Y} 10:00;{day + datetime.timedelta(days=3):%d/%m/%Y} 09:00;10",
        f"THANG-002;BN-YENTHE;DEMO-HT-08;Trực tiếp;{day:%d/%m/%Y} 09:00;{day + datetime.timedelta(days=3):%d/%m/%Y} 17:00;;;",
    ]) + "\n"

    # 1. The first screen: last month's figures, the import button, the link to last month's Biểu 06.
    staff = as_user("motcua")
    fits(staff)
    panel = staff.get_by_test_id("last-month-panel")
    expect(panel).to_contain_text(f"Tháng trước ({month_end:%m/%Y})")
    shot(staff, "mot-cua-1-bang-dieu-khien")
    panel.get_by_test_id("import-last-month").click()
    fits(staff)
    staff.set_input_files("input[name=file]", files=[{"name": f"ho-so-{month_end:%m-%Y}.csv", "mimeType": "text/csv", "buffer": rows.encode("utf-8")}])
    shot(staff, "mot-cua-2-nhap-ho-so")
    staff.get_by_role("button", name="Nhập", exact=True).click()
    staff.wait_for_url("**/admin/dossier_import/*/")
    expect(staff.get_by_test_id("import-summary")).to_contain_text("Đã nhập 2 dòng: thêm mới 2, cập nhật 0.")
    fits(staff)

    # 2. Back on the first screen, the import is listed with the receipt dates it brought.
    staff.goto(f"{demo_site}/admin/")
    imports = staff.get_by_test_id("last-imports")
    expect(imports).to_contain_text(f"{day:%d/%m/%Y} – {day:%d/%m/%Y}")
    expect(imports).to_contain_text("2 / 0")

    # 3. Last month's Biểu 06, one click away: the period is the month, the unit's row is there.
    staff.get_by_test_id("last-month-panel").get_by_test_id("bieu06-last-month").click()
    expect(staff.get_by_test_id("period")).to_contain_text(
        f"Kỳ báo cáo: từ ngày {month_end.replace(day=1):%d/%m/%Y} đến ngày {month_end:%d/%m/%Y}")
    expect(staff.get_by_test_id("bieu06")).to_contain_text("Xã Yên Thế")
    fits(staff)
    staff.get_by_test_id("bieu06-frame").scroll_into_view_if_needed()
    shot(staff, "mot-cua-3-bieu-06-thang-truoc")


def test_quality_officer_reads_the_district_overview(as_user, demo_site):
    officer = as_user("qlcl")
    fits(officer)
    expect(officer.get_by_test_id("readiness-panel")).to_be_visible()
    shot(officer, "iso-2-bang-dieu-khien")
    officer.get_by_test_id("readiness-panel").locator("a.button").click()
    fits(officer)
    frame = officer.get_by_test_id("overview-frame")
    first_unit = frame.locator("tbody tr td:first-child").first
    before = first_unit.bounding_box()
    # The table scrolls inside its frame; the unit column stays where it was, the last column comes into view.
    frame.evaluate("frame => { frame.scrollLeft = frame.scrollWidth; }")
    after = first_unit.bounding_box()
    assert abs(after["x"] - before["x"]) < 1
    last_header = frame.locator("thead th").last
    box, frame_box = last_header.bounding_box(), frame.bounding_box()
    assert box["x"] + box["width"] <= frame_box["x"] + frame_box["width"] + 1
    fits(officer)
    shot(officer, "iso-3-tong-quan-don-vi")
