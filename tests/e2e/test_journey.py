"""A quality officer goes from the district overview to a commune's readiness, opens the missing audit
item, and prints the management review pack and an announcement with its evidence."""

import pytest
from playwright.sync_api import expect

from tests.utils import HAVE_POPPLER, pdf_words

pytestmark = pytest.mark.e2e


def test_overview_to_readiness_to_review_pack_and_announcement(login, demo_site):
    page = login("qlcl")
    expect(page.get_by_test_id("readiness-panel")).to_be_visible()
    page.get_by_role("button", name="Hệ thống chất lượng").click()
    page.get_by_role("list", name="Hệ thống chất lượng").get_by_role("link", name="Tổng quan HTQLCL các đơn vị").click()
    overview = page.get_by_test_id("overview")
    expect(overview.locator('tr[data-unit="BN-TAMTIEN"]')).to_be_visible()
    expect(overview.locator('tr[data-unit="07243"]')).to_have_count(0)  # merged away before today

    overview.get_by_role("link", name="Xã Tam Tiến").click()
    expect(page.get_by_test_id("score")).to_contain_text("Mức độ sẵn sàng ngày")
    audit_item = page.locator('tr[data-item="internal_audit"]')
    expect(audit_item).to_contain_text("Chưa được đánh giá nội bộ.")
    expect(page.get_by_test_id("next-steps")).to_contain_text("Lập kế hoạch và thực hiện đánh giá nội bộ")
    audit_item.get_by_role("link", name="Mở").click()
    page.wait_for_url("**/admin/audits/**")
    expect(page.locator("main")).to_contain_text("Xã Tam Tiến")

    # The management review pack of Xã Bố Hạ (a draft): inputs gathered now, printed as minutes.
    page.goto(f"{demo_site}/admin/reviews/")
    page.locator("tr", has_text="Xã Bố Hạ").get_by_role("link", name="Xã Bố Hạ").first.click()
    page.wait_for_url("**/admin/reviews/edit/*/")
    page.goto(page.url.replace("/edit/", "/inspect/"))  # the draft opens for editing; its pack is on the inspect page
    expect(page.locator('section[data-section="performance"]')).to_be_visible()
    with page.expect_download() as minutes:
        page.get_by_role("link", name="Biên bản (PDF)").click()
    assert minutes.value.path().read_bytes()[:5] == b"%PDF-"
    if HAVE_POPPLER:
        text = pdf_words(minutes.value.path())
        assert "BIÊN BẢN HỌP XEM XÉT CỦA LÃNH ĐẠO" in text and "Mục tiêu chất lượng và kết quả giải quyết hồ sơ" in text

    # An announcement of 2020 with its evidence bundle.
    page.goto(f"{demo_site}/admin/announcements/")
    page.locator("tr", has_text="252/QĐ-UBND").get_by_role("link").first.click()
    expect(page.get_by_test_id("reannouncement")).to_be_visible()
    with page.expect_download() as decision:
        page.get_by_role("link", name="Tải quyết định công bố (PDF)").click()
    assert decision.value.path().read_bytes()[:5] == b"%PDF-"
    if HAVE_POPPLER:
        text = pdf_words(decision.value.path())
        assert "QUYẾT ĐỊNH" in text and "HỒ SƠ KÈM THEO QUYẾT ĐỊNH CÔNG BỐ" in text and "XÃ TAM TIẾN" in text
