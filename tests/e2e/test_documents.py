"""
The document life cycle in a real browser: a quality officer drafts a procedure and submits it,
another quality officer reviews it (the drafter may not), a leader approves it (revision 01 is issued), a one-stop officer reads
and acknowledges it; then revision 02 is issued and Wagtail's compare view shows what changed.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

TITLE = "Quy trình tiếp nhận phản ánh, kiến nghị"
FIRST = "Tiếp nhận phản ánh qua hòm thư góp ý."
SECOND = "Tiếp nhận phản ánh qua hòm thư góp ý và đường dây nóng."


def library_id(page, demo_site, name="Xã Yên Thế"):
    page.goto(f"{demo_site}/admin/pages/search/?q={name.replace(' ', '+')}")
    href = page.get_by_role("link", name=f"Tài liệu HTQLCL – {name}").first.get_attribute("href")
    return re.search(r"/pages/(\d+)/", href).group(1)


def type_rich_text(page, field, text):
    editor = page.locator(f"[data-contentpath='{field}'] [contenteditable='true']").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    # Draftail keeps its value in a hidden input; wait until it holds the text before submitting.
    expect(page.locator(f"input[name={field}]")).to_have_value(re.compile(re.escape(text[-12:])))


def submit_for_review(page):
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-submit']").click()


def workflow_action(page, demo_site, document_id, action="approve"):
    page.goto(f"{demo_site}/admin/pages/{document_id}/edit/")
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator(f"button[data-workflow-action-name='{action}']:not([data-workflow-action-modal-url])").click()
    expect(page.locator(".messages")).to_be_visible()


def test_draft_review_approve_read_and_compare(as_user, demo_site):
    officer = as_user("qlcl")
    parent = library_id(officer, demo_site)
    officer.goto(f"{demo_site}/admin/pages/add/procedures_docs/controlleddocumentpage/{parent}/")
    officer.fill("input[name=code]", "QT-30")
    officer.fill("input[name=title]", TITLE)
    officer.fill("textarea[name=change_summary]", "Ban hành lần đầu")
    type_rich_text(officer, "purpose", FIRST)
    submit_for_review(officer)
    expect(officer.locator(".messages")).to_contain_text(TITLE)
    href = officer.locator(".messages a[href*='/edit/']").first.get_attribute("href")
    document_id = re.search(r"/pages/(\d+)/edit/", href).group(1)

    # The drafter is told she may not review her own draft; another quality officer reviews (step 1);
    # the leader approves (step 2): revision 01 is issued.
    officer.goto(f"{demo_site}/admin/pages/{document_id}/edit/")
    expect(officer.locator(".messages")).to_contain_text("Bạn là người soạn thảo bản sửa đổi này")
    reviewer = as_user("soatxet")
    workflow_action(reviewer, demo_site, document_id)
    leader = as_user("lanhdao")
    expect(leader.get_by_text(TITLE).first).to_be_visible()  # awaiting their approval on the dashboard
    workflow_action(leader, demo_site, document_id)
    leader.goto(f"{demo_site}/admin/tai-lieu/{document_id}/so-ban-hanh/")
    register = leader.get_by_test_id("register")
    expect(register).to_contain_text("Ban hành lần đầu")
    expect(register).to_contain_text("Trần Văn Minh")

    # A one-stop officer of Xã Yên Thế has it to read, reads revision 01 and acknowledges it.
    staff = as_user("motcua")
    expect(staff.get_by_test_id("to-read-panel")).to_contain_text("QT-30")
    staff.get_by_role("link", name=f"QT-30 – {TITLE}").click()
    expect(staff.locator(".iso-header")).to_contain_text("Lần ban hành: 01")
    expect(staff.locator(".iso-header")).to_contain_text("BẢN KIỂM SOÁT")
    expect(staff.locator(".document-body")).to_contain_text(FIRST)
    staff.get_by_test_id("acknowledge").click()
    expect(staff.get_by_test_id("acknowledged")).to_contain_text("lần ban hành 01")

    # Revision 02: edit, submit, review, approve.
    officer.goto(f"{demo_site}/admin/pages/{document_id}/edit/")
    officer.fill("textarea[name=change_summary]", "Bổ sung kênh tiếp nhận qua đường dây nóng")
    officer.fill("input[name=change_location]", "Mục 1")
    type_rich_text(officer, "purpose", SECOND)
    submit_for_review(officer)
    expect(officer.locator(".messages")).to_be_visible()
    staff.reload()
    expect(staff.locator(".document-body")).to_contain_text(FIRST)  # still revision 01 until approved
    workflow_action(reviewer, demo_site, document_id)
    workflow_action(leader, demo_site, document_id)
    staff.reload()
    expect(staff.locator(".iso-header")).to_contain_text("Lần ban hành: 02")
    expect(staff.locator(".document-body")).to_contain_text(SECOND)
    expect(staff.get_by_test_id("acknowledge")).to_be_visible()  # revision 02 is to be read again

    # The register links to Wagtail's compare view, which shows the change.
    leader.goto(f"{demo_site}/admin/tai-lieu/{document_id}/so-ban-hanh/")
    expect(leader.get_by_test_id("register")).to_contain_text("Bổ sung kênh tiếp nhận qua đường dây nóng")
    leader.get_by_test_id("compare-2").click()
    expect(leader.locator(".addition").first).to_contain_text("đường dây nóng")
    expect(leader.locator("body")).to_contain_text("Tiếp nhận phản ánh qua hòm thư góp ý")
