"""
Login throttling with django-axes: the Vietnamese lockout page (settings.AXES_LOCKOUT_CALLABLE) and
the administrator's unlock. docs/security.md, "Login".
"""

from __future__ import annotations

import logging

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.forms.utils import ErrorDict, ErrorList
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("qms.security")

MSG_LOCKED_OUT = _(
    "Too many failed sign-in attempts: this account is locked on this computer for %(minutes)s minutes. "
    "Try again later, or ask an administrator to unlock it."
)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    """Wagtail's login page again, with the lockout explained in the user's language, as HTTP 429
    (axes' own answer is a bare English sentence)."""
    from wagtail.admin.views.account import get_user_login_form

    message = MSG_LOCKED_OUT % {"minutes": lockout_minutes()}
    context = dict(getattr(original_response, "context_data", None) or {})
    form = context.get("form")
    if form is None:
        # Locked out somewhere else than the admin login view: show its form, unbound, with the username.
        username = (credentials or {}).get("username") or request.POST.get("username", "")
        form = get_user_login_form()(request, initial={"username": username})
        context.update({"next": reverse("wagtailadmin_home"), "username_field": _("Username")})
    # Replaces "your username and password didn't match": the password may well have been right.
    form._errors = ErrorDict({"__all__": ErrorList([message])})
    context["form"] = form
    # Rendered now: Django renders template responses only as they leave the view, and this one is
    # made in a middleware, below others that read its content.
    return render(request, "wagtailadmin/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def login_unlock(*, username: str, by) -> int:
    """Lift the lockout of `username` from every address (deletes axes' failure counters; the trail of
    failures stays). Superusers only. Returns the number of counters removed."""
    from axes.utils import reset

    if not (by.is_active and by.is_superuser):
        raise PermissionError("only a superuser unlocks a login")
    count = reset(username=username)
    logger.warning("Login of %r unlocked by %r (%d counters removed)", username, by.get_username(), count)
    return count


class RequestlessLoginBackend(AxesStandaloneBackend):
    """Test settings only: the test client's `client.login()` authenticates without a request, which
    axes refuses with an error. Here such calls skip the throttle (there is no client to count);
    every call with a request, as the login page makes, is throttled by axes as in production."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
