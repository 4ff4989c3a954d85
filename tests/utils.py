"""Assertions shared by every app's tests."""

from django.urls import reverse


def assert_forbidden(response):
    """The user was refused: a 403, a 404 (the record is hidden from them), or Wagtail's redirect
    to the dashboard with "Sorry, you do not have permission"."""
    if response.status_code in (403, 404):
        return
    assert response.status_code == 302, f"expected a refusal, got {response.status_code}"
    assert response.url == reverse("wagtailadmin_home"), f"redirected to {response.url}, not refused"
