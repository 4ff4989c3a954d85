"""Login throttling through Wagtail's login page: lockout, unlock by a superuser, and the login trail."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import NoReverseMatch, reverse

from qms.core.roles import Role
from tests.utils import assert_forbidden

LOGIN = "/admin/login/"
LOCKED = "Đăng nhập sai quá nhiều lần"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def officer(make_user, units):
    return make_user(Role.QUALITY_OFFICER, units["BN-BOHA"], username="qlcl.boha", password="Dung-mat-khau-1")


@pytest.fixture
def superuser(make_user):
    return make_user(None, username="quantri", is_superuser=True, is_staff=True)


def sign_in(client, username, password, ip="10.0.0.7"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip,
                       HTTP_USER_AGENT="Mozilla/5.0 (thử nghiệm)")


def lock_out(client, username, ip="10.0.0.7"):
    responses = [sign_in(client, username, "sai-mat-khau", ip) for _ in range(LIMIT)]
    assert all(r.status_code == 200 for r in responses[:-1]), "locked out before the limit"
    return responses[-1]


def test_the_settings_throttle_by_username_and_address():
    assert settings.AUTHENTICATION_BACKENDS[-1] == "qms.core.permissions.OneQueryModelBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()) == (5, 30 * 60)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_production_puts_axes_backend_first():
    from qms.settings import base

    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_after_the_limit_even_the_right_password_is_refused_in_vietnamese(client, officer):
    response = lock_out(client, "qlcl.boha")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    response = sign_in(client, "qlcl.boha", "Dung-mat-khau-1")
    html = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in html and "30 phút" in html and 'name="password"' in html  # Wagtail's login page, not a bare text
    assert client.get("/admin/").status_code == 302  # not signed in


def test_the_lockout_holds_for_that_address_only(client, officer):
    lock_out(client, "qlcl.boha", ip="10.0.0.7")
    response = sign_in(Client(), "qlcl.boha", "Dung-mat-khau-1", ip="10.0.0.8")
    assert response.status_code == 302 and response.url == "/admin/"


def test_a_successful_login_clears_the_count(client, officer):
    for _ in range(LIMIT - 1):
        sign_in(client, "qlcl.boha", "sai")
    assert sign_in(client, "qlcl.boha", "Dung-mat-khau-1").status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert sign_in(client, "qlcl.boha", "sai").status_code == 200
    assert sign_in(client, "qlcl.boha", "Dung-mat-khau-1").status_code == 302


def test_a_superuser_unlocks_and_the_user_signs_in(client, officer, superuser):
    lock_out(client, "qlcl.boha")
    admin = Client()
    admin.force_login(superuser)
    listing = admin.get(reverse("login_lockouts:index")).content.decode()
    attempt = AccessAttempt.objects.get(username="qlcl.boha")
    unlock_url = reverse("login_lockouts:unlock", args=[attempt.pk])
    assert "qlcl.boha" in listing and unlock_url in listing and "Mở khoá" in listing
    assert "Mở khoá đăng nhập của “qlcl.boha”" in admin.get(unlock_url).content.decode()
    response = admin.post(unlock_url, follow=True)
    assert "đã được mở khoá" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    response = sign_in(client, "qlcl.boha", "Dung-mat-khau-1")
    assert response.status_code == 302 and response.url == "/admin/"


def test_the_trail_records_successes_failures_and_lockouts_in_local_time(client, officer, superuser):
    sign_in(client, "qlcl.boha", "Dung-mat-khau-1")
    client.logout()
    lock_out(client, "qlcl.boha")
    success = AccessLog.objects.get(username="qlcl.boha")
    assert (success.ip_address, success.user_agent) == ("10.0.0.7", "Mozilla/5.0 (thử nghiệm)")
    assert AccessFailureLog.objects.filter(username="qlcl.boha", locked_out=False).count() == LIMIT - 1
    assert AccessFailureLog.objects.filter(username="qlcl.boha", locked_out=True).count() == 1
    admin = Client()
    admin.force_login(superuser)
    from django.utils import timezone

    local = timezone.localtime(success.attempt_time).strftime("%d/%m/%Y %H:%M")
    successes = admin.get(reverse("login_successes:index")).content.decode()
    utc = success.attempt_time.astimezone(datetime.UTC).strftime("%d/%m/%Y %H:%M")
    assert "qlcl.boha" in successes and "10.0.0.7" in successes and local in successes and utc not in successes
    assert "Mozilla/5.0 (thử nghiệm)" in successes and "Tên đăng nhập" in successes
    failures = admin.get(reverse("login_failures:index"), {"locked_out": "true"}).content.decode()
    assert "qlcl.boha" in failures and "Bị khoá" in failures


def test_the_trail_is_read_only(client, superuser):
    client.force_login(superuser)
    row = AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="ua", http_accept="*", path_info="/")
    for view in ["add", "edit", "delete", "history", "usage"]:
        with pytest.raises(NoReverseMatch):
            reverse(f"login_successes:{view}", args=[] if view == "add" else [row.pk])
    assert client.post(f"/admin/login_successes/delete/{row.pk}/").status_code == 404
    assert AccessLog.objects.filter(username="x").exists()


@pytest.mark.parametrize("url_name", ["login_successes:index", "login_failures:index", "login_lockouts:index"])
def test_other_roles_cannot_read_the_trail_even_with_axes_permissions(client, make_user, units, url_name):
    officer = make_user(Role.QUALITY_OFFICER, units["215"])
    officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
    client.force_login(officer)
    assert_forbidden(client.get(reverse(url_name)))


def test_other_roles_cannot_unlock(client, make_user, units, officer):
    lock_out(Client(), "qlcl.boha")
    attempt = AccessAttempt.objects.get()
    client.force_login(make_user(Role.QUALITY_OFFICER, units["215"]))
    assert_forbidden(client.post(reverse("login_lockouts:unlock", args=[attempt.pk])))
    assert AccessAttempt.objects.exists()


def test_the_test_client_login_still_works(client, officer):
    assert client.login(username="qlcl.boha", password="Dung-mat-khau-1")
