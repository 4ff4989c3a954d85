"""
The whole road of a nonconformity in a real browser: an auditor walks the checklist with the
keyboard and records a minor nonconformity; the unit's staff record correction, root cause and an
action; the quality officer checks it effective and closes it; the timeline shows each step and who.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import Audit, ChecklistResult, NcStatus, Nonconformity

pytestmark = pytest.mark.e2e


def sign_out(page):
    page.context.clear_cookies()


def submit(page, form_testid, button_text):
    page.get_by_test_id(form_testid).get_by_role("button", name=button_text).click()
    page.wait_for_load_state("networkidle")


def fill_date(page, field, day):
    """
    Type a date the way a user does, then close Wagtail's date picker. The picker opens 100 ms
    after the field gets focus and closes on Tab (Escape does nothing); left open, the next click's
    mousedown hides it, the page grows shorter and that click can land elsewhere.
    """
    field.fill(day.strftime("%d/%m/%Y"))
    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1)
    field.press("Tab")
    expect(picker).to_have_count(0)


def test_audit_finding_to_closed_nonconformity(page, login, demo_site):
    audit = Audit.objects.get(unit__code="BN-YENTHE", status="in_progress")
    audit_url = f"{demo_site}/admin/audits/page/{audit.pk}/"
    unanswered = list(audit.checklist.filter(result="").order_by("position"))
    assert len(unanswered) >= 3

    # 1. The lead auditor (a member of Xã Đồng Kỳ, auditing Xã Yên Thế) walks the rest of the checklist.
    login("danhgia.dongky")
    page.goto(audit_url)
    expect(page.get_by_test_id("audit-status")).to_have_text("Đang đánh giá")
    nc_item = unanswered[1]
    keys = ["1", "2"] + ["1"] * (len(unanswered) - 2)  # the focus starts on the first unanswered question
    for key in keys:
        page.keyboard.press(key)
    expect(page.locator(f"#item-{nc_item.pk} input[value=nonconformity]")).to_be_checked()
    page.keyboard.press("Control+s")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text(f"Đã lưu {len(unanswered)} câu trả lời.")).to_be_visible()
    assert audit.checklist.filter(result="").count() == 0
    assert audit.checklist.get(pk=nc_item.pk).result == ChecklistResult.NONCONFORMITY

    page.locator(f"#item-{nc_item.pk}").get_by_text("Ghi phát hiện").click()
    form = page.get_by_test_id("finding-form")
    expect(form.locator("select[name=kind]")).to_have_value("minor_nc")
    form.locator("textarea[name=statement]").fill("Bộ phận một cửa còn dùng mẫu tờ khai đã hết hiệu lực.")
    form.locator("textarea[name=evidence]").fill("Hồ sơ tiếp nhận ngày 20/11, mẫu lần ban hành 01.")
    submit(page, "finding-form", "Ghi nhận phát hiện")
    nc = Nonconformity.objects.get(finding__audit=audit, finding__statement__startswith="Bộ phận một cửa còn dùng")
    expect(page.get_by_text(f"Đã ghi nhận phát hiện; đã mở điểm không phù hợp {nc.reference}.")).to_be_visible()
    sign_out(page)

    # 2. The commune's one-stop staff answer it: correction, root cause, an action, done.
    today = timezone.localdate()
    login("motcua")
    page.goto(f"{demo_site}/admin/nonconformities/detail/{nc.pk}/")
    expect(page.get_by_test_id("nc-status")).to_have_text("Đang mở")
    expect(page.get_by_test_id("verify-form")).to_have_count(0)
    page.get_by_test_id("correction-form").locator("textarea[name=correction]").fill("Thu hồi mẫu cũ tại quầy, hướng dẫn người dân khai lại.")
    submit(page, "correction-form", "Lưu khắc phục tức thời")
    expect(page.get_by_text("Đã ghi nhận khắc phục tức thời.")).to_be_visible()
    analysis = page.get_by_test_id("analysis-form")
    analysis.locator("textarea[name=why_1]").fill("Công chức không biết mẫu đã thay đổi.")
    analysis.locator("textarea[name=why_2]").fill("Văn bản mới không được chuyển tới bộ phận một cửa.")
    analysis.locator("select[name=cause_category]").select_option("documents")
    submit(page, "analysis-form", "Lưu nguyên nhân")
    expect(page.get_by_test_id("nc-status")).to_have_text("Đã phân tích nguyên nhân")
    action = page.get_by_test_id("action-form")
    action.locator("textarea[name=description]").fill("Rà soát văn bản mới hằng tuần, cập nhật Danh mục tài liệu nội bộ.")
    fill_date(page, action.locator("input[name=due_on]"), today + datetime.timedelta(days=14))
    submit(page, "action-form", "Thêm hành động")
    expect(page.get_by_test_id("nc-status")).to_have_text("Đã lập kế hoạch khắc phục")
    page.get_by_test_id("done-toggle").click()
    page.get_by_test_id("done-form").locator("textarea[name=evidence]").fill("Danh mục tài liệu nội bộ cập nhật ngày hôm nay.")
    submit(page, "done-form", "Ghi nhận hoàn thành")
    expect(page.get_by_test_id("nc-status")).to_have_text("Chờ kiểm tra hiệu lực")
    expect(page.get_by_test_id("verify-form")).to_have_count(0)  # staff never close
    sign_out(page)

    # 3. The quality officer checks it effective, which closes it.
    login("qlcl")
    page.goto(f"{demo_site}/admin/nonconformities/detail/{nc.pk}/")
    verify = page.get_by_test_id("verify-form")
    verify.get_by_label("Có hiệu lực: đóng điểm không phù hợp").check()
    verify.locator("textarea[name=notes]").fill("Kiểm tra 10 hồ sơ tiếp nhận sau đó: đúng mẫu mới.")
    submit(page, "verify-form", "Ghi kết quả kiểm tra")
    expect(page.get_by_text("Kiểm tra có hiệu lực: điểm không phù hợp đã được đóng.")).to_be_visible()
    expect(page.get_by_test_id("nc-status")).to_have_text("Đã đóng")
    nc.refresh_from_db()
    assert nc.status == NcStatus.CLOSED

    # 4. The timeline tells each step with its user.
    page.get_by_test_id("nc-history").click()
    page.wait_for_load_state("networkidle")
    steps = [
        (entry.get_by_test_id("timeline-step").inner_text(), entry.get_by_test_id("timeline-user").inner_text())
        for entry in page.get_by_test_id("timeline-entry").all()
    ]
    assert steps == [
        ("Ghi nhận phát hiện", "Ngô Thị Mai"),
        ("Mở điểm không phù hợp", "Ngô Thị Mai"),
        ("Ghi nhận khắc phục tức thời", "Phạm Thị Lan"),
        ("Phân tích nguyên nhân gốc rễ", "Phạm Thị Lan"),
        ("Lập kế hoạch hành động khắc phục", "Phạm Thị Lan"),
        ("Đã lập kế hoạch hành động khắc phục", "Phạm Thị Lan"),
        ("Hoàn thành hành động khắc phục", "Phạm Thị Lan"),
        ("Mọi hành động đã hoàn thành: chờ kiểm tra hiệu lực", "Phạm Thị Lan"),
        ("Kiểm tra có hiệu lực và đóng", "Nguyễn Thị Hoa"),
    ]
    expect(page.get_by_test_id("timeline")).to_contain_text(re.compile(r"Chờ kiểm tra hiệu lực\s*→\s*Đã đóng"))
