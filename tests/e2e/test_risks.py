"""A quality officer assesses a risk of Xã Bố Hạ and plans its action; the one-stop officer who owns the
action records it done; the officer reviews its effectiveness; the management review shows it."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from qms.core.models import Unit
from recognition.services import review_create
from tests.e2e.test_audits import sign_out

pytestmark = pytest.mark.e2e

TITLE = "Hồ sơ chứng thực trễ hạn khi công chức đi tập huấn"
ACTION = "Cử công chức văn phòng tiếp nhận thay khi vắng"


def save_form(page):
    """Wagtail's own Create / Save button of a model form."""
    page.locator("button[type=submit][data-w-progress-active-value]").first.click()


def test_assess_treat_complete_review(login, demo_site, page):
    page.set_viewport_size({"width": 1366, "height": 768})
    boha = Unit.objects.get(code="BN-BOHA")
    owner = get_user_model().objects.get(username="motcua.boha")
    today = timezone.localdate()

    login("qlcl")
    page.goto(demo_site + reverse("risks:add"))
    page.select_option("select[name=unit]", str(boha.pk))
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=likelihood]", "4")
    page.fill("input[name=impact]", "4")
    page.select_option("select[name=owner]", str(owner.pk))
    save_form(page)
    page.wait_for_url(demo_site + reverse("risks:index"))
    row = page.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("16")
    expect(row).to_contain_text("Chưa có biện pháp")  # high, no action yet: flagged

    row.get_by_role("link", name=TITLE).click()
    page.goto(page.url.replace("/edit/", "/inspect/"))
    expect(page.get_by_test_id("risk-flag")).to_be_visible()
    page.get_by_role("link", name="Lập biện pháp xử lý").click()
    page.fill("textarea[name=description]", ACTION)
    page.select_option("select[name=owner]", str(owner.pk))
    due = page.locator("input[name=due_on]")
    due.fill((today + datetime.timedelta(days=10)).strftime("%d/%m/%Y"))
    due.press("Tab")
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)
    save_form(page)
    page.wait_for_url("**/admin/risks/inspect/*/")
    expect(page.get_by_test_id("risk-actions")).to_contain_text(ACTION)
    expect(page.get_by_test_id("risk-flag")).to_have_count(0)
    risk_url = page.url

    sign_out(page)
    login("motcua.boha")
    page.goto(risk_url)
    page.get_by_test_id("risk-actions").get_by_role("link", name="Ghi nhận hoàn thành").click()
    page.fill("textarea[name=result]", "Đã phân công bà Lan (văn phòng) tiếp nhận thay")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(risk_url)
    expect(page.get_by_test_id("risk-actions")).to_contain_text("Đã phân công bà Lan")
    expect(page.get_by_test_id("risk-actions").get_by_role("link", name="Xem xét hiệu lực")).to_have_count(0)

    sign_out(page)
    login("qlcl")
    page.goto(risk_url)
    page.get_by_test_id("risk-actions").get_by_role("link", name="Xem xét hiệu lực").click()
    page.get_by_role("radio", name="Có hiệu lực", exact=True).check()
    page.fill("textarea[name=note]", "Không còn hồ sơ trễ hạn khi vắng người")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(risk_url)
    expect(page.get_by_test_id("risk-actions")).to_contain_text("Có hiệu lực")

    review = review_create(unit=boha, held_on=today, period_from=today - datetime.timedelta(days=30), period_to=today)
    page.goto(demo_site + reverse("reviews:inspect", args=[review.pk]))
    section = page.locator('section[data-section="risks"]')
    expect(section).to_contain_text(ACTION)
    expect(section).to_contain_text("có hiệu lực: Không còn hồ sơ trễ hạn khi vắng người")
