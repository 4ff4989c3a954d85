"""The admin and the public pages work under the Content-Security-Policy (docs/security.md)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_admin_and_public_pages_run_under_the_policy(login, demo_site, csp_violations):
    from procedures_docs.models import ControlledDocumentPage
    from qms.feedback.models import CitizenFeedback, FeedbackPage

    page = login("admin")  # the superuser edits any document
    document = next(d for d in ControlledDocumentPage.objects.live().order_by("pk") if not d.is_obsolete)
    survey = FeedbackPage.objects.live().get(unit__code="BN-YENTHE")
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    admin_paths = ["/admin/", f"/admin/pages/{document.pk}/edit/"]
    for path in admin_paths:
        response = page.goto(demo_site + path)
        page.wait_for_load_state("networkidle")
        policy = response.headers["content-security-policy"]
        assert page.url == demo_site + path, f"{path} redirected to {page.url}: {page.locator('.messages').inner_text()}"
        assert response.status == 200 and "default-src 'self'" in policy and "frame-ancestors 'self'" in policy, path
        if "/edit/" in path:
            # The rich-text editor was started by its scripts and wrote its <style> elements.
            expect(page.locator(".Draftail-Editor").first).to_be_visible()

    # Biểu 06 of the district quality officer's units, with its charts (data: images).
    page.context.clear_cookies()
    login("qlcl")
    response = page.goto(f"{demo_site}/admin/reports/?preset=month&group_by=unit&on={last_month:%Y-%m-%d}")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    expect(page.get_by_test_id("chart-trend")).to_be_visible()
    assert page.get_by_test_id("chart-trend").evaluate("img => img.naturalWidth") > 0
    # The bars by row are HTML with inline widths (style-src-attr): drawn, not collapsed to nothing.
    bar = page.get_by_test_id("chart-rows").locator(".qms-bars__bar").first
    assert bar.evaluate("el => el.getBoundingClientRect().width") > 10

    response = page.goto(demo_site + survey.url)
    policy = response.headers["content-security-policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src  # only the admin needs inline scripts
    page.check("input[name=rating][value='5']")
    page.fill("textarea[name=comment]", "Thử trong trình duyệt")
    page.get_by_role("button", name="Gửi").click()
    page.wait_for_load_state("networkidle")
    assert "cảm ơn" in page.content().lower()
    assert CitizenFeedback.objects.filter(comment="Thử trong trình duyệt").exists()
    assert csp_violations == []
